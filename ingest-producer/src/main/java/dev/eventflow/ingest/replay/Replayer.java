package dev.eventflow.ingest.replay;

import dev.eventflow.ingest.ProviderFormat;
import dev.eventflow.ingest.files.ProviderFile;
import dev.eventflow.ingest.files.ReadReport;
import dev.eventflow.ingest.files.RowReader;
import dev.eventflow.ingest.files.SourceRow;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.ingest.runs.Checkpoints;
import dev.eventflow.ingest.runs.Progress;
import dev.eventflow.ingest.runs.RunLog;
import dev.eventflow.model.IngestCheckpoint;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes history from files into the raw topics, untouched, each record timestamped with the
 * data's own time (capped at now: brokers refuse timestamps far in the future), so the processor's
 * as-of joins and retention behave as they did live. Resumable: checkpoints per file in
 * {@code ingest.checkpoints}; a replay killed midway and restarted with the same files continues
 * where it stopped.
 */
public final class Replayer {

    private static final Logger LOG = LoggerFactory.getLogger(Replayer.class);
    /** Skip reason of a file that is not text. */
    static final String BINARY = "binary file (it holds NUL bytes), not CSV or JSON-lines text";

    private final RawPublisher publisher;
    private final Checkpoints checkpoints;
    private final EventflowTopics topics;
    private final Clock clock;
    private final int checkpointEvery;
    private final List<Path> upToDate = new ArrayList<>();

    public Replayer(RawPublisher publisher, Checkpoints checkpoints, EventflowTopics topics, Clock clock, int checkpointEvery) {
        this.publisher = publisher;
        this.checkpoints = checkpoints;
        this.topics = topics;
        this.clock = clock;
        this.checkpointEvery = checkpointEvery;
    }

    /**
     * What to replay.
     *
     * @param files     the files, in order
     * @param provider  the provider of every file, or null to choose by file kind (CSV: football-data; JSON lines: synthetic)
     * @param speed     0 for as fast as possible, else a multiple of real time (by the data's own times)
     * @param from      earliest data time to publish, or null
     * @param to        latest data time to publish (exclusive), or null
     * @param fromStart ignore checkpoints and publish every file from its first record
     */
    public record Options(List<Path> files, ProviderFormat provider, double speed, Instant from, Instant to, boolean fromStart) {
    }

    public IngestRun replay(Options options) {
        String providers = options.provider() != null ? options.provider().id()
                : options.files().stream().map(f -> formatFor(null, f).id()).distinct().sorted().collect(Collectors.joining(","));
        String source = options.files().stream().map(Path::toString).collect(Collectors.joining(","));
        RunLog run = RunLog.start(publisher, topics.ingestRuns(), clock, "replay", providers, source);
        try {
            List<ProviderFile> files = new ArrayList<>();
            long total = 0;
            upToDate.clear();
            for (Path path : options.files()) {
                ProviderFile file = ProviderFile.open(path);
                long checkpoint = options.fromStart() ? 0 : checkpointLine(file, formatFor(options.provider(), path));
                if (checkpoint >= file.lines() && checkpoint > 0) {
                    // Read to its end by an earlier replay and no longer since: nothing to publish, nothing to count.
                    LOG.info("{}: nothing new, already replayed to its last line ({}, checkpoint); --from-start replays it again",
                            path, file.lines());
                    upToDate.add(path);
                    continue;
                }
                files.add(file);
                total += file.lines();
            }
            Pacer pacer = new Pacer(options.speed(), clock);
            try (Progress progress = Progress.start("replay", total)) {
                for (ProviderFile file : files) {
                    replayFile(file, formatFor(options.provider(), file.path()), options, run, pacer, progress);
                }
            }
            IngestRun done = run.succeed();
            LOG.info("Replay {} done: read {}, published {}, skipped {} {}", done.runId(), done.recordsRead(),
                    done.recordsPublished(), done.recordsSkipped(), done.skippedByReason());
            return done;
        } catch (IOException e) {
            throw failed(run, new UncheckedIOException(e.getMessage(), e));
        } catch (RuntimeException e) {
            throw failed(run, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(run, new IllegalStateException("interrupted (" + e.getMessage() + "); run again to resume", e));
        }
    }

    /**
     * The files the last {@link #replay} left out because an earlier replay had published them to their
     * last line (their checkpoints say so, and they have not grown since); empty with {@code fromStart}.
     */
    public List<Path> upToDate() {
        return List.copyOf(upToDate);
    }

    private long checkpointLine(ProviderFile file, ProviderFormat format) {
        return checkpoints.get(sourceId(file, format)).map(IngestCheckpoint::line).map(Long::longValue).orElse(0L);
    }

    private static String sourceId(ProviderFile file, ProviderFormat format) {
        return "replay|" + format.id() + "|" + file.path();
    }

    private RuntimeException failed(RunLog run, RuntimeException e) {
        run.fail(e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString()));
        return e;
    }

    private void replayFile(ProviderFile file, ProviderFormat format, Options options, RunLog run, Pacer pacer,
                            Progress progress) throws IOException, InterruptedException {
        String sourceId = sourceId(file, format);
        long resumeAfter = options.fromStart() ? 0 : checkpointLine(file, format);
        if (resumeAfter > 0) {
            LOG.info("Resuming {} after line {} (checkpoint)", file.path(), resumeAfter);
        }
        LOG.info("Replaying {} as {} ({}, {} lines) to {}", file.path(), format.id(), file.encoding(), file.lines(),
                format.topic(topics).name());
        if (file.binary()) {
            // Not text: reading it as CSV or JSON lines would publish garbage, one record per stray line break.
            LOG.warn("{} is not a text file (it holds NUL bytes: binary data, or UTF-16 text): skipped", file.path());
            run.readAndSkipped(BINARY, 1);
            checkpoints.save(sourceId, file.lines(), null, run.runId());
            return;
        }
        ReadReport report = new ReadReport();
        long sinceCheckpoint = 0;
        long lastLine = resumeAfter;
        try (RowReader rows = RowReader.open(file, report)) {
            while (rows.hasNext()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("stopped at line " + lastLine + " of " + file.path());
                }
                SourceRow row = rows.next();
                progress.step();
                if (row.line() <= resumeAfter) {
                    continue;
                }
                run.read();
                lastLine = row.line();
                Optional<Instant> eventTime = format.eventTime(row.payload());
                String skip = outsideRange(eventTime, options);
                if (skip != null) {
                    run.skipped(skip, 1);
                    continue;
                }
                Instant now = clock.instant();
                pacer.await(eventTime);
                RawEnvelope envelope = new RawEnvelope(format.id(), file.path().toString(), row.line(), row.contentHash(),
                        run.runId(), now, eventTime.orElse(null), row.payload());
                long timestamp = eventTime.filter(t -> t.isBefore(now)).orElse(now).toEpochMilli();
                TopicDefinition<String, RawEnvelope> target = format.topic(topics, row.payload());
                String key = format.key(row.payload(), row.line());
                byte[] value;
                try {
                    value = target.valueSerde().serializer().serialize(target.name(), envelope);
                } catch (org.apache.kafka.common.errors.SerializationException e) {
                    // Valid JSON that JSON output refuses (a number such as 1e999999999): nothing can carry it
                    LOG.warn("{} line {}: {}: skipped", file.path(), row.line(), e.getMessage());
                    run.skipped(unwritable(e), 1);
                    continue;
                }
                if (!publisher.fits(key, value)) {
                    LOG.warn("{} line {}: the record is {} bytes, more than the producer's max.request.size ({}): skipped",
                            file.path(), row.line(), value.length, publisher.maxRecordBytes());
                    run.skipped(tooLarge(publisher.maxRecordBytes()), 1);
                    continue;
                }
                publisher.send(target.name(), key, value, timestamp);
                if (++sinceCheckpoint >= checkpointEvery) {
                    checkpoints.save(sourceId, lastLine, null, run.runId());
                    sinceCheckpoint = 0;
                }
            }
        }
        for (Map.Entry<String, Long> skipped : report.skipped().entrySet()) {
            run.readAndSkipped(skipped.getKey(), skipped.getValue());
        }
        report.anomalies().forEach(run::anomaly);
        if (!report.anomalies().isEmpty()) {
            LOG.warn("{}: published with anomalies {}", file.path(), report.anomalies());
        }
        if (file.truncated() != null) {
            LOG.warn("{}: {}; its complete records were published, up to line {}", file.path(), file.truncated(),
                    file.completeLines());
            run.anomaly("truncated or corrupt gzip file", 1);
        }
        // Never past a record the data stopped inside: the same command on a repaired file goes on from it.
        checkpoints.save(sourceId, Math.max(lastLine, file.completeLines()), null, run.runId());
    }

    /** Skip reason of a record whose envelope cannot be written. */
    static String unwritable(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("illegal scale") ? UNWRITABLE_NUMBER
                : "record cannot be written as JSON: " + message.lines().findFirst().orElse(message);
    }

    /** Skip reason of a record with a number that JSON output cannot write. */
    static final String UNWRITABLE_NUMBER = "record cannot be written as JSON (a number with an exponent beyond 9999, such as 1e999999999)";

    /** Skip reason of a record the producer cannot send. */
    static String tooLarge(int maxRecordBytes) {
        return "record larger than the producer's max.request.size (" + maxRecordBytes + " bytes)";
    }

    private static String outsideRange(Optional<Instant> eventTime, Options options) {
        if (options.from() == null && options.to() == null) {
            return null;
        }
        if (eventTime.isEmpty()) {
            return "no readable time for the date range";
        }
        Instant time = eventTime.get();
        if ((options.from() != null && time.isBefore(options.from())) || (options.to() != null && !time.isBefore(options.to()))) {
            return "outside the date range";
        }
        return null;
    }

    static ProviderFormat formatFor(ProviderFormat explicit, Path path) {
        if (explicit != null) {
            return explicit;
        }
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".csv") || name.endsWith(".csv.gz") ? ProviderFormat.FOOTBALL_DATA : ProviderFormat.SYNTHETIC;
    }

    /** Holds records back so that data time passes {@code speed} times faster than wall time. */
    static final class Pacer {
        private final double speed;
        private final Clock clock;
        private Instant firstDataTime;
        private Instant firstWallTime;

        Pacer(double speed, Clock clock) {
            this.speed = speed;
            this.clock = clock;
        }

        void await(Optional<Instant> dataTime) throws InterruptedException {
            if (speed <= 0 || dataTime.isEmpty()) {
                return;
            }
            if (firstDataTime == null) {
                firstDataTime = dataTime.get();
                firstWallTime = clock.instant();
                return;
            }
            long dataMillis = Duration.between(firstDataTime, dataTime.get()).toMillis();
            Instant due = firstWallTime.plusMillis((long) (dataMillis / speed));
            long wait = Duration.between(clock.instant(), due).toMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
        }
    }
}
