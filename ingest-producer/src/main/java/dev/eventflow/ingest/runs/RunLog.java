package dev.eventflow.ingest.runs;

import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.IngestRunStatus;
import dev.eventflow.model.topics.TopicDefinition;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One ingest run and its counts, published to {@code ingest.runs} when it starts and when it ends.
 * Not thread-safe: one run is driven by one thread.
 */
public final class RunLog {

    private final RawPublisher publisher;
    private final TopicDefinition<String, IngestRun> topic;
    private final Clock clock;
    private final String runId;
    private final String command;
    private final String provider;
    private final String source;
    private final Instant startedAt;
    private final Map<String, Long> skipped = new TreeMap<>();
    private final Map<String, Long> anomalies = new TreeMap<>();
    private long read;
    private final long publishedBefore;

    private RunLog(RawPublisher publisher, TopicDefinition<String, IngestRun> topic, Clock clock, String command,
                   String provider, String source) {
        this.publisher = publisher;
        this.topic = topic;
        this.clock = clock;
        this.command = command;
        this.provider = provider;
        this.source = source;
        this.startedAt = clock.instant();
        this.runId = command + "-" + DateTimeFormatter.ISO_INSTANT.format(startedAt) + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        this.publishedBefore = publisher.acknowledged();
    }

    /** Starts a run and publishes it as RUNNING. */
    public static RunLog start(RawPublisher publisher, TopicDefinition<String, IngestRun> topic, Clock clock, String command,
                               String provider, String source) {
        RunLog run = new RunLog(publisher, topic, clock, command, provider, source);
        run.publish(run.snapshot(IngestRunStatus.RUNNING, null, null));
        publisher.flush();
        return run;
    }

    public String runId() {
        return runId;
    }

    public void read() {
        read++;
    }

    /** Records read and skipped at once (a file's blank rows): counted as read, and as skipped for {@code reason}. */
    public void readAndSkipped(String reason, long count) {
        read += count;
        skipped(reason, count);
    }

    public void skipped(String reason, long count) {
        if (count > 0) {
            skipped.merge(reason, count, Long::sum);
        }
    }

    public void anomaly(String kind, long count) {
        if (count > 0) {
            anomalies.merge(kind, count, Long::sum);
        }
    }

    /** Ends the run: waits for every record to be acknowledged, then publishes SUCCEEDED. */
    public IngestRun succeed() {
        publisher.flush();
        IngestRun run = snapshot(IngestRunStatus.SUCCEEDED, clock.instant(), null);
        publish(run);
        publisher.flush();
        return run;
    }

    /** Ends the run as FAILED with a one-line reason; best effort if the broker is what failed. */
    public IngestRun fail(String reason) {
        IngestRun run = snapshot(IngestRunStatus.FAILED, clock.instant(), reason);
        try {
            publish(run);
            publisher.flush();
        } catch (RuntimeException e) {
            // The run log lives on the broker that failed; the failure is reported by the caller.
        }
        return run;
    }

    /** The run as it stands. */
    public IngestRun snapshot(IngestRunStatus status, Instant finishedAt, String failure) {
        long published = publisher.acknowledged() - publishedBefore;
        long skippedTotal = skipped.values().stream().mapToLong(Long::longValue).sum();
        return new IngestRun(runId, command, provider, source, status, startedAt, finishedAt, read, published,
                skippedTotal, skipped, anomalies, failure);
    }

    private void publish(IngestRun run) {
        publisher.sendControl(topic.name(), runId, topic.valueSerde().serializer().serialize(topic.name(), run),
                clock.millis());
    }
}
