package dev.eventflow.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.topics.TopicDefinition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The whole embedded stack, started and stopped for real. */
class LocalStackIT {

    @Test
    void shouldRunBrokerConnectAndPostgresThenLeaveNothingBehind() throws Exception {
        LocalStack stack = LocalStack.start(LocalStackConfig.defaults().withFreePorts());
        int kafkaPort = stack.embeddedBroker().orElseThrow().port();
        int controllerPort = stack.embeddedBroker().orElseThrow().controllerPort();
        int connectPort = stack.embeddedConnect().orElseThrow().port();
        int postgresPort = stack.embeddedPostgres().orElseThrow().port();
        long postmasterPid = stack.embeddedPostgres().orElseThrow().postmasterPid();
        Path workDir = stack.workDir();
        try {
            // Given the contract topics exist, compacted where the contract says so
            assertContractTopicsExist(stack);

            // When a record is produced to a contract topic, then it is consumed unchanged
            RawEnvelope sent = envelope();
            TopicDefinition<String, RawEnvelope> raw = stack.topics().eventsRaw();
            produce(stack, raw, "E0/2019-08-09/Liverpool/Norwich", sent);
            assertThat(consumeOne(stack, raw)).isEqualTo(sent);

            // PostgreSQL answers SQL
            try (Connection db = connect(stack); Statement sql = db.createStatement()) {
                sql.execute("CREATE TABLE smoke_rows (id TEXT PRIMARY KEY, name TEXT NOT NULL, score INTEGER)");
                try (ResultSet rs = sql.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(17);
                }
            }

            // A JDBC sink connector on the Connect worker writes a topic's record into that table
            createTopic(stack, "smoke");
            deployJdbcSink(stack, "smoke-sink", "smoke", "smoke_rows");
            produceWithSchema(stack, "smoke", "k1", "Liverpool", 4);
            await("row k1 in smoke_rows").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(rows(stack, "SELECT id, name, score FROM smoke_rows"))
                            .containsExactly(List.of("k1", "Liverpool", "4")));
        } finally {
            stack.close();
        }

        // Nothing is left listening, running or on disk
        assertThat(List.of(kafkaPort, controllerPort, connectPort, postgresPort))
                .allSatisfy(port -> assertThat(Ports.isListening(port)).as("port %d listening", port).isFalse());
        assertThat(postmasterPid).isPositive();
        assertThat(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive).orElse(false))
                .as("postmaster %d alive", postmasterPid).isFalse();
        assertThat(Files.exists(workDir)).as("%s exists", workDir).isFalse();
    }

    private static void assertContractTopicsExist(LocalStack stack) throws Exception {
        try (Admin admin = Admin.create(stack.clientConfig())) {
            assertThat(admin.listTopics().names().get())
                    .containsAll(stack.topics().all().stream().map(TopicDefinition::name).toList());
            ConfigResource eventsClean = new ConfigResource(ConfigResource.Type.TOPIC, stack.topics().eventsClean().name());
            Config config = admin.describeConfigs(List.of(eventsClean)).all().get().get(eventsClean);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(admin.describeTopics(List.of(stack.topics().eventsClean().name())).allTopicNames().get()
                    .get(stack.topics().eventsClean().name()).partitions()).hasSize(6);
        }
    }

    static RawEnvelope envelope() {
        return new RawEnvelope("football-data", "E0_2019-20.csv", 2L, "c0ffee", "run-" + UUID.randomUUID(),
                Instant.parse("2026-11-22T10:00:00Z"), Instant.parse("2019-08-09T19:00:00Z"),
                JsonNodeFactory.instance.objectNode().put("HomeTeam", "Liverpool").put("FTHG", "4"));
    }

    private static <V> void produce(LocalStack stack, TopicDefinition<String, V> topic, String key, V value) throws Exception {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        }
    }

    private static <V> V consumeOne(LocalStack stack, TopicDefinition<String, V> topic) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            List<ConsumerRecord<String, V>> received = new ArrayList<>();
            await("one record on " + topic.name()).atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                        return !received.isEmpty();
                    });
            assertThat(received).hasSize(1);
            assertThat(received.get(0).key()).isEqualTo("E0/2019-08-09/Liverpool/Norwich");
            return received.get(0).value();
        }
    }

    private static void createTopic(LocalStack stack, String name) throws Exception {
        try (Admin admin = Admin.create(stack.clientConfig())) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(name, 1, (short) 1))).all().get();
        }
    }

    private static void deployJdbcSink(LocalStack stack, String name, String topic, String table) throws Exception {
        String config = """
                {
                  "connector.class": "%s",
                  "tasks.max": "1",
                  "topics": "%s",
                  "connection.url": "%s",
                  "connection.username": "%s",
                  "connection.password": "",
                  "insert.mode": "upsert",
                  "primary.key.mode": "record_key",
                  "primary.key.fields": "id",
                  "schema.evolution": "none",
                  "collection.name.format": "%s",
                  "key.converter": "org.apache.kafka.connect.json.JsonConverter",
                  "key.converter.schemas.enable": "true",
                  "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                  "value.converter.schemas.enable": "true"
                }
                """.formatted(LocalStack.JDBC_SINK_CONNECTOR, topic, stack.jdbcUrl(), stack.jdbcUser(), table);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(config)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        await("connector " + name + " RUNNING with a RUNNING task").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    String status = http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + name + "/status"))
                            .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
                    assertThat(status).contains("\"tasks\":[{\"id\":0,\"state\":\"RUNNING\"");
                });
    }

    private static void produceWithSchema(LocalStack stack, String topic, String id, String name, int score) throws Exception {
        String key = "{\"schema\":{\"type\":\"struct\",\"optional\":false,\"fields\":[{\"field\":\"id\",\"type\":\"string\",\"optional\":false}]},"
                + "\"payload\":{\"id\":\"" + id + "\"}}";
        String value = "{\"schema\":{\"type\":\"struct\",\"optional\":false,\"fields\":["
                + "{\"field\":\"id\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"name\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"score\",\"type\":\"int32\",\"optional\":true}]},"
                + "\"payload\":{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"score\":" + score + "}}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static Connection connect(LocalStack stack) throws Exception {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword());
    }

    private static List<List<String>> rows(LocalStack stack, String query) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (Connection db = connect(stack); Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
