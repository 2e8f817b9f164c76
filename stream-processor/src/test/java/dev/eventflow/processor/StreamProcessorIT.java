package dev.eventflow.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventflow.model.DeadLetter;
import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Event;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.processor.app.StreamProcessorApp;
import dev.eventflow.testing.KafkaClusterExtension;
import dev.eventflow.testing.TopicClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The stream processor on a real broker, with exactly_once_v2 and the configured task idling. */
class StreamProcessorIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.embedded();

    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final Duration QUIET = Duration.ofSeconds(2);

    @TempDir
    Path stateDir;

    @Test
    void shouldTurnASeasonAndPoisonPillsIntoExactCleanTopicsWithExactlyOnce() throws Exception {
        // Given a season of raw rows and two poison pills on the raw topics
        EventflowTopics topics = EventflowTopics.defaults();
        List<RawRecords.Keyed> season = RawRecords.footballData(RawRecords.DATA.resolve("SP1_2012-13.csv"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.cluster().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (RawRecords.Keyed row : season) {
                producer.send(new ProducerRecord<>(topics.eventsRaw().name(), row.key().getBytes(StandardCharsets.UTF_8),
                        RawRecords.bytes(row.envelope())));
            }
            producer.send(new ProducerRecord<>(topics.eventsRaw().name(), "pill-1".getBytes(StandardCharsets.UTF_8),
                    "not json".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(topics.returnRatesRaw().name(), "pill-2".getBytes(StandardCharsets.UTF_8),
                    RawRecords.bytes(new RawEnvelope("synthetic", "x", null, null, "r", RawRecords.RECEIVED_AT, null,
                            RawRecords.json("{'id':'1'}")))));
            producer.flush();
        }

        // When the stream processor runs with exactly_once_v2
        ProcessorConfig config = ProcessorConfig.defaults()
                .with(ProcessorConfig.BOOTSTRAP_SERVERS, KAFKA.cluster().bootstrapServers())
                .with(ProcessorConfig.APPLICATION_ID, "eventflow-it-" + UUID.randomUUID())
                .with(ProcessorConfig.STATE_DIR, stateDir.toString())
                .with(ProcessorConfig.METRICS_PORT, "0");
        assertThat(config.streamsProperties().getProperty("processing.guarantee")).isEqualTo("exactly_once_v2");
        try (StreamProcessorApp app = StreamProcessorApp.start(config)) {
            await("Kafka Streams RUNNING").atMost(TIMEOUT).until(() -> app.state() == KafkaStreams.State.RUNNING);

            // Then committed output holds exactly the season: 380 events, 20 teams, 3,794 prices, 380 enriched events
            TopicClient client = new TopicClient(KAFKA.cluster());
            List<ConsumerRecord<String, Event>> events = client.readExactly(topics.eventsClean(), 380, TIMEOUT, QUIET);
            assertThat(events.stream().map(ConsumerRecord::key).distinct()).hasSize(380);
            client.readExactly(topics.entitiesClean(), 20, TIMEOUT, QUIET);
            client.readExactly(topics.returnRatesClean(), 3794, TIMEOUT, QUIET);
            List<ConsumerRecord<String, EnrichedEvent>> enriched = client.readExactly(topics.eventsEnriched(), 380, TIMEOUT, QUIET);
            EnrichedEvent celta = enriched.stream().map(ConsumerRecord::value)
                    .filter(e -> e.eventId().equals("football:sp1:2012-08-18:celta-vigo:malaga")).findFirst().orElseThrow();
            assertThat(celta.bookmakers()).isEqualTo(10);
            // and the two pills are dead letters, with their reasons
            List<ConsumerRecord<byte[], byte[]>> dead = client.readExactly(topics.deadLetters(), 2, TIMEOUT, QUIET);
            assertThat(dead).extracting(r -> DeadLetter.readFrom(r.headers()).stage())
                    .containsExactlyInAnyOrder(DeadLetter.STAGE_DESERIALIZE, DeadLetter.STAGE_VALIDATE);

            // and the endpoints answer
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + app.healthPort();
            assertThat(get(http, base + "/ready").statusCode()).isEqualTo(200);
            assertThat(get(http, base + "/health").body()).isEqualTo("RUNNING\n");
            String metrics = get(http, base + "/metrics").body();
            assertThat(metrics).contains("eventflow_records_in_total{provider=\"football-data\"} 380.0");
            assertThat(metrics).contains("eventflow_records_out_total{topic=\"events.clean\"} 380.0");
            assertThat(metrics).contains("kafka_stream_");
        }
        assertThat(Files.exists(stateDir)).isTrue();
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
