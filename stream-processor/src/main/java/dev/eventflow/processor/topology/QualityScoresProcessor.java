package dev.eventflow.processor.topology;

import dev.eventflow.model.IngestRun;
import dev.eventflow.model.IngestRunStatus;
import dev.eventflow.model.QualityRunScore;
import dev.eventflow.model.QualityScore;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualityScores;
import dev.eventflow.processor.quality.QualitySettings;
import dev.eventflow.processor.quality.QualityTally;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Merges the tasks' {@link QualityPartial}s of a provider (partitioned by provider, so one task owns all of a provider's
 * windows and its data time) into each window's counts, and sends a window whose counts changed at the second
 * punctuation ({@code quality.emit-interval}, wall clock) after they first changed, so one to two intervals later: a
 * window gets counts from both taps of every task, which send at their own moments, and would otherwise be sent several
 * times within a second. A window that stays open (a live provider's current hour) is sent again at most once per
 * {@code quality.refresh-interval}: each sending costs a transaction four more partitions (the score and the window's
 * changelog, for the window and for its ingest run), which a live feed's records waited for once a second. The
 * provider's data time is the newest data time counted; when it passes the end plus
 * {@code quality.grace} of a window already sent open, that window is sent once more as closed at the next punctuation.
 * Counts for a window that is closed when they are due (late records, and a backfill's windows, which usually close
 * before their first sending) are added and sent as its next version, nothing is dropped; they wait while the provider
 * keeps sending (a backfill of one file after another over the same dates touches every closed window again with each
 * file), until the provider has been quiet for {@link #QUIET_INTERVALS} punctuations, or at the latest the
 * {@link #LATE_INTERVALS}th punctuation after they came.
 *
 * <p>The same counts are kept per ingest run ({@code quality-runs}, key {@code provider|runId}) and sent as
 * {@link QualityRunScore}s: a run's new counts one to two intervals after they came, as an open window's, and a run
 * still running (or unknown) at most once per {@code quality.refresh-interval}. A run is
 * closed once {@code ingest.runs} (the global store {@code ingest-runs}) says it finished and its validity denominator,
 * every raw record of the run counted, reached the records it published; a run that finished with its counts already
 * sent is sent once more, closed, when that happens. Runs of the command {@code poll} are not scored (a poll cycle is a
 * few live records; its windows score them); a run {@code ingest.runs} does not know waits {@link #UNKNOWN_RUN_INTERVALS}
 * punctuations for it, then is scored as it is, never closed until it is known.
 *
 * <p>Counts not sent yet are kept per provider in {@code quality-providers}, written once per commit when they changed
 * ({@link QualityBacklogStore}), so a task that restarts sends them; a window is written to {@code quality-windows} (a
 * run to {@code quality-runs}) only when it is sent. The processor forwards both kinds of score; the topology sends each
 * to its topic.
 */
final class QualityScoresProcessor implements Processor<String, QualityPartial, String, Object> {

    private static final char SEPARATOR = '|';
    /** Marks counts found in the store at a start: sent at the first punctuation. */
    private static final long BEFORE_START = Long.MIN_VALUE / 2;
    /**
     * Punctuations a closed window's new counts wait at most while its provider keeps sending (a minute, at the default
     * interval): a backfill of many files over the same dates (one league after another) touches each closed window again
     * with every file, and each sending of its windows is a version of every one of them.
     */
    static final int LATE_INTERVALS = 60;
    /**
     * Punctuations without a partial of a provider after which its closed windows' new counts are sent. Within a backfill
     * the partials reach the scores task in bursts, not evenly: on the benchmark's football-data phase, pauses of two to
     * four intervals between them were common, and each pause taken for the end sent every window again.
     */
    static final int QUIET_INTERVALS = 5;
    /** Punctuations a run that {@code ingest.runs} does not know waits for it before it is scored as it is. */
    static final int UNKNOWN_RUN_INTERVALS = 10;

    /** The command of runs that are not scored: poll cycles. */
    static final String POLL_COMMAND = "poll";

    private final String windowsStoreName;
    private final String providersStoreName;
    private final String runsStoreName;
    private final String ingestRunsStoreName;
    private final QualitySettings settings;
    private final ProcessorMetrics metrics;
    private final Map<String, ProviderWindows> providers = new HashMap<>();
    /** The providers whose gauges this task set, removed when the task leaves the instance. */
    private final Set<String> shown = new HashSet<>();
    /** Punctuations so far: a window's counts are sent at the first punctuation after the one that followed their change. */
    private long punctuations;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, QualityWindow> windows;
    private QualityBacklogStore backlogs;
    private KeyValueStore<String, QualityWindow> runs;
    private ReadOnlyKeyValueStore<String, IngestRun> ingestRuns;

    /** One provider's data time, counts not sent yet, and windows not yet sent as closed. */
    private static final class ProviderWindows {
        long dataTime = Long.MIN_VALUE;
        final TreeMap<Long, QualityTally> unsent = new TreeMap<>();
        /** The punctuation count when each unsent window first changed. */
        final Map<Long, Long> changedAt = new HashMap<>();
        /** The punctuation count at the provider's last partial. */
        long lastChange = BEFORE_START;
        /** The windows sent but not as closed, each with the punctuation count when it was last sent (at a start: long ago). */
        final TreeMap<Long, Long> open = new TreeMap<>();
        final TreeMap<String, QualityTally> unsentRuns = new TreeMap<>();
        /** The punctuation count when each unsent run first changed. */
        final Map<String, Long> runChangedAt = new HashMap<>();
        /**
         * Runs sent but not as closed, each with the punctuation count when it was last sent (as {@link #open}): sent again,
         * closed, once their run finished and all its records are counted.
         */
        final Map<String, Long> openRuns = new HashMap<>();

        QualityBacklog backlog() {
            return new QualityBacklog(dataTime, unsent, unsentRuns);
        }
    }

    QualityScoresProcessor(String windowsStoreName, String providersStoreName, String runsStoreName, String ingestRunsStoreName,
                           QualitySettings settings, ProcessorMetrics metrics) {
        this.windowsStoreName = windowsStoreName;
        this.providersStoreName = providersStoreName;
        this.runsStoreName = runsStoreName;
        this.ingestRunsStoreName = ingestRunsStoreName;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.windows = context.getStateStore(windowsStoreName);
        this.backlogs = context.getStateStore(providersStoreName);
        this.runs = context.getStateStore(runsStoreName);
        this.ingestRuns = context.getStateStore(ingestRunsStoreName);
        providers.clear();
        punctuations = 0;
        backlogs.writeAtCommit(name -> providers.get(name).backlog());
        try (KeyValueIterator<String, QualityBacklog> all = backlogs.all()) {
            while (all.hasNext()) {
                KeyValue<String, QualityBacklog> entry = all.next();
                ProviderWindows provider = provider(entry.key);
                provider.dataTime = entry.value.dataTime();
                entry.value.unsent().forEach((start, tally) -> {
                    provider.unsent.put(start, tally);
                    provider.changedAt.put(start, BEFORE_START);
                });
                entry.value.unsentRuns().forEach((run, tally) -> {
                    provider.unsentRuns.put(run, tally);
                    provider.runChangedAt.put(run, BEFORE_START);
                });
            }
        }
        try (KeyValueIterator<String, QualityWindow> all = runs.all()) {
            while (all.hasNext()) {
                KeyValue<String, QualityWindow> entry = all.next();
                if (!entry.value.closed()) {
                    int separator = entry.key.indexOf(SEPARATOR);
                    provider(entry.key.substring(0, separator)).openRuns.put(entry.key.substring(separator + 1), BEFORE_START);
                }
            }
        }
        Map<String, KeyValue<Long, QualityWindow>> latest = new HashMap<>();
        try (KeyValueIterator<String, QualityWindow> all = windows.all()) {
            while (all.hasNext()) {
                KeyValue<String, QualityWindow> entry = all.next();
                int separator = entry.key.lastIndexOf(SEPARATOR);
                String name = entry.key.substring(0, separator);
                long start = Long.parseLong(entry.key.substring(separator + 1));
                ProviderWindows provider = provider(name);
                if (!entry.value.closed()) {
                    provider.open.put(start, BEFORE_START);
                }
                if (entry.value.pending()) {
                    // Left by the stage's first version: its counts are in the window already, not sent yet.
                    provider.unsent.putIfAbsent(start, new QualityTally());
                    provider.changedAt.put(start, BEFORE_START);
                }
                KeyValue<Long, QualityWindow> newest = latest.get(name);
                if (entry.value.version() > 0 && (newest == null || start > newest.key)) {
                    latest.put(name, KeyValue.pair(start, entry.value));
                }
            }
        }
        // A task taken over (or restarted) shows its providers' latest windows at once, not from their next version.
        latest.forEach((provider, window) -> {
            QualityWindow state = window.value;
            metrics.qualityScore(QualityScores.of(provider, window.key, window.key + settings.window().toMillis(), state.tally(),
                    settings.weights(), state.closed(), state.version(), Instant.ofEpochMilli(context.currentSystemTimeMs())));
            shown.add(provider);
        });
        context.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emit());
    }

    /**
     * Whether a window or run that stays open, last sent at punctuation {@code sentAt} (null: never), may be sent again:
     * {@code quality.refresh-interval} has passed since.
     */
    private boolean refreshed(Long sentAt) {
        return sentAt == null || punctuations - sentAt >= settings.refreshLooks();
    }

    private ProviderWindows provider(String name) {
        return providers.computeIfAbsent(name, p -> new ProviderWindows());
    }

    @Override
    public void process(Record<String, QualityPartial> record) {
        ProviderWindows provider = provider(record.key());
        record.value().windows().forEach((start, tally) -> {
            provider.dataTime = Math.max(provider.dataTime, tally.maxDataTime());
            provider.unsent.merge(start, tally.copy(), QualityTally::add);
            provider.changedAt.putIfAbsent(start, punctuations);
        });
        record.value().runs().forEach((run, tally) -> {
            provider.unsentRuns.merge(run, tally.copy(), QualityTally::add);
            provider.runChangedAt.putIfAbsent(run, punctuations);
        });
        provider.lastChange = punctuations;
        backlogs.changed(record.key());
    }

    /**
     * Sends the windows that are due: every open window the provider's data time has closed (with its counts, if any);
     * an open window's counts once they have waited since before the previous punctuation; a closed window's counts
     * (late records, a backfill) once the provider has been quiet for {@link #QUIET_INTERVALS} punctuations, or at the
     * latest at the {@link #LATE_INTERVALS}th punctuation after they came.
     */
    private void emit() {
        providers.forEach((name, provider) -> {
            NavigableSet<Long> due = new TreeSet<>();
            long closedBefore = provider.dataTime == Long.MIN_VALUE ? Long.MIN_VALUE
                    : provider.dataTime - settings.grace().toMillis() - settings.window().toMillis();
            if (provider.dataTime != Long.MIN_VALUE) {
                due.addAll(provider.open.headMap(closedBefore, true).keySet());
            }
            boolean quiet = provider.lastChange <= punctuations - QUIET_INTERVALS;
            provider.changedAt.forEach((start, changedAt) -> {
                boolean closed = provider.dataTime != Long.MIN_VALUE && start <= closedBefore;
                if (closed ? quiet || punctuations - changedAt >= LATE_INTERVALS - 1
                        : changedAt < punctuations && refreshed(provider.open.get(start))) {
                    due.add(start);
                }
            });
            boolean backlogChanged = false;
            for (long start : due) {
                QualityTally counts = provider.unsent.remove(start);
                provider.changedAt.remove(start);
                backlogChanged |= counts != null;
                send(name, provider, start, counts);
            }
            backlogChanged |= emitRuns(name, provider);
            if (backlogChanged) {
                backlogs.changed(name);
            }
        });
        punctuations++;
    }

    /**
     * Sends the provider's runs that are due: new counts once they waited since before the previous punctuation (a run
     * {@code ingest.runs} does not know yet: {@link #UNKNOWN_RUN_INTERVALS} punctuations), and a run sent open that is now
     * complete. Counts of poll runs are let go. Returns whether the unsent counts changed.
     */
    private boolean emitRuns(String name, ProviderWindows provider) {
        if (provider.runChangedAt.isEmpty() && provider.openRuns.isEmpty()) {
            return false;
        }
        // Each due run with what ingest.runs says of it (null: unknown), asked once per punctuation.
        Map<String, IngestRun> due = new TreeMap<>();
        provider.openRuns.keySet().forEach(run -> {
            if (!provider.unsentRuns.containsKey(run)) {
                due.put(run, ingestRuns.get(run));
            }
        });
        boolean changed = false;
        for (Map.Entry<String, Long> entry : Map.copyOf(provider.runChangedAt).entrySet()) {
            String run = entry.getKey();
            IngestRun known = ingestRuns.get(run);
            if (known != null && POLL_COMMAND.equals(known.command())) {
                provider.unsentRuns.remove(run);
                provider.runChangedAt.remove(run);
                changed = true;
            } else if (entry.getValue() < punctuations
                    && (known != null || punctuations - entry.getValue() >= UNKNOWN_RUN_INTERVALS - 1)
                    // A run still running (or unknown) waits for the refresh; a finished one goes at once, closing.
                    && (known != null && known.status() != IngestRunStatus.RUNNING || refreshed(provider.openRuns.get(run)))) {
                due.put(run, known);
            }
        }
        for (Map.Entry<String, IngestRun> run : due.entrySet()) {
            QualityTally counts = provider.unsentRuns.remove(run.getKey());
            provider.runChangedAt.remove(run.getKey());
            changed |= counts != null;
            sendRun(name, provider, run.getKey(), run.getValue(), counts);
        }
        return changed;
    }

    /**
     * Adds {@code counts} (null: none) to the run's score and sends its next version when it changed: new counts, or
     * now complete (closed). {@code known} is what ingest.runs says of the run, null when nothing.
     */
    private void sendRun(String name, ProviderWindows provider, String run, IngestRun known, QualityTally counts) {
        String key = QualityRunScore.keyOf(name, run);
        QualityWindow before = runs.get(key);
        QualityTally tally = before == null ? new QualityTally() : before.tally().copy();
        if (counts != null) {
            tally.add(counts);
        }
        boolean closed = known != null && known.status() != IngestRunStatus.RUNNING
                && tally.denominator(QualityDimension.VALIDITY) >= known.recordsPublished();
        if (counts == null && (before == null || closed == before.closed())) {
            return;
        }
        long version = before == null ? 1 : before.version() + 1;
        long now = context.currentSystemTimeMs();
        QualityRunScore score = QualityScores.ofRun(name, run, known == null ? null : known.recordsPublished(), tally,
                settings.weights(), closed, version, Instant.ofEpochMilli(now));
        runs.put(key, new QualityWindow(tally, version, closed));
        if (closed) {
            provider.openRuns.remove(run);
        } else {
            provider.openRuns.put(run, punctuations);
        }
        context.forward(new Record<>(key, score, now));
    }

    /**
     * Adds {@code counts} (null: none) to the window, sends its next version and keeps it, closed when the provider's
     * data time passed its end plus the grace.
     */
    private void send(String name, ProviderWindows provider, long start, QualityTally counts) {
        String key = key(name, start);
        QualityWindow before = windows.get(key);
        QualityTally tally = before == null ? new QualityTally() : before.tally().copy();
        if (counts != null) {
            tally.add(counts);
        }
        long end = start + settings.window().toMillis();
        boolean closed = provider.dataTime != Long.MIN_VALUE && provider.dataTime >= end + settings.grace().toMillis();
        long version = before == null ? 1 : before.version() + 1;
        long now = context.currentSystemTimeMs();
        QualityScore score = QualityScores.of(name, start, end, tally, settings.weights(), closed, version, Instant.ofEpochMilli(now));
        windows.put(key, new QualityWindow(tally, version, closed));
        if (closed) {
            provider.open.remove(start);
        } else {
            provider.open.put(start, punctuations);
        }
        metrics.qualityScore(score);
        shown.add(name);
        // Stamped with the time it was computed: a data time may lie years ahead (a fixture of 2030) or before 1970,
        // and the broker refuses a timestamp more than log.message.timestamp.after.max.ms ahead of its clock.
        context.forward(new Record<>(QualityScore.keyOf(name, score.windowStart()), score, now));
    }

    @Override
    public void close() {
        shown.forEach(metrics::forgetQuality);
        shown.clear();
    }

    private static String key(String provider, long windowStart) {
        return provider + SEPARATOR + windowStart;
    }
}
