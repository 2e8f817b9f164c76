package dev.eventflow.localstack;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eventflow stack}: runs the embedded local stack alone until Ctrl-C (or once, with {@code --once}). */
@Command(name = "eventflow stack", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Starts eventflow's embedded local stack on 127.0.0.1: a Kafka broker (KRaft), a Kafka Connect worker "
                    + "with the Debezium JDBC sink, and PostgreSQL 17, and creates the topic contract's topics.",
            "Every setting can also be given as an environment variable EVENTFLOW_<KEY> (key upper-cased, . and - as _), "
                    + "which overrides the --config file."
        })
public final class LocalStackMain implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with local-stack settings.")
    private Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Use this existing Kafka instead of starting a broker.")
    private String bootstrapServers;

    @Option(names = "--postgres-url", paramLabel = "JDBC_URL",
            description = "Use this existing PostgreSQL instead of starting one (user and password: "
                    + "EVENTFLOW_POSTGRES_USER, EVENTFLOW_POSTGRES_PASSWORD).")
    private String postgresUrl;

    @Option(names = "--free-ports", description = "Listen on free ports chosen at start instead of 9092, 9093, 8083 and 5432.")
    private boolean freePorts;

    @Option(names = "--once", description = "Start everything, print the endpoints, stop again and exit 0.")
    private boolean once;

    /** Failures end the command with exit code 1 and one line naming the reason (details are in the log). */
    static final CommandLine.IExecutionExceptionHandler ONE_LINE_ERRORS = (e, cmd, parseResult) -> {
        cmd.getErr().println("eventflow stack: " + oneLine(e));
        return 1;
    };

    private final Map<String, String> environment;
    private final PrintWriter out;
    private final Path logFile;

    LocalStackMain(Map<String, String> environment, PrintWriter out) {
        this(environment, out, null);
    }

    LocalStackMain(Map<String, String> environment, PrintWriter out, Path logFile) {
        this.environment = environment;
        this.out = out;
        this.logFile = logFile;
    }

    public static void main(String[] args) {
        Path logFile = LocalLogging.configure("eventflow-stack", System.console() != null);
        PrintWriter out = new PrintWriter(System.out, true, java.nio.charset.StandardCharsets.UTF_8);
        CommandLine commandLine = new CommandLine(new LocalStackMain(System.getenv(), out, logFile))
                .setExecutionExceptionHandler(ONE_LINE_ERRORS);
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        LocalStackConfig config = LocalStackConfig.load(configFile, environment);
        if (freePorts) {
            config = config.withFreePorts();
        }
        if (bootstrapServers != null) {
            config = config.with(LocalStackConfig.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
        }
        if (postgresUrl != null) {
            config = config.with(LocalStackConfig.POSTGRES_URL, postgresUrl);
        }
        if (logFile != null) {
            out.println("Full log: " + logFile);
        }
        // Ctrl-C or SIGTERM: this thread stops the stack below (interrupted once the stack runs); the JVM waits for it.
        try (SignalStop stop = SignalStop.install(Duration.ofMinutes(2), () -> out.println("Stopping ..."))) {
            LocalStack stack = null;
            try {
                stack = LocalStack.start(config);
                stop.interruptible();
                if (!stop.requested()) {
                    printEndpoints(stack);
                }
                if (!once && !stop.requested()) {
                    out.println("Press Ctrl-C to stop.");
                    new CountDownLatch(1).await();
                }
            } catch (InterruptedException | RuntimeException e) {
                if (!stop.requested()) {
                    throw e;
                }
            } finally {
                stop.stopping();
                if (stack != null) {
                    stack.close();
                }
            }
            out.println("Stopped.");
            return 0;
        }
    }

    private void printEndpoints(LocalStack stack) {
        out.printf(Locale.ROOT, "eventflow local stack is running (started in %.1f s)%n",
                stack.startupDuration().toMillis() / 1000.0);
        out.printf(Locale.ROOT, "  Kafka bootstrap servers  %s%n", stack.bootstrapServers());
        stack.securitySummary().ifPresent(security -> out.printf(Locale.ROOT, "  Kafka security           %s%n", security));
        if (stack.hasConnect()) {
            out.printf(Locale.ROOT, "  Kafka Connect REST API   %s%n", stack.connectUrl());
        }
        if (stack.hasPostgres()) {
            out.printf(Locale.ROOT, "  PostgreSQL JDBC URL      %s (user %s)%n", stack.jdbcUrl(), stack.jdbcUser());
            stack.embeddedPostgres().ifPresent(pg -> out.printf(Locale.ROOT,
                    "  psql                     psql -h %s -p %d -U %s %s%n",
                    Ports.HOST, pg.port(), EmbeddedPostgresServer.USER, EmbeddedPostgresServer.DATABASE));
        }
        out.printf(Locale.ROOT, "  Topics                   %s%n", String.join(", ",
                stack.topics().all().stream().map(t -> t.name()).toList()));
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
