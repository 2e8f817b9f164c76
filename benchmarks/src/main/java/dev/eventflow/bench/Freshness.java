package dev.eventflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventflow.ingest.ProviderFormat;
import dev.eventflow.ingest.generate.SyntheticFeed;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.serde.Json;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Live freshness: a steady synthetic feed, and for every snapshot the time from the producer's send
 * to the commit of the PostgreSQL transaction that made its return rates visible.
 *
 * <p>Each snapshot's data time is unique to the millisecond (the feed's clock steps 1 ms per record),
 * and the sink writes it to {@code return_rates.quoted_at}. A trigger logs every row version written
 * to {@code return_rates} with its transaction id; the commit time comes from
 * {@code pg_xact_commit_timestamp} (the embedded PostgreSQL tracks commit times). The sink's
 * reduction buffer writes only the newest of several versions of a row in one batch, so a snapshot
 * is visible from the first commit of its own rows or of a newer snapshot of the same fixture.
 * Exact duplicates (dropped by design) and malformed records (dead-lettered) have no rows of their
 * own and are not measured.
 */
final class Freshness {

    /**
     * @param sent      records sent
     * @param snapshots well-formed, first-time snapshots among them (the measured ones)
     * @param observed  snapshots whose rows were found in PostgreSQL
     * @param rate      records/s actually sent
     */
    record Result(long sent, long snapshots, long observed, double rate, double p50, double p95, double p99, double max) {
    }

    private Freshness() {
    }

    static void installProbe(Connection db) throws SQLException {
        try (Statement sql = db.createStatement()) {
            sql.execute("CREATE TABLE bench_visibility (event_id TEXT NOT NULL, quoted_at TIMESTAMPTZ NOT NULL, txid BIGINT NOT NULL)");
            sql.execute("CREATE FUNCTION bench_log_visibility() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ "
                    + "BEGIN INSERT INTO bench_visibility VALUES (NEW.event_id, NEW.quoted_at, txid_current()); RETURN NULL; END $$");
            sql.execute("CREATE TRIGGER bench_visibility AFTER INSERT OR UPDATE ON return_rates "
                    + "FOR EACH ROW EXECUTE FUNCTION bench_log_visibility()");
        }
    }

    static void removeProbe(Connection db) throws SQLException {
        try (Statement sql = db.createStatement()) {
            sql.execute("DROP TRIGGER IF EXISTS bench_visibility ON return_rates");
            sql.execute("DROP FUNCTION IF EXISTS bench_log_visibility()");
            sql.execute("DROP TABLE IF EXISTS bench_visibility");
        }
    }

    /** A snapshot sent: its fixture's key and when. */
    record Sent(String key, Instant at) {
    }

    /** Sends the feed at {@code rate} records/s for {@code duration}; returns each measured snapshot by data time. */
    static Map<Long, Sent> send(RawPublisher publisher, String topic, long seed, double rate, Duration duration)
            throws Exception {
        ObjectMapper mapper = Json.mapper();
        long records = (long) (rate * duration.toMillis() / 1000);
        // Data times end about now: one millisecond apart, so unique at the sink's millisecond precision.
        Instant first = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusMillis(records);
        SyntheticFeed feed = new SyntheticFeed(seed, new SyntheticFeed.Options(records, 200, first, Duration.ofMillis(1),
                SyntheticRecords.DUPLICATES, 0, SyntheticRecords.MALFORMED));
        Map<Long, Sent> sendTimes = new HashMap<>();
        long started = System.nanoTime();
        long sent = 0;
        while (feed.hasNext()) {
            SyntheticFeed.Item item = feed.next();
            Instant now = Instant.now();
            RawEnvelope envelope = new RawEnvelope(ProviderFormat.SYNTHETIC.id(), "synthetic:" + seed, null, null, "bench-live", now,
                    item.time(), item.payload());
            publisher.send(topic, item.key(), mapper.writeValueAsBytes(envelope), Math.min(item.time().toEpochMilli(), now.toEpochMilli()));
            if (item.kind().equals("snapshot")) {
                sendTimes.put(item.time().toEpochMilli(), new Sent(item.key(), now));
            }
            sent++;
            long wait = started + (long) (sent * 1e9 / rate) - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        publisher.flush();
        return sendTimes;
    }

    /** One row version written to {@code return_rates}: its event, data time (ms) and commit time (us). */
    record Version(String eventId, long quotedAtMillis, long committedMicros) {
    }

    /** Latencies of the snapshots in {@code sendTimes}, once everything has landed. */
    static Result measure(Connection db, Map<Long, Sent> sendTimes, long sent, double seconds) throws SQLException {
        List<Version> versions = new ArrayList<>();
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery(
                "SELECT event_id, (extract(epoch FROM quoted_at) * 1000)::bigint, "
                        + "(extract(epoch FROM min(pg_xact_commit_timestamp((txid % 4294967296)::text::xid))) * 1000000)::bigint "
                        + "FROM bench_visibility GROUP BY 1, 2")) {
            while (rs.next()) {
                versions.add(new Version(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
        }
        return compute(sendTimes, versions, sent, seconds);
    }

    /**
     * A snapshot is visible from the first commit of a version of its event's rows at its own data
     * time or a newer one (the reduction buffer may have skipped its own version).
     */
    static Result compute(Map<Long, Sent> sendTimes, List<Version> versions, long sent, double seconds) {
        Map<String, TreeMap<Long, Long>> byEvent = new HashMap<>();
        Map<Long, String> eventOfTime = new HashMap<>();
        for (Version v : versions) {
            byEvent.computeIfAbsent(v.eventId(), e -> new TreeMap<>()).merge(v.quotedAtMillis(), v.committedMicros(), Math::min);
            eventOfTime.put(v.quotedAtMillis(), v.eventId());
        }
        // The event id a fixture resolved to, from any of its snapshots that was written as itself.
        Map<String, String> eventOfFixture = new HashMap<>();
        sendTimes.forEach((time, s) -> {
            String event = eventOfTime.get(time);
            if (event != null) {
                eventOfFixture.putIfAbsent(s.key(), event);
            }
        });
        // Per event and data time: the earliest commit of that version or of a newer one.
        Map<String, TreeMap<Long, Long>> visibleFrom = new HashMap<>();
        byEvent.forEach((event, byTime) -> {
            TreeMap<Long, Long> earliest = new TreeMap<>();
            long min = Long.MAX_VALUE;
            for (Map.Entry<Long, Long> v : byTime.descendingMap().entrySet()) {
                min = Math.min(min, v.getValue());
                earliest.put(v.getKey(), min);
            }
            visibleFrom.put(event, earliest);
        });
        List<Double> latencies = new ArrayList<>();
        sendTimes.forEach((time, s) -> {
            String event = eventOfFixture.get(s.key());
            Map.Entry<Long, Long> visible = event == null ? null : visibleFrom.get(event).ceilingEntry(time);
            if (visible != null) {
                latencies.add((visible.getValue() - micros(s.at())) / 1000.0);
            }
        });
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Result(sent, sendTimes.size(), sorted.length, sent / seconds,
                percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    }

    /** Nearest-rank percentile of sorted values, in the values' unit (NaN when there are none). */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
