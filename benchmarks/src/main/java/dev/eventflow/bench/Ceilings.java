package dev.eventflow.bench;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.model.EnrichedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.postgresql.PGConnection;

/**
 * What the machine itself can do, measured in the same run as the pipeline: the broker's produce and
 * consume rates for records of the raw topics' size (the logic of Kafka's producer and consumer
 * performance tools: pre-built records, one producer, one consumer), and PostgreSQL's COPY and JDBC
 * batch-upsert rates for rows of the {@code events_enriched} shape.
 */
final class Ceilings {

    private Ceilings() {
    }

    /** Records/s of one idempotent acks=all producer with the ingest producer's batching, into {@code partitions} partitions. */
    static double produce(String bootstrap, String topic, int partitions, List<byte[][]> records) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        Map<String, Object> config = RawPublisher.producerConfig(bootstrap);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            Future<?> last = null;
            for (byte[][] record : records) {
                last = producer.send(new ProducerRecord<>(topic, record[0], record[1]));
            }
            producer.flush();
            if (last != null) {
                last.get();
            }
        }
        return records.size() / seconds(start);
    }

    /** Records/s of one read_committed consumer reading {@code count} records of {@code topic} from the start. */
    static double consume(String bootstrap, String topic, int count) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "eventflow-bench-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        long start = System.nanoTime();
        int seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (seen < count) {
                seen += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return count / seconds(start);
    }

    /** The two PostgreSQL ceilings, rows/s. */
    record Postgres(double copy, double batchUpsert) {
    }

    /**
     * COPY of {@code rows} enriched-event rows into a copy of {@code events_enriched} (same columns,
     * key and index), and the same rows upserted by JDBC batches of {@code batchSize} (one statement
     * per batch with reWriteBatchedInserts, one transaction per batch, as the sink does) into another.
     */
    static Postgres postgres(String jdbcUrl, String user, String password, int rows, int batchSize) throws Exception {
        List<Object[]> data = enrichedRows(rows);
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password); Statement sql = db.createStatement()) {
            sql.execute("DROP TABLE IF EXISTS bench_copy, bench_upsert");
            sql.execute("CREATE TABLE bench_copy (LIKE events_enriched INCLUDING ALL)");
            sql.execute("CREATE TABLE bench_upsert (LIKE events_enriched INCLUDING ALL)");
        }
        double copy = copy(jdbcUrl, user, password, data);
        double upsert = upsert(jdbcUrl, user, password, data, batchSize);
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password); Statement sql = db.createStatement()) {
            sql.execute("DROP TABLE bench_copy, bench_upsert");
        }
        return new Postgres(copy, upsert);
    }

    private static final String COLUMNS = "event_id, sport, competition, kickoff, home_entity_id, away_entity_id, status, home_score, "
            + "away_score, bookmakers, best_home, best_draw, best_away, avg_home, avg_draw, avg_away, best_payout, avg_payout, rates_as_of";

    private static double copy(String jdbcUrl, String user, String password, List<Object[]> data) throws Exception {
        StringBuilder csv = new StringBuilder(data.size() * 200);
        for (Object[] row : data) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    csv.append(',');
                }
                if (row[i] != null) {
                    csv.append(row[i] instanceof Timestamp t ? t.toInstant().toString() : row[i].toString());
                }
            }
            csv.append('\n');
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            long start = System.nanoTime();
            db.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY bench_copy (" + COLUMNS + ") FROM STDIN (FORMAT csv)", new ByteArrayInputStream(bytes));
            return data.size() / seconds(start);
        }
    }

    private static double upsert(String jdbcUrl, String user, String password, List<Object[]> data, int batchSize) throws SQLException {
        BatchUpsert.Table table = ContractRows.of("enriched-event", EnrichedEvent.class).table("bench_upsert");
        try (Connection db = DriverManager.getConnection(BatchUpsert.rewriteBatchedInserts(jdbcUrl), user, password)) {
            long start = System.nanoTime();
            BatchUpsert.upsert(db, table, data.iterator(), batchSize);
            return data.size() / seconds(start);
        }
    }

    /** Rows shaped like the sink's {@code events_enriched} rows, distinct keys. */
    private static List<Object[]> enrichedRows(int rows) {
        List<Object[]> data = new ArrayList<>(rows);
        Instant kickoff = Instant.parse("2026-01-01T15:00:00Z");
        for (int i = 0; i < rows; i++) {
            Timestamp time = Timestamp.from(kickoff.plusSeconds(i));
            data.add(new Object[] {"bench-" + i, "football", "E0", time, "football:team-" + (i % 20), "football:team-" + ((i + 7) % 20),
                "SCHEDULED", null, null, 6, new BigDecimal("2.150000"), new BigDecimal("3.600000"), new BigDecimal("3.900000"),
                new BigDecimal("2.080000"), new BigDecimal("3.450000"), new BigDecimal("3.750000"), new BigDecimal("1.012345"),
                new BigDecimal("0.951234"), time});
        }
        return data;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
