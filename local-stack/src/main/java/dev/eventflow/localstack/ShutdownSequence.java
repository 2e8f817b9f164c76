package dev.eventflow.localstack;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one JVM shutdown hook of eventflow's local runs, and the order it stops things in.
 *
 * <p>On Ctrl-C or SIGTERM the JVM starts every shutdown hook at once, in no order, and halts as soon
 * as the last one returns, whatever other threads are doing. Left to their own hooks, Kafka Connect,
 * the embedded PostgreSQL and log4j2 stopped concurrently: PostgreSQL went away under sink tasks
 * still writing, the JVM halted before the main thread had deleted the stack's work directory, and
 * logging stopped before the last lines of the stop were written. The components therefore register
 * no hooks of their own (see {@link EmbeddedPostgresServer}, {@link EmbeddedConnectWorker} and
 * {@code log4j2-local.xml}); this hook runs, one after the other:
 * <ol>
 *   <li>the steps registered with {@link #first} (a command's main thread stopping what it started,
 *       see {@link SignalStop});</li>
 *   <li>whatever is still open, newest first ({@link #closeOnShutdown}: a {@link LocalStack} that was
 *       never closed, in a test JVM for example);</li>
 *   <li>logging, when {@link #stopLoggingLast} was called: flushed and stopped last.</li>
 * </ol>
 */
public final class ShutdownSequence {

    private static final List<Runnable> FIRST = new ArrayList<>();
    private static final Deque<AutoCloseable> OPEN = new ArrayDeque<>();
    private static Thread hook;
    private static volatile boolean stopLogging;

    private ShutdownSequence() {
    }

    /** Runs {@code step} at shutdown before anything registered with {@link #closeOnShutdown} is closed. */
    public static synchronized void first(Runnable step) {
        install();
        FIRST.add(step);
    }

    /** Undoes {@link #first}. */
    public static synchronized void removeFirst(Runnable step) {
        FIRST.remove(step);
    }

    /** Closes {@code resource} at shutdown unless {@link #forget} was called for it first; the newest is closed first. */
    public static synchronized void closeOnShutdown(AutoCloseable resource) {
        install();
        OPEN.push(resource);
    }

    /** {@code resource} has been closed: nothing to do for it at shutdown. */
    public static synchronized void forget(AutoCloseable resource) {
        OPEN.removeIf(open -> open == resource);
    }

    /**
     * Logging is stopped by this hook, after everything else, instead of by log4j2's own hook (which
     * {@code log4j2-local.xml} turns off). Call before anything logs. (A command that registers nothing
     * here, {@code --help} say, gets no hook: its appenders flush every line anyway.)
     */
    public static void stopLoggingLast() {
        // Also for a log4j2 configuration other than log4j2-local.xml (one given with -Dlog4j2.configurationFile).
        System.setProperty("log4j.shutdownHookEnabled", "false");
        stopLogging = true;
    }

    /** Looked up when needed: {@link #stopLoggingLast} runs before logging is set up, and must not set it up. */
    private static Logger log() {
        return LoggerFactory.getLogger(ShutdownSequence.class);
    }

    private static void install() {
        if (hook != null) {
            return;
        }
        Thread thread = new Thread(ShutdownSequence::run, "eventflow-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(thread);
            hook = thread;
        } catch (IllegalStateException alreadyShuttingDown) {
            // too late for a hook: whoever registers now is stopped by its own code
        }
    }

    private static void run() {
        List<Runnable> steps;
        synchronized (ShutdownSequence.class) {
            steps = List.copyOf(FIRST);
        }
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                log().error("A step of the shutdown failed: {}", e.toString(), e);
            }
        }
        while (true) {
            AutoCloseable next;
            synchronized (ShutdownSequence.class) {
                next = OPEN.poll();
            }
            if (next == null) {
                break;
            }
            try {
                next.close();
            } catch (Exception e) {
                log().error("Stopping {} failed: {}", next.getClass().getSimpleName(), e.toString(), e);
            }
        }
        if (stopLogging) {
            LogManager.shutdown();
        }
    }
}
