package dev.eventflow.localstack;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ctrl-C and SIGTERM for a command whose main thread owns what it started: the main thread stops
 * everything in order on its way out, and the JVM does not exit before it has finished (the first
 * step of the {@link ShutdownSequence} waits for it).
 *
 * <p>While the stack starts, a signal only asks to stop: interrupting the broker's start-up on this
 * thread closes its files under it (and Kafka then halts the JVM), so the owner finishes starting and
 * then stops. Once the owner calls {@link #interruptible()}, a signal interrupts it wherever it waits
 * (a replay, the status loop).
 *
 * <pre>{@code
 * try (SignalStop stop = SignalStop.install(Duration.ofMinutes(2), () -> out.println("Stopping ..."))) {
 *     try {
 *         ... start ...
 *         stop.interruptible();
 *         if (!stop.requested()) { ... work ... }
 *     } finally {
 *         stop.stopping();   // no interrupt after this one, and a pending one is cleared
 *         ... stop what was started ...
 *     }
 * }
 * }</pre>
 */
public final class SignalStop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SignalStop.class);

    private final Thread owner;
    private final Duration patience;
    private final Runnable onSignal;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Runnable step = this::onSignal;
    private boolean requested;
    private boolean interruptible;
    private boolean stopping;

    private SignalStop(Thread owner, Duration patience, Runnable onSignal) {
        this.owner = owner;
        this.patience = patience;
        this.onSignal = onSignal;
    }

    /**
     * Makes the calling thread the one a signal stops.
     *
     * @param patience how long the JVM waits for it to finish stopping before it exits anyway
     * @param onSignal run on the signal (to say that the command is stopping), before the wait
     */
    public static SignalStop install(Duration patience, Runnable onSignal) {
        SignalStop stop = new SignalStop(Thread.currentThread(), patience, onSignal);
        ShutdownSequence.first(stop.step);
        return stop;
    }

    /** Whether a signal asked to stop. */
    public synchronized boolean requested() {
        return requested;
    }

    /** From now on a signal interrupts the owner; at once if one came already. */
    public synchronized void interruptible() {
        interruptible = true;
        if (requested && !stopping) {
            owner.interrupt();
        }
    }

    /**
     * The owner is about to stop what it started: no interrupt reaches it any more, and one that
     * already did is cleared, so that the stop itself can wait for threads and processes.
     */
    public void stopping() {
        synchronized (this) {
            stopping = true;
        }
        Thread.interrupted();
    }

    /** Everything is stopped: the JVM may exit. */
    @Override
    public void close() {
        synchronized (this) {
            stopping = true;
        }
        finished.countDown();
        ShutdownSequence.removeFirst(step);
    }

    private void onSignal() {
        boolean running;
        synchronized (this) {
            // Once the owner is stopping (a --once run at its end, say) the signal changes nothing: it is waited for.
            running = !stopping;
            if (running) {
                requested = true;
                if (interruptible) {
                    owner.interrupt();
                }
            }
        }
        if (running) {
            onSignal.run();
        }
        try {
            if (!finished.await(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.error("Still stopping after {} s; exiting without waiting any longer", patience.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
