package dev.eventflow.reliability;

import java.time.Duration;
import java.time.Instant;

/** Waiting on a condition, looked at every 100 ms; a look that throws (a broker that is down) counts as not yet. */
final class Waits {

    /** A condition; may throw while the component it asks is unavailable. */
    interface Condition {
        boolean holds() throws Exception;
    }

    private Waits() {
    }

    /** Returns the moment {@code condition} was first seen to hold; fails after {@code timeout} naming {@code what}. */
    static Instant until(Duration timeout, String what, Condition condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.holds()) {
                    return Instant.now();
                }
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Not within " + timeout + ": " + what + (last == null ? "" : " (last look failed: " + last + ")"));
    }
}
