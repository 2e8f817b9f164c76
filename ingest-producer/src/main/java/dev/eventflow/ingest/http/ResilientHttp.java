package dev.eventflow.ingest.http;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP GETs to one provider, with the provider's limits respected: a rate limiter, retries with
 * exponential backoff and jitter on 5xx and timeouts, {@code Retry-After} honoured on 429 and 503,
 * and a circuit breaker that opens after repeated failures (calls then fail at once) and closes
 * again when a trial request succeeds. Resilience4j does the bookkeeping.
 */
public final class ResilientHttp {

    private static final Logger LOG = LoggerFactory.getLogger(ResilientHttp.class);

    private final HttpClient client;
    private final Settings settings;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final RateLimiter limiter;
    private final java.util.function.Predicate<HttpResponse<String>> finalAnswer;
    private volatile java.util.function.Consumer<HttpResponse<String>> responseListener = response -> { };

    /**
     * @param timeout         timeout of one request
     * @param maxAttempts     attempts per request
     * @param initialBackoff  first backoff, doubled per attempt
     * @param maxBackoff      longest backoff (a longer Retry-After is still honoured)
     * @param requestsPerSecond rate limit
     * @param breakerFailures consecutive failed requests that open the breaker
     * @param breakerOpen     how long the breaker stays open
     * @param apiKeyHeader    header for the API key
     * @param apiKey          the API key, or null
     */
    public record Settings(Duration timeout, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                           int requestsPerSecond, int breakerFailures, Duration breakerOpen, String apiKeyHeader, String apiKey) {

        @Override
        public String toString() {
            // Never print the key.
            return "Settings[timeout=" + timeout + ", maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff + ".." + maxBackoff
                    + ", rate=" + requestsPerSecond + "/s, breaker=" + breakerFailures + " failures/" + breakerOpen
                    + ", apiKey=" + (apiKey == null ? "none" : "set") + "]";
        }
    }

    public ResilientHttp(String name, Settings settings) {
        this(name, settings, response -> false);
    }

    /**
     * @param finalAnswer error responses not to retry even though their status says one may (for example a
     *                    429 that says the usage quota is spent); they do not count against the breaker either
     */
    public ResilientHttp(String name, Settings settings, java.util.function.Predicate<HttpResponse<String>> finalAnswer) {
        this.settings = settings;
        this.finalAnswer = finalAnswer;
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NORMAL).build();
        this.retry = Retry.of(name, RetryConfig.<HttpResponse<String>>custom()
                .maxAttempts(settings.maxAttempts())
                .retryOnException(e -> e instanceof HttpFailure failure && failure.retryable())
                .intervalBiFunction(backoff())
                .build());
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.breakerFailures())
                .minimumNumberOfCalls(settings.breakerFailures())
                .failureRateThreshold(100)
                .waitDurationInOpenState(settings.breakerOpen())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(e -> e instanceof HttpFailure failure && failure.retryable())
                .build());
        this.limiter = RateLimiter.of(name, RateLimiterConfig.custom()
                .limitForPeriod(settings.requestsPerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ofMinutes(1))
                .build());
        retry.getEventPublisher().onRetry(event -> LOG.warn("{} attempt {} failed ({}); retrying in {} ms", name,
                event.getNumberOfRetryAttempts(), event.getLastThrowable() == null ? "?" : event.getLastThrowable().getMessage(),
                event.getWaitInterval().toMillis()));
        breaker.getEventPublisher().onStateTransition(event -> LOG.warn("{} circuit breaker {}", name, event.getStateTransition()));
    }

    public Retry retry() {
        return retry;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * Hands every response (any status, before it is judged) to {@code listener}, for example to read a
     * provider's quota headers. The request's headers, and so the API key, are not part of it.
     */
    public ResilientHttp onResponse(java.util.function.Consumer<HttpResponse<String>> listener) {
        this.responseListener = listener;
        return this;
    }

    /**
     * GETs {@code uri}; returns the 2xx or 304 response.
     *
     * @throws HttpFailure when the request failed for good, or the breaker is open
     */
    public HttpResponse<String> get(URI uri, Optional<String> ifNoneMatch) throws HttpFailure {
        CheckedSupplier<HttpResponse<String>> attempt = () -> attempt(uri, ifNoneMatch);
        CheckedSupplier<HttpResponse<String>> guarded = Retry.decorateCheckedSupplier(retry,
                CircuitBreaker.decorateCheckedSupplier(breaker, RateLimiter.decorateCheckedSupplier(limiter, attempt)));
        try {
            return guarded.get();
        } catch (HttpFailure e) {
            throw e;
        } catch (CallNotPermittedException e) {
            throw new HttpFailure("circuit breaker open: " + uri.getHost() + " failed " + settings.breakerFailures()
                    + " times in a row; next try after " + settings.breakerOpen(), 0, false, null, e);
        } catch (Throwable e) {
            throw new HttpFailure("request to " + redact(uri.toString()) + " failed: " + redact(e.toString()), 0, false, null, e);
        }
    }

    private HttpResponse<String> attempt(URI uri, Optional<String> ifNoneMatch) throws HttpFailure {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.timeout()).header("Accept", "application/json").GET();
        if (settings.apiKey() != null) {
            request.header(settings.apiKeyHeader(), settings.apiKey());
        }
        ifNoneMatch.ifPresent(tag -> request.header("If-None-Match", tag));
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new HttpFailure("timeout after " + settings.timeout() + " from " + redact(uri.toString()), 0, true, null, e);
        } catch (IOException e) {
            throw new HttpFailure("no response from " + redact(uri.toString()) + ": " + redact(e.toString()), 0, true, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpFailure("interrupted", 0, false, null, e);
        }
        responseListener.accept(response);
        int status = response.statusCode();
        if ((status >= 200 && status < 300) || status == 304) {
            return response;
        }
        Duration retryAfter = retryAfter(response).or(() -> status == 429 ? counterReset(response) : Optional.empty()).orElse(null);
        boolean retryable = (status >= 500 || status == 429 || status == 408) && !finalAnswer.test(response);
        throw new HttpFailure("HTTP " + status + " from " + redact(uri.toString()), status, retryable, retryAfter, null,
                response.headers());
    }

    private static final java.util.regex.Pattern API_KEY_PARAMETER =
            java.util.regex.Pattern.compile("(?i)([?&](?:api_?key|apikey|api_token|token)=)[^&\\s#\"]*");

    /** {@code text} with the value of every API key query parameter ({@code apiKey=...}) replaced by {@code REDACTED}. */
    public static String redact(String text) {
        return text == null ? null : API_KEY_PARAMETER.matcher(text).replaceAll("$1REDACTED");
    }

    /** Exponential backoff with ±50 % jitter, capped; a Retry-After from the server wins. */
    private IntervalBiFunction<HttpResponse<String>> backoff() {
        return (attempt, outcome) -> {
            if (outcome.isLeft() && outcome.getLeft() instanceof HttpFailure failure && failure.retryAfter().isPresent()) {
                return failure.retryAfter().get().toMillis();
            }
            return backoffMillis(attempt, settings.initialBackoff(), settings.maxBackoff(), ThreadLocalRandom.current().nextDouble());
        };
    }

    /** The wait before retry number {@code attempt} (1-based): initial × 2^(attempt-1) × (0.5 + jitter), at most {@code max}. */
    static long backoffMillis(int attempt, Duration initial, Duration max, double jitter) {
        double base = initial.toMillis() * Math.pow(2, Math.max(0, attempt - 1));
        return (long) Math.min(max.toMillis(), base * (0.5 + jitter));
    }

    /** football-data.org's {@code X-RequestCounter-Reset}: seconds until its per-minute request counter resets. */
    static Optional<Duration> counterReset(HttpResponse<?> response) {
        try {
            return response.headers().firstValue("X-RequestCounter-Reset").map(String::strip).map(Long::parseLong)
                    .filter(seconds -> seconds >= 0).map(Duration::ofSeconds);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }
}
