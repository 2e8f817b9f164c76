package dev.eventflow.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventflow.ingest.Hashes;
import dev.eventflow.ingest.ProviderFormat;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.ingest.runs.RunLog;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.serde.Json;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicDefinition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls football-data.org's v4 API: one cycle asks {@code GET /v4/competitions/{code}/matches} for each
 * configured competition, either for a date window around today ({@code dateFrom}/{@code dateTo}) or for a
 * whole season ({@code season}, a backfill), and publishes every match object of the responses untouched to
 * {@code provider.events.raw} (key {@code football-data-org:<id>}, source the request URL, which carries
 * the competition code). The token travels in the {@code X-Auth-Token} header only, never in a URL, a log
 * line or an envelope.
 *
 * <p>Quota: every response states {@code X-Requests-Available-Minute} and {@code X-RequestCounter-Reset}
 * (seconds until the minute's counter resets). They are handed to the quota observer (metrics); when
 * nothing is left, the next request waits for the reset; a 429 is retried after the reset
 * ({@link ResilientHttp}). A cycle publishes only after every competition's
 * response arrived and parsed, so a failed cycle publishes nothing and the next one repeats it.
 */
public final class FootballDataOrgPoller {

    private static final Logger LOG = LoggerFactory.getLogger(FootballDataOrgPoller.class);
    private static final ProviderFormat FORMAT = ProviderFormat.FOOTBALL_DATA_ORG;
    private static final Pattern COMPETITION_CODE = Pattern.compile("[A-Z0-9]{1,10}");
    /** The header that carries the token. */
    public static final String TOKEN_HEADER = "X-Auth-Token";
    static final String REMAINING_HEADER = "X-Requests-Available-Minute";
    static final String RESET_HEADER = "X-RequestCounter-Reset";

    /**
     * What to poll.
     *
     * @param baseUrl      the API's base, {@code https://api.football-data.org} (without {@code /v4})
     * @param competitions football-data.org competition codes ({@code PL}, {@code BL1}, ...)
     * @param daysBack     the window starts this many days before today (UTC)
     * @param daysAhead    and ends this many days after it
     * @param season       when set, the whole season starting in this year instead of the window
     */
    public record Settings(URI baseUrl, List<String> competitions, int daysBack, int daysAhead, Integer season) {

        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            competitions = competitions.stream().map(String::strip).filter(code -> !code.isEmpty())
                    .map(code -> code.toUpperCase(Locale.ROOT)).distinct().toList();
            if (competitions.isEmpty()) {
                throw new IllegalArgumentException("football-data-org.competitions names no competition");
            }
            for (String code : competitions) {
                if (!COMPETITION_CODE.matcher(code).matches()) {
                    throw new IllegalArgumentException("football-data-org.competitions: '" + code
                            + "' is not a competition code such as PL or BL1");
                }
            }
            if (daysBack < 0 || daysAhead < 0) {
                throw new IllegalArgumentException("football-data.org window days must not be negative, were "
                        + daysBack + " back and " + daysAhead + " ahead");
            }
            if (season != null && (season < 1870 || season > 2100)) {
                throw new IllegalArgumentException("season must be a start year such as 2023, was " + season);
            }
        }

        /** Parses the comma-separated competition codes of the setting. */
        public static List<String> competitionList(String text) {
            return List.of(text.split(","));
        }
    }

    /** Receives the quota a response stated: requests left this minute, and seconds until the reset (-1: not said). */
    @FunctionalInterface
    public interface QuotaObserver {
        void quota(long remaining, long resetSeconds);
    }

    private final ResilientHttp http;
    private final RawPublisher publisher;
    private final EventflowTopics topics;
    private final Clock clock;
    private final Settings settings;
    private final QuotaObserver quotaObserver;
    private volatile Long remaining;
    private volatile Instant resetAt;

    /** Why a match read again is not published again. */
    public static final String UNCHANGED = "unchanged since the last cycle";
    /** The content hash of each match as last published by a cycle that succeeded. */
    private final Map<String, String> lastPublished = new HashMap<>();

    public FootballDataOrgPoller(ResilientHttp http, RawPublisher publisher, EventflowTopics topics, Clock clock,
                                 Settings settings, QuotaObserver quotaObserver) {
        this.http = http;
        this.publisher = publisher;
        this.topics = topics;
        this.clock = clock;
        this.settings = settings;
        this.quotaObserver = quotaObserver == null ? (left, reset) -> { } : quotaObserver;
        http.onResponse(this::observeQuota);
    }

    /** The request of one competition for the cycle starting on {@code today}. */
    URI request(String competition, LocalDate today) {
        String base = settings.baseUrl().toString().replaceAll("/+$", "");
        String query = settings.season() != null
                ? "season=" + settings.season()
                : "dateFrom=" + today.minusDays(settings.daysBack()) + "&dateTo=" + today.plusDays(settings.daysAhead());
        return URI.create(base + "/v4/competitions/" + competition + "/matches?" + query);
    }

    /** What a run records as its source: the base URL, the competitions and the window or season. */
    String source() {
        return settings.baseUrl() + " " + String.join(",", settings.competitions())
                + (settings.season() != null ? " season " + settings.season()
                        : " -" + settings.daysBack() + "d..+" + settings.daysAhead() + "d");
    }

    /** One poll cycle; returns its run (FAILED with the reason when a competition could not be read). */
    public IngestRun pollOnce() {
        RunLog run = RunLog.start(publisher, topics.ingestRuns(), clock, "poll", FORMAT.id(), source());
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        try {
            List<Response> responses = new ArrayList<>();
            for (String competition : settings.competitions()) {
                URI uri = request(competition, today);
                awaitQuota();
                HttpResponse<String> response = http.get(uri, Optional.empty());
                responses.add(new Response(uri, parse(uri, response.body())));
            }
            TopicDefinition<String, RawEnvelope> topic = FORMAT.topic(topics);
            Instant now = clock.instant();
            Map<String, String> sent = new HashMap<>();
            for (Response response : responses) {
                for (JsonNode match : response.matches()) {
                    run.read();
                    String text = Json.mapper().writeValueAsString(match);
                    String hash = Hashes.sha256(text);
                    String key = FORMAT.key(match, 0);
                    if (hash.equals(lastPublished.get(key))) {
                        // Every cycle reads its whole window again: a match unchanged since it was last
                        // published is counted on the run, not published again.
                        run.skipped(UNCHANGED, 1);
                        continue;
                    }
                    Optional<Instant> eventTime = FORMAT.eventTime(match);
                    RawEnvelope envelope = new RawEnvelope(FORMAT.id(), response.uri().toString(), null,
                            hash, run.runId(), now, eventTime.orElse(null), match);
                    long timestamp = eventTime.filter(t -> t.isBefore(now)).orElse(now).toEpochMilli();
                    publisher.send(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), envelope), timestamp);
                    sent.put(key, hash);
                }
            }
            IngestRun done = run.succeed();
            lastPublished.putAll(sent);
            LOG.info("Poll {}: {} competitions, {} matches published", done.runId(), responses.size(), done.recordsPublished());
            return done;
        } catch (HttpFailure e) {
            LOG.warn("Poll of football-data.org failed: {}", e.getMessage());
            return run.fail(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return run.fail("interrupted while waiting for football-data.org's request counter to reset");
        } catch (IOException e) {
            return run.fail("cannot serialize a match: " + e.getMessage());
        }
    }

    /** Polls every {@code interval} until interrupted or {@code cycles} cycles ran (0: without end). */
    public void pollEvery(Duration interval, long cycles, Consumer<IngestRun> onRun) throws InterruptedException {
        for (long cycle = 0; cycles <= 0 || cycle < cycles; cycle++) {
            long started = System.nanoTime();
            onRun.accept(pollOnce());
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            long wait = interval.toNanos() - (System.nanoTime() - started);
            if (wait > 0 && (cycles <= 0 || cycle + 1 < cycles)) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    /** Waits for the counter reset when the last response said no request is left this minute. */
    private void awaitQuota() throws InterruptedException {
        Long left = remaining;
        Instant reset = resetAt;
        if (left == null || left > 0 || reset == null) {
            return;
        }
        Duration wait = Duration.between(clock.instant(), reset);
        if (!wait.isNegative() && !wait.isZero()) {
            LOG.info("football-data.org request quota spent; waiting {} ms for its counter to reset", wait.toMillis());
            Thread.sleep(wait.toMillis());
        }
    }

    private void observeQuota(HttpResponse<String> response) {
        Optional<Long> left = longHeader(response, REMAINING_HEADER);
        Optional<Long> resetSeconds = longHeader(response, RESET_HEADER);
        if (left.isEmpty() && resetSeconds.isEmpty()) {
            return;
        }
        Long leftNow = response.statusCode() == 429 ? Long.valueOf(0) : left.orElse(null);
        remaining = leftNow;
        resetAt = resetSeconds.map(seconds -> clock.instant().plusSeconds(seconds)).orElse(null);
        if (leftNow != null) {
            quotaObserver.quota(leftNow, resetSeconds.orElse(-1L));
        }
    }

    private static Optional<Long> longHeader(HttpResponse<?> response, String name) {
        try {
            return response.headers().firstValue(name).map(String::strip).map(Long::parseLong);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<JsonNode> parse(URI uri, String body) throws HttpFailure {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new HttpFailure("malformed JSON from " + uri + ": " + e.getMessage().lines().findFirst().orElse(""), 200, false, null, e);
        }
        JsonNode matches = root == null ? null : root.get("matches");
        if (matches == null || !matches.isArray()) {
            throw new HttpFailure("response from " + uri + " has no 'matches' array", 200, false, null, null);
        }
        List<JsonNode> list = new ArrayList<>(matches.size());
        matches.forEach(list::add);
        return list;
    }

    private record Response(URI uri, List<JsonNode> matches) {
    }
}
