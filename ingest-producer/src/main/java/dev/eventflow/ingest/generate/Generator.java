package dev.eventflow.ingest.generate;

import dev.eventflow.ingest.ProviderFormat;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.ingest.runs.RunLog;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicDefinition;
import java.time.Clock;
import java.util.Locale;

/** Publishes a {@link SyntheticFeed} at a chosen rate (or as fast as possible), as one run. */
public final class Generator {

    private final RawPublisher publisher;
    private final EventflowTopics topics;
    private final Clock clock;

    public Generator(RawPublisher publisher, EventflowTopics topics, Clock clock) {
        this.publisher = publisher;
        this.topics = topics;
        this.clock = clock;
    }

    /**
     * @param ratePerSecond records per second, 0 for as fast as possible
     */
    public IngestRun generate(long seed, SyntheticFeed.Options options, double ratePerSecond) throws InterruptedException {
        String source = String.format(Locale.ROOT, "synthetic seed=%d records=%d fixtures=%d duplicates=%.3f out-of-order=%.3f malformed=%.3f",
                seed, options.records(), options.fixtures(), options.duplicates(), options.outOfOrder(), options.malformed());
        RunLog run = RunLog.start(publisher, topics.ingestRuns(), clock, "generate", ProviderFormat.SYNTHETIC.id(), source);
        TopicDefinition<String, RawEnvelope> topic = ProviderFormat.SYNTHETIC.topic(topics);
        SyntheticFeed feed = new SyntheticFeed(seed, options);
        long started = System.nanoTime();
        long sent = 0;
        try {
            while (feed.hasNext()) {
                SyntheticFeed.Item item = feed.next();
                run.read();
                var now = clock.instant();
                RawEnvelope envelope = new RawEnvelope(ProviderFormat.SYNTHETIC.id(), "synthetic:" + seed, null, null, run.runId(),
                        now, item.time(), item.payload());
                long timestamp = item.time().isBefore(now) ? item.time().toEpochMilli() : now.toEpochMilli();
                publisher.send(topic.name(), item.key(), topic.valueSerde().serializer().serialize(topic.name(), envelope), timestamp);
                sent++;
                if (ratePerSecond > 0) {
                    long due = started + (long) (sent * 1e9 / ratePerSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
            return run.succeed();
        } catch (RuntimeException e) {
            run.fail(e.toString());
            throw e;
        } catch (InterruptedException e) {
            // Ctrl-C on an endless feed: what was sent is confirmed and the run ends normally.
            Thread.currentThread().interrupt();
            return run.succeed();
        }
    }
}
