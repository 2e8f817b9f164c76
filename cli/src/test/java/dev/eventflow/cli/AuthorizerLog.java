package dev.eventflow.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * What the broker's authorizer says about denied requests ({@code kafka.authorizer.logger} at INFO: principal,
 * operation, resource and request), collected in memory for assertions.
 */
final class AuthorizerLog extends AbstractAppender {

    static final String LOGGER = "kafka.authorizer.logger";
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private AuthorizerLog() {
        super("authorizer-log", null, null, true, Property.EMPTY_ARRAY);
    }

    /** Starts collecting the authorizer's lines (INFO: the denials). */
    static AuthorizerLog attach() {
        AuthorizerLog log = new AuthorizerLog();
        log.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        configuration.addAppender(log);
        LoggerConfig logger = new LoggerConfig(LOGGER, Level.INFO, false);
        logger.addAppender(log, Level.INFO, null);
        configuration.addLogger(LOGGER, logger);
        context.updateLoggers();
        return log;
    }

    @Override
    public void append(LogEvent event) {
        lines.add(event.getMessage().getFormattedMessage());
    }

    /** The denials of {@code principal} so far. */
    List<String> denied(String principal) {
        return lines.stream().filter(line -> line.startsWith("Principal = " + principal + " is Denied ")).toList();
    }
}
