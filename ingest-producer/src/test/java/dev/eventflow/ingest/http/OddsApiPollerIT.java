package dev.eventflow.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.ingest.runs.Checkpoints;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.IngestRunStatus;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.testing.IsolatedTopics;
import dev.eventflow.testing.KafkaClusterExtension;
import dev.eventflow.testing.TopicClient;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The odds-api poller against a scripted local HTTP server, publishing to the embedded broker. */
class OddsApiPollerIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.embedded();

    static final Duration INITIAL_BACKOFF = Duration.ofMillis(40);
    static final String EVENT_A = "{\"id\":\"a\",\"sport\":\"football\",\"last_update\":\"2026-11-22T09:00:00Z\"}";
    static final String EVENT_B = "{\"id\":\"b\",\"sport\":\"football\",\"last_update\":\"2026-11-22T09:01:00Z\"}";
    static final String EVENT_C = "{\"id\":\"c\",\"sport\":\"football\",\"last_update\":\"2026-11-22T09:02:00Z\"}";

    ScriptedHttpServer server;
    EventflowTopics topics;
    RawPublisher publisher;
    final List<Long> retryWaits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedHttpServer();
        topics = IsolatedTopics.create(KAFKA.cluster()).topics();
        publisher = new RawPublisher(KAFKA.cluster().bootstrapServers(), Map.of());
    }

    @AfterEach
    void stop() {
        publisher.close();
        server.close();
    }

    OddsApiPoller poller(String path, int maxAttempts, int breakerFailures, Duration breakerOpen, Duration timeout) {
        ResilientHttp http = new ResilientHttp("odds-api", new ResilientHttp.Settings(timeout, maxAttempts, INITIAL_BACKOFF,
                Duration.ofSeconds(5), 100, breakerFailures, breakerOpen, "X-Api-Key", "secret-key"));
        http.retry().getEventPublisher().onRetry(event -> retryWaits.add(event.getWaitInterval().toMillis()));
        breaker = http.breaker();
        Checkpoints checkpoints = Checkpoints.load(KAFKA.cluster().bootstrapServers(), publisher, topics.ingestCheckpoints(), Clock.systemUTC());
        return new OddsApiPoller(http, publisher, checkpoints, topics, Clock.systemUTC(), server.uri(path));
    }

    CircuitBreaker breaker;

    List<ConsumerRecord<String, RawEnvelope>> published(int count) {
        return new TopicClient(KAFKA.cluster()).readExactly(topics.returnRatesRaw(), count, Duration.ofSeconds(20), Duration.ofMillis(500));
    }

    @Test
    void shouldRetryServerErrorsWithExponentialBackoffAndPublishEachEventOnce() {
        server.script("/odds", ScriptedHttpServer.Reply.status(500, Map.of()), ScriptedHttpServer.Reply.status(503, Map.of()),
                ScriptedHttpServer.Reply.ok("[" + EVENT_A + "," + EVENT_B + "]", Map.of()));

        IngestRun run = poller("/odds", 5, 10, Duration.ofSeconds(30), Duration.ofSeconds(2)).pollOnce();

        assertThat(run.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(run.recordsRead()).isEqualTo(2);
        assertThat(run.recordsPublished()).isEqualTo(2);
        assertThat(server.requests("/odds")).hasSize(3);
        // backoff: initial 40 ms, doubled, with ±50 % jitter
        assertThat(retryWaits).hasSize(2);
        assertThat(retryWaits.get(0)).isBetween(20L, 60L);
        assertThat(retryWaits.get(1)).isBetween(40L, 120L);
        assertThat(published(2)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("odds-api:a", "odds-api:b");
        assertThat(server.requests("/odds").get(0).headers().get("X-api-key")).containsExactly("secret-key");
    }

    @Test
    void shouldHonourRetryAfterOnTooManyRequests() {
        server.script("/odds", ScriptedHttpServer.Reply.status(429, Map.of("Retry-After", "1")),
                ScriptedHttpServer.Reply.ok("[" + EVENT_A + "]", Map.of()));

        IngestRun run = poller("/odds", 5, 10, Duration.ofSeconds(30), Duration.ofSeconds(2)).pollOnce();

        assertThat(run.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(retryWaits).containsExactly(1000L);
        List<ScriptedHttpServer.Seen> requests = server.requests("/odds");
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(published(1)).hasSize(1);
    }

    @Test
    void shouldRetryATimeout() {
        server.script("/odds", new ScriptedHttpServer.Reply(200, Map.of(), "[" + EVENT_A + "]", Duration.ofSeconds(2)),
                ScriptedHttpServer.Reply.ok("[" + EVENT_A + "]", Map.of()));

        IngestRun run = poller("/odds", 3, 10, Duration.ofSeconds(30), Duration.ofMillis(300)).pollOnce();

        assertThat(run.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(server.requests("/odds")).hasSize(2);
        assertThat(published(1)).hasSize(1);
    }

    @Test
    void shouldOpenTheBreakerAfterRepeatedFailuresAndCloseItWhenTheProviderRecovers() throws Exception {
        server.script("/odds", ScriptedHttpServer.Reply.status(500, Map.of()));
        OddsApiPoller poller = poller("/odds", 3, 3, Duration.ofMillis(500), Duration.ofSeconds(2));

        IngestRun failed = poller.pollOnce();
        assertThat(failed.status()).isEqualTo(IngestRunStatus.FAILED);
        assertThat(failed.failure()).isEqualTo("HTTP 500 from " + server.uri("/odds"));
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(server.requests("/odds")).hasSize(3);

        // While open, a poll fails at once without asking the provider
        IngestRun refused = poller.pollOnce();
        assertThat(refused.failure()).startsWith("circuit breaker open");
        assertThat(server.requests("/odds")).hasSize(3);

        // Once the provider is back and the open time has passed, one trial request closes the breaker
        server.script("/odds", ScriptedHttpServer.Reply.ok("[" + EVENT_C + "]", Map.of()));
        org.awaitility.Awaitility.await("the breaker lets a trial request through").atMost(Duration.ofSeconds(5))
                .until(() -> {
                    if (breaker.tryAcquirePermission()) {
                        breaker.releasePermission();
                        return true;
                    }
                    return false;
                });
        IngestRun recovered = poller.pollOnce();
        assertThat(recovered.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(published(1)).extracting(ConsumerRecord::key).containsExactly("odds-api:c");
    }

    @Test
    void shouldFailTheCycleOnMalformedJsonAndPublishNothing() {
        server.script("/odds", ScriptedHttpServer.Reply.ok("[" + EVENT_A + "]", Map.of("Link", "</odds?page=2>; rel=\"next\"")));
        server.script("/odds?page=2", ScriptedHttpServer.Reply.ok("{\"id\": \"b\", oops", Map.of()));

        IngestRun run = poller("/odds", 3, 10, Duration.ofSeconds(30), Duration.ofSeconds(2)).pollOnce();

        assertThat(run.status()).isEqualTo(IngestRunStatus.FAILED);
        assertThat(run.failure()).startsWith("malformed JSON from " + server.uri("/odds?page=2"));
        assertThat(run.recordsPublished()).isZero();
        assertThat(server.requests("/odds?page=2")).as("malformed JSON is not retried").hasSize(1);
        assertThat(published(0)).isEmpty();
    }

    @Test
    void shouldFollowEveryPageThenAskWithTheEtagAndPublishNothingWhenUnchanged() {
        server.script("/odds", ScriptedHttpServer.Reply.ok("[" + EVENT_A + "," + EVENT_B + "]",
                Map.of("ETag", "\"v1\"", "Link", "</odds?page=2>; rel=\"next\"")),
                ScriptedHttpServer.Reply.status(304, Map.of("ETag", "\"v1\"")));
        server.script("/odds?page=2", ScriptedHttpServer.Reply.ok("{\"data\":[" + EVENT_C + "]}", Map.of()));
        OddsApiPoller poller = poller("/odds", 3, 10, Duration.ofSeconds(30), Duration.ofSeconds(2));

        IngestRun first = poller.pollOnce();
        IngestRun second = poller.pollOnce();

        assertThat(first.recordsPublished()).isEqualTo(3);
        assertThat(second.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(second.recordsRead()).isZero();
        assertThat(server.requests("/odds").get(1).headers().get("If-none-match")).containsExactly("\"v1\"");
        assertThat(server.requests("/odds?page=2")).hasSize(1);
        assertThat(published(3)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("odds-api:a", "odds-api:b", "odds-api:c");
        assertThat(published(3)).filteredOn(r -> r.key().equals("odds-api:c")).singleElement()
                .satisfies(r -> assertThat(r.value().source()).isEqualTo(server.uri("/odds?page=2").toString()));
    }
}
