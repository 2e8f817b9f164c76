package dev.eventflow.reliability;

import dev.eventflow.ingest.generate.Generator;
import dev.eventflow.ingest.generate.SyntheticFeed;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.topics.EventflowTopics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The input every run gets, the same records in the same order each time (fixed seeds and data times):
 * a backfill of synthetic history (the synthetic feed's own format) published as fast as the producer goes, then a live feed
 * published at a chosen rate while the fault happens. The synthetic feed brings exact duplicates (2 %),
 * older snapshots after newer ones (1 %) and malformed records (1 %), so the dedup, the stale-refusal
 * and the dead-letter paths all carry data through the faults.
 *
 * <p>Sizes: the synthetic feed's fixtures kick off within 31 days of its start, between 20 teams, so one
 * segment holds at most about 11,800 distinct matches (events); the backfill is several segments, 40 days
 * apart, so that their events are distinct: 36,000 raw records that land as about 110,000 rows (an event, its
 * enriched row and one return rate per bookmaker, 1 to 6, for each of about 17,000 matches; the entities, the
 * dead letters and the ingest runs). Two fixtures of a segment may be the same match (same teams, same day):
 * one event fed by two raw keys, as when two providers send the same match.
 */
final class Input {

    static final int SEGMENTS = 6;
    static final long RECORDS_PER_SEGMENT = 6_000;
    static final int FIXTURES_PER_SEGMENT = 6_000;
    static final Instant BACKFILL_START = Instant.parse("2024-01-01T00:00:00Z");
    static final long LIVE_RECORDS = 3_000;
    static final int LIVE_FIXTURES = 400;
    /** The live feed's data time: after the whole backfill, as live data is. */
    static final Instant LIVE_START = Instant.parse("2025-03-01T00:00:00Z");

    private Input() {
    }

    static long backfillRecords() {
        return SEGMENTS * RECORDS_PER_SEGMENT;
    }

    static SyntheticFeed.Options segment(int i) {
        return new SyntheticFeed.Options(RECORDS_PER_SEGMENT, FIXTURES_PER_SEGMENT, BACKFILL_START.plus(Duration.ofDays(40L * i)),
                Duration.ofSeconds(1), 0.02, 0.01, 0.01);
    }

    static SyntheticFeed.Options live() {
        return new SyntheticFeed.Options(LIVE_RECORDS, LIVE_FIXTURES, LIVE_START, Duration.ofSeconds(1), 0.02, 0.01, 0.01);
    }

    /** Publishes the backfill, one ingest run per segment; returns once every record is acknowledged. */
    static List<IngestRun> publishBackfill(RawPublisher publisher, EventflowTopics topics) throws InterruptedException {
        List<IngestRun> runs = new ArrayList<>();
        Generator generator = new Generator(publisher, topics, Clock.systemUTC());
        for (int i = 0; i < SEGMENTS; i++) {
            runs.add(generator.generate(1_000 + i, segment(i), 0));
        }
        publisher.flush();
        return runs;
    }

    /** Publishes the live feed at {@code ratePerSecond} (0: as fast as possible); returns its run. */
    static IngestRun publishLive(RawPublisher publisher, EventflowTopics topics, double ratePerSecond) throws InterruptedException {
        IngestRun run = new Generator(publisher, topics, Clock.systemUTC()).generate(9_000, live(), ratePerSecond);
        publisher.flush();
        return run;
    }
}
