package dev.eventflow.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The resilience every poller shares (retries with exponential backoff, Retry-After, timeouts, the rate
 * limit, the circuit breaker), against a scripted local HTTP server.
 */
class ResilientHttpIT {

    static final Duration INITIAL_BACKOFF = Duration.ofMillis(40);
    static final String BODY = "[{\"id\":\"a\"}]";

    ScriptedHttpServer server;
    final List<Long> retryWaits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedHttpServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    ResilientHttp http(int maxAttempts, int requestsPerSecond, int breakerFailures, Duration breakerOpen, Duration timeout) {
        ResilientHttp http = new ResilientHttp("test-provider", new ResilientHttp.Settings(timeout, maxAttempts, INITIAL_BACKOFF,
                Duration.ofSeconds(5), requestsPerSecond, breakerFailures, breakerOpen, "X-Api-Key", "secret-key"));
        http.retry().getEventPublisher().onRetry(event -> retryWaits.add(event.getWaitInterval().toMillis()));
        return http;
    }

    ResilientHttp http(int maxAttempts) {
        return http(maxAttempts, 100, 10, Duration.ofSeconds(30), Duration.ofSeconds(2));
    }

    @Test
    void shouldRetryServerErrorsWithExponentialBackoffAndSendTheKey() throws Exception {
        server.script("/odds", ScriptedHttpServer.Reply.status(500, Map.of()), ScriptedHttpServer.Reply.status(503, Map.of()),
                ScriptedHttpServer.Reply.ok(BODY, Map.of()));

        HttpResponse<String> response = http(5).get(server.uri("/odds"), Optional.empty());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(BODY);
        assertThat(server.requests("/odds")).hasSize(3);
        // backoff: initial 40 ms, doubled, with ±50 % jitter
        assertThat(retryWaits).hasSize(2);
        assertThat(retryWaits.get(0)).isBetween(20L, 60L);
        assertThat(retryWaits.get(1)).isBetween(40L, 120L);
        assertThat(server.requests("/odds")).allSatisfy(r -> assertThat(r.headers().get("X-api-key")).containsExactly("secret-key"));
    }

    @Test
    void shouldHonourRetryAfterOnTooManyRequests() throws Exception {
        server.script("/odds", ScriptedHttpServer.Reply.status(429, Map.of("Retry-After", "1")),
                ScriptedHttpServer.Reply.ok(BODY, Map.of()));

        HttpResponse<String> response = http(5).get(server.uri("/odds"), Optional.empty());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(retryWaits).containsExactly(1000L);
        List<ScriptedHttpServer.Seen> requests = server.requests("/odds");
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void shouldRetryATimeout() throws Exception {
        server.script("/odds", new ScriptedHttpServer.Reply(200, Map.of(), BODY, Duration.ofSeconds(2)),
                ScriptedHttpServer.Reply.ok(BODY, Map.of()));

        HttpResponse<String> response = http(3, 100, 10, Duration.ofSeconds(30), Duration.ofMillis(300))
                .get(server.uri("/odds"), Optional.empty());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(server.requests("/odds")).hasSize(2);
    }

    @Test
    void shouldGiveUpAfterTheLastAttemptWithTheStatus() {
        server.script("/odds", ScriptedHttpServer.Reply.status(502, Map.of()));

        assertThatThrownBy(() -> http(3).get(server.uri("/odds"), Optional.empty()))
                .isInstanceOfSatisfying(HttpFailure.class, failure -> {
                    assertThat(failure.getMessage()).isEqualTo("HTTP 502 from " + server.uri("/odds"));
                    assertThat(failure.status()).isEqualTo(502);
                });
        assertThat(server.requests("/odds")).hasSize(3);
        assertThat(retryWaits).hasSize(2);
    }

    @Test
    void shouldNotRetryOtherClientErrors() {
        server.script("/odds", ScriptedHttpServer.Reply.status(404, Map.of()));

        assertThatThrownBy(() -> http(5).get(server.uri("/odds"), Optional.empty()))
                .isInstanceOfSatisfying(HttpFailure.class, failure -> {
                    assertThat(failure.status()).isEqualTo(404);
                    assertThat(failure.retryable()).isFalse();
                });
        assertThat(server.requests("/odds")).hasSize(1);
        assertThat(retryWaits).isEmpty();
    }

    @Test
    void shouldSendIfNoneMatchAndHandBackANotModified() throws Exception {
        server.script("/odds", ScriptedHttpServer.Reply.status(304, Map.of("ETag", "\"v1\"")));

        HttpResponse<String> response = http(3).get(server.uri("/odds"), Optional.of("\"v1\""));

        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(server.requests("/odds").get(0).headers().get("If-none-match")).containsExactly("\"v1\"");
    }

    @Test
    void shouldKeepToTheRateLimit() throws Exception {
        server.script("/odds", ScriptedHttpServer.Reply.ok(BODY, Map.of()));
        Instant created = Instant.now();
        ResilientHttp http = http(1, 2, 10, Duration.ofSeconds(30), Duration.ofSeconds(2));

        for (int i = 0; i < 3; i++) {
            http.get(server.uri("/odds"), Optional.empty());
        }

        // two requests per second: the third waits for the limiter's next period
        assertThat(Duration.between(created, server.requests("/odds").get(2).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void shouldOpenTheBreakerAfterRepeatedFailuresAndCloseItWhenTheProviderRecovers() throws Exception {
        server.script("/odds", ScriptedHttpServer.Reply.status(500, Map.of()));
        ResilientHttp http = http(3, 100, 3, Duration.ofMillis(500), Duration.ofSeconds(2));
        CircuitBreaker breaker = http.breaker();

        assertThatThrownBy(() -> http.get(server.uri("/odds"), Optional.empty()))
                .isInstanceOf(HttpFailure.class).hasMessage("HTTP 500 from " + server.uri("/odds"));
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(server.requests("/odds")).hasSize(3);

        // While open, a request fails at once without asking the provider
        assertThatThrownBy(() -> http.get(server.uri("/odds"), Optional.empty()))
                .isInstanceOf(HttpFailure.class).hasMessageStartingWith("circuit breaker open");
        assertThat(server.requests("/odds")).hasSize(3);

        // Once the provider is back and the open time has passed, one trial request closes the breaker
        server.script("/odds", ScriptedHttpServer.Reply.ok(BODY, Map.of()));
        org.awaitility.Awaitility.await("the breaker lets a trial request through").atMost(Duration.ofSeconds(5))
                .until(() -> {
                    if (breaker.tryAcquirePermission()) {
                        breaker.releasePermission();
                        return true;
                    }
                    return false;
                });
        assertThat(http.get(server.uri("/odds"), Optional.empty()).statusCode()).isEqualTo(200);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(server.requests("/odds")).hasSize(4);
    }
}
