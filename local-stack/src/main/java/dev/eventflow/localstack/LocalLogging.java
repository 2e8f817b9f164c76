package dev.eventflow.localstack;

import java.nio.file.Path;

/**
 * Logging of the commands that run the embedded stack in the foreground ({@code eventflow local},
 * {@code eventflow stack}): {@code log4j2-local.xml}, which writes the full log to a file and only
 * real problems to the console, where the command's own output (endpoints, status line, summary) is.
 */
public final class LocalLogging {

    /** System property: the log file (default {@code <eventflow.home>/target/<command>.log}). */
    public static final String LOG_FILE_PROPERTY = "eventflow.log.file";
    /** System property log4j2-local.xml puts before each console line: on a terminal, it clears the status line first. */
    static final String CONSOLE_PREFIX_PROPERTY = "eventflow.console.prefix";
    /** Carriage return, then erase to the end of the line (ANSI). */
    static final String CLEAR_LINE = "\r\033[K";

    private LocalLogging() {
    }

    /**
     * Selects {@code log4j2-local.xml} (unless {@code log4j2.configurationFile} names another) and the
     * log file; must run before anything logs.
     *
     * @param command  names the default log file
     * @param terminal whether the console is a terminal (where a status line is redrawn in place)
     * @return the log file
     */
    public static Path configure(String command, boolean terminal) {
        String configured = System.getProperty(LOG_FILE_PROPERTY);
        Path file = (configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("eventflow.home", "."), "target", command + ".log")).toAbsolutePath().normalize();
        System.setProperty(LOG_FILE_PROPERTY, file.toString());
        System.setProperty(CONSOLE_PREFIX_PROPERTY, terminal ? CLEAR_LINE : "");
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-local.xml");
        }
        ShutdownSequence.stopLoggingLast();
        return file;
    }
}
