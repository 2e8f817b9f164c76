package dev.eventflow.processor.dedup;

/**
 * The rule that decides, per key, whether a record goes downstream. Content is compared by
 * fingerprint, versions by the source's own time:
 *
 * <ul>
 *   <li>no record seen for the key: {@link Verdict#NEW};</li>
 *   <li>the same content as the current one, at any time: {@link Verdict#DUPLICATE} (dropped, counted; the
 *       stored version advances to the newer time, so a later stale change is still recognised);</li>
 *   <li>different content, newer: {@link Verdict#CHANGED} (emitted as an update);</li>
 *   <li>different content, older: {@link Verdict#STALE} (refused, counted: emitting it would make a row go
 *       back in time, and no JDBC sink can refuse that);</li>
 *   <li>different content, same time: {@link Verdict#CONFLICT} (refused, counted: the first wins, so
 *       replaying an older copy of a file that carries no timestamps never overwrites the newer copy).</li>
 * </ul>
 */
public final class LatestWins {

    /** What happens to a record. */
    public enum Verdict {
        NEW, CHANGED, DUPLICATE, STALE, CONFLICT;

        /** Whether the record goes downstream. */
        public boolean emits() {
            return this == NEW || this == CHANGED;
        }
    }

    private LatestWins() {
    }

    public static Verdict judge(Stamp stored, String fingerprint, long version) {
        return stored == null ? Verdict.NEW : judge(true, stored.fingerprint().equals(fingerprint), stored.version(), version);
    }

    /**
     * The same rule where the caller compares contents itself.
     *
     * @param known         whether a record was seen for the key
     * @param sameContent   whether the record's content equals the current one (ignored when not known)
     * @param storedVersion newest source time the current content was seen with
     * @param version       the record's source time
     */
    public static Verdict judge(boolean known, boolean sameContent, long storedVersion, long version) {
        if (!known) {
            return Verdict.NEW;
        }
        if (sameContent) {
            return Verdict.DUPLICATE;
        }
        if (version > storedVersion) {
            return Verdict.CHANGED;
        }
        return version < storedVersion ? Verdict.STALE : Verdict.CONFLICT;
    }

    /** The stamp to store after {@code verdict}; null when nothing changes. */
    public static Stamp next(Stamp stored, Verdict verdict, String fingerprint, long version) {
        return switch (verdict) {
            case NEW, CHANGED -> new Stamp(fingerprint, version);
            case DUPLICATE -> version > stored.version() ? new Stamp(stored.fingerprint(), version) : null;
            case STALE, CONFLICT -> null;
        };
    }
}
