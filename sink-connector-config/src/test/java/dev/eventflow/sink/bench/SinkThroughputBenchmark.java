package dev.eventflow.sink.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventflow.localstack.LocalStack;
import dev.eventflow.localstack.LocalStackConfig;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicDefinition;
import dev.eventflow.sink.connectors.ConnectClient;
import dev.eventflow.sink.connectors.ConnectorConfigs;
import dev.eventflow.sink.connectors.ConnectorDeployer;
import dev.eventflow.sink.schema.SchemaMigrator;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sink throughput on the local stack: N return-rate records (distinct keys) on return-rates.clean
 * loaded by the Debezium JDBC sink through the contract converter, beside a JDBC batch upsert of the
 * same rows into the same table (reWriteBatchedInserts, batches of the same size) measured in the
 * same run. The embedded PostgreSQL runs with fsync off. Prints a table; asserts nothing.
 *
 * <pre>./mvnw -q -B install -DskipTests &amp;&amp; ./mvnw -q -B -pl sink-connector-config exec:java@sink-throughput</pre>
 */
public final class SinkThroughputBenchmark {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        boolean reduction = args.length <= 2 || Boolean.parseBoolean(args[2]);
        int updatesPerKey = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        // updatesPerKey records per key, consecutive, newest last (a price moving while the sink catches up)
        List<ReturnRate> rates = new ArrayList<>(rows);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < rows; i++) {
            int key = i / updatesPerKey;
            rates.add(new ReturnRate("e" + key + "|B365|1X2", "e" + key, "B365", "1X2", t.plusSeconds(i),
                    new BigDecimal("1.95").add(BigDecimal.valueOf(i % updatesPerKey, 2)), new BigDecimal("3.4"), new BigDecimal("4.1"),
                    new BigDecimal("0.512821"), new BigDecimal("0.294118"), new BigDecimal("0.243902"), new BigDecimal("0.950570"), "bench"));
        }
        int keys = (rows + updatesPerKey - 1) / updatesPerKey;
        try (LocalStack stack = LocalStack.start(LocalStackConfig.defaults().withFreePorts())) {
            SchemaMigrator.migrate(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), "eventflow_sink", "bench");
            // One statement cannot upsert a row twice: the ceiling writes each key's final row once.
            List<ReturnRate> finalRows = new ArrayList<>();
            for (int i = updatesPerKey - 1; i < rates.size(); i += updatesPerKey) {
                finalRows.add(rates.get(i));
            }
            double ceiling = jdbcUpsert(stack, finalRows, batch);
            try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword());
                 Statement sql = db.createStatement()) {
                sql.execute("TRUNCATE return_rates");
            }
            EventflowTopics topics = stack.topics();
            produce(stack, topics.returnRatesClean(), rates);
            Map<String, ObjectNode> all = ConnectorConfigs.render("debezium", topics, new ConnectorConfigs.Settings(stack.jdbcUrl(),
                    "eventflow_sink", 1, batch, "eventflow.sink.dlq", 1));
            all.get("eventflow-return-rates-sink").put("use.reduction.buffer", Boolean.toString(reduction));
            long started = System.nanoTime();
            new ConnectorDeployer(new ConnectClient(stack.connectUrl()), Duration.ofSeconds(1), Duration.ofSeconds(10))
                    .deploy(Map.of("eventflow-return-rates-sink", all.get("eventflow-return-rates-sink")), Duration.ofMinutes(2));
            // Done when every key holds its newest price (the last record of each key).
            while (count(stack) < keys || newest(stack, updatesPerKey) < keys) {
                Thread.sleep(100);
            }
            double sink = rows / ((System.nanoTime() - started) / 1e9);
            System.out.printf(Locale.ROOT, "%nSink throughput: %d return-rate records (%d per key), batch %d, use.reduction.buffer=%s, "
                    + "1 task, PostgreSQL 17 embedded (fsync off)%n", rows, updatesPerKey, batch, reduction);
            System.out.printf(Locale.ROOT, "| %-58s | %9s | %5s |%n", "measure", "rows/s", "ratio");
            System.out.printf(Locale.ROOT, "| %-58s | %9.0f | %5s |%n", "JDBC batch upsert ceiling (reWriteBatchedInserts, rows/s)", ceiling, "1.00");
            System.out.printf(Locale.ROOT, "| %-58s | %9.0f | %5.2f |%n", "Connect + Debezium JDBC sink + converter (records/s)", sink, sink / ceiling);
        }
    }

    static double jdbcUpsert(LocalStack stack, List<ReturnRate> rates, int batch) throws Exception {
        String url = stack.jdbcUrl() + "?reWriteBatchedInserts=true";
        long started = System.nanoTime();
        try (Connection db = DriverManager.getConnection(url, stack.jdbcUser(), stack.jdbcPassword());
             PreparedStatement upsert = db.prepareStatement("INSERT INTO return_rates (id, event_id, bookmaker, market, quoted_at, home, "
                     + "draw, away, implied_home, implied_draw, implied_away, payout, provider) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                     + "ON CONFLICT (id) DO UPDATE SET event_id = EXCLUDED.event_id, bookmaker = EXCLUDED.bookmaker, "
                     + "market = EXCLUDED.market, quoted_at = EXCLUDED.quoted_at, home = EXCLUDED.home, draw = EXCLUDED.draw, "
                     + "away = EXCLUDED.away, implied_home = EXCLUDED.implied_home, implied_draw = EXCLUDED.implied_draw, "
                     + "implied_away = EXCLUDED.implied_away, payout = EXCLUDED.payout, provider = EXCLUDED.provider")) {
            db.setAutoCommit(false);
            int pending = 0;
            for (ReturnRate r : rates) {
                upsert.setString(1, r.id());
                upsert.setString(2, r.eventId());
                upsert.setString(3, r.bookmaker());
                upsert.setString(4, r.market());
                upsert.setTimestamp(5, Timestamp.from(r.quotedAt()));
                upsert.setBigDecimal(6, r.home());
                upsert.setBigDecimal(7, r.draw());
                upsert.setBigDecimal(8, r.away());
                upsert.setBigDecimal(9, r.impliedHome());
                upsert.setBigDecimal(10, r.impliedDraw());
                upsert.setBigDecimal(11, r.impliedAway());
                upsert.setBigDecimal(12, r.payout());
                upsert.setString(13, r.provider());
                upsert.addBatch();
                if (++pending == batch) {
                    upsert.executeBatch();
                    db.commit();
                    pending = 0;
                }
            }
            upsert.executeBatch();
            db.commit();
        }
        return rates.size() / ((System.nanoTime() - started) / 1e9);
    }

    static void produce(LocalStack stack, TopicDefinition<String, ReturnRate> topic, List<ReturnRate> rates) throws Exception {
        try (KafkaProducer<String, ReturnRate> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 262144),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (ReturnRate rate : rates) {
                producer.send(new ProducerRecord<>(topic.name(), rate.id(), rate));
            }
            producer.flush();
        }
    }

    /** Rows holding their key's newest home price. */
    static long newest(LocalStack stack, int updatesPerKey) throws Exception {
        BigDecimal last = new BigDecimal("1.95").add(BigDecimal.valueOf(updatesPerKey - 1, 2));
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword());
             PreparedStatement sql = db.prepareStatement("SELECT count(*) FROM return_rates WHERE home = ?")) {
            sql.setBigDecimal(1, last);
            try (ResultSet rs = sql.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static long count(LocalStack stack) throws Exception {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword());
             Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery("SELECT count(*) FROM return_rates")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
