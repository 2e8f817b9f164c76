package dev.eventflow.processor.dedup;

import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * One match, one event, whatever the source: how a record of an event merges into the event as it stands.
 * Providers see different parts of a match (one has the odds and the fixture, another the result) and
 * send them at different times, so the newest record is not simply the truth:
 *
 * <ul>
 *   <li>every provider reference is kept ({@code providerRefs} is the union, sorted);</li>
 *   <li>a newer record replaces what it carries; a score it lacks never erases a known one, and a FINISHED
 *       (or CANCELLED) event never goes back to SCHEDULED, LIVE or POSTPONED;</li>
 *   <li>an older (or same-time) record only fills what is missing: a score, or the result of a match
 *       still shown as not finished; anything else it says is stale (or conflicting) and refused.</li>
 * </ul>
 *
 * The merged event's {@code updatedAt} is the newest source time seen, so the as-of join's time never
 * goes back either.
 */
public final class EventMerge {

    /** What became of a record: the verdict, and the event to keep (the stored one when nothing changed). */
    public record Result(LatestWins.Verdict verdict, Event event, boolean regressionRefused) {
    }

    private EventMerge() {
    }

    /**
     * @param stored        the event as it stands; null when none was seen
     * @param storedVersion the newest source time seen for it
     * @param incoming      the record's event
     */
    public static Result merge(Event stored, long storedVersion, Event incoming) {
        long version = incoming.updatedAt().toEpochMilli();
        if (stored == null) {
            return new Result(LatestWins.Verdict.NEW, incoming, false);
        }
        if (Fingerprints.sameContent(stored, incoming) && stored.providerRefs().containsAll(incoming.providerRefs())) {
            return new Result(LatestWins.Verdict.DUPLICATE, stored, false);
        }
        boolean newer = version > storedVersion;
        Event merged = newer ? newerOver(stored, incoming) : gapsFilled(stored, incoming);
        boolean regression = newer && settled(stored) && !settled(incoming);
        Instant updatedAt = Instant.ofEpochMilli(Math.max(storedVersion, version));
        merged = withUpdatedAt(merged, updatedAt);
        if (sameShown(merged, stored)) {
            LatestWins.Verdict verdict = newer ? LatestWins.Verdict.DUPLICATE
                    : version < storedVersion ? LatestWins.Verdict.STALE : LatestWins.Verdict.CONFLICT;
            return new Result(verdict, stored, regression);
        }
        return new Result(LatestWins.Verdict.CHANGED, merged, regression);
    }

    /** FINISHED with its score, or CANCELLED: a state no later snapshot without a result may undo. */
    static boolean settled(Event event) {
        return event.status() == EventStatus.CANCELLED
                || (event.status() == EventStatus.FINISHED && event.homeScore() != null && event.awayScore() != null);
    }

    private static Event newerOver(Event stored, Event incoming) {
        boolean keepResult = settled(stored) && !settled(incoming);
        EventStatus status = keepResult ? stored.status() : incoming.status();
        Integer home = keepResult || incoming.homeScore() == null ? stored.homeScore() : incoming.homeScore();
        Integer away = keepResult || incoming.awayScore() == null ? stored.awayScore() : incoming.awayScore();
        Integer halfHome = incoming.halfTimeHomeScore() == null ? stored.halfTimeHomeScore() : incoming.halfTimeHomeScore();
        Integer halfAway = incoming.halfTimeAwayScore() == null ? stored.halfTimeAwayScore() : incoming.halfTimeAwayScore();
        return new Event(stored.id(), incoming.sport(), incoming.competition(), incoming.kickoff(), incoming.homeEntityId(),
                incoming.awayEntityId(), incoming.homeName(), incoming.awayName(), status, home, away, halfHome, halfAway,
                union(stored.providerRefs(), incoming.providerRefs()), incoming.updatedAt());
    }

    private static Event gapsFilled(Event stored, Event older) {
        boolean result = !settled(stored) && settled(older);
        // A score is filled only into a match that may have one, and with the status it came with (LIVE 1-0),
        // never as "SCHEDULED 1-0" or into a postponed or cancelled match.
        boolean open = stored.status() == EventStatus.SCHEDULED || stored.status() == EventStatus.LIVE;
        boolean score = open && stored.homeScore() == null && stored.awayScore() == null
                && older.homeScore() != null && older.awayScore() != null;
        EventStatus status = result ? older.status()
                : score && older.status() == EventStatus.LIVE ? EventStatus.LIVE : stored.status();
        Integer home = result || score ? older.homeScore() : stored.homeScore();
        Integer away = result || score ? older.awayScore() : stored.awayScore();
        boolean halfTime = stored.halfTimeHomeScore() == null && stored.halfTimeAwayScore() == null;
        Integer halfHome = halfTime ? older.halfTimeHomeScore() : stored.halfTimeHomeScore();
        Integer halfAway = halfTime ? older.halfTimeAwayScore() : stored.halfTimeAwayScore();
        return new Event(stored.id(), stored.sport(), stored.competition(), stored.kickoff(), stored.homeEntityId(),
                stored.awayEntityId(), stored.homeName(), stored.awayName(), status, home, away, halfHome, halfAway,
                union(stored.providerRefs(), older.providerRefs()), stored.updatedAt());
    }

    /** Everything a row shows but its time. */
    private static boolean sameShown(Event a, Event b) {
        return Fingerprints.sameContent(a, b) && a.providerRefs().equals(b.providerRefs());
    }

    private static Event withUpdatedAt(Event e, Instant updatedAt) {
        return e.updatedAt().equals(updatedAt) ? e : new Event(e.id(), e.sport(), e.competition(), e.kickoff(), e.homeEntityId(),
                e.awayEntityId(), e.homeName(), e.awayName(), e.status(), e.homeScore(), e.awayScore(), e.halfTimeHomeScore(),
                e.halfTimeAwayScore(), e.providerRefs(), updatedAt);
    }

    private static List<String> union(List<String> a, List<String> b) {
        if (a.containsAll(b) && isSorted(a)) {
            return a;
        }
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static boolean isSorted(List<String> refs) {
        for (int i = 1; i < refs.size(); i++) {
            if (refs.get(i - 1).compareTo(refs.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }
}
