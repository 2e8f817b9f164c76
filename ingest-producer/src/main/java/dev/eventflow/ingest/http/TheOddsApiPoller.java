package dev.eventflow.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventflow.ingest.Hashes;
import dev.eventflow.ingest.ProviderFormat;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.ingest.runs.Checkpoints;
import dev.eventflow.ingest.runs.RunLog;
import dev.eventflow.model.IngestCheckpoint;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.serde.Json;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicDefinition;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls The Odds API v4 (provider {@code the-odds-api}): each cycle asks {@code /v4/sports/{sport}/odds} and
 * {@code /v4/sports/{sport}/scores} for every configured sport and publishes every event object of each
 * answer untouched, one raw record each (odds to {@code provider.return-rates.raw}, scores to
 * {@code provider.events.raw}). {@link #history} walks the historical odds snapshots.
 *
 * <p>The API key travels in the {@code apiKey} query parameter and is never written anywhere: every URL
 * logged, put in a failure or stored as an envelope's {@code source} says {@code apiKey=REDACTED}.
 *
 * <p>The usage quota is read from every response's {@code x-requests-*} headers. At or below the floor
 * (or on an answer saying the quota is spent, such as a 429 with {@code x-requests-remaining: 0}, which
 * is not retried) polling pauses: one WARN, the {@code eventflow_ingest_quota_paused} gauge at 1, and each
 * later cycle only asks {@code /v4/sports}, which costs no quota, until the remaining requests are above
 * the floor again (the quota was reset or raised).
 */
public final class TheOddsApiPoller {

    private static final Logger LOG = LoggerFactory.getLogger(TheOddsApiPoller.class);
    private static final ProviderFormat FORMAT = ProviderFormat.THE_ODDS_API;
    /** At most this many snapshots per history run, in case next_timestamp does not advance. */
    private static final int MAX_SNAPSHOTS = 1_000_000;

    /**
     * What to poll.
     *
     * @param baseUrl    host of the API, for example {@code https://api.the-odds-api.com}
     * @param apiKey     the API key, or null
     * @param sports     sport keys to poll
     * @param regions    bookmaker regions ({@code uk,eu})
     * @param markets    markets ({@code h2h})
     * @param oddsFormat {@code decimal} or {@code american}
     * @param daysFrom   days of finished matches the scores requests return (0: none)
     */
    public record Settings(URI baseUrl, String apiKey, List<String> sports, String regions, String markets, String oddsFormat,
                           int daysFrom) {

        public Settings {
            sports = List.copyOf(sports);
            if (!oddsFormat.equals("decimal") && !oddsFormat.equals("american")) {
                throw new IllegalArgumentException("the-odds-api.odds-format must be decimal or american, was '" + oddsFormat + "'");
            }
            if (daysFrom < 0 || daysFrom > 3) {
                throw new IllegalArgumentException("the-odds-api.scores.days-from must be 0..3, was " + daysFrom);
            }
        }

        @Override
        public String toString() {
            // Never print the key.
            return "Settings[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "set") + ", sports=" + sports
                    + ", regions=" + regions + ", markets=" + markets + ", oddsFormat=" + oddsFormat + ", daysFrom=" + daysFrom + "]";
        }
    }

    private final ResilientHttp http;
    private final RawPublisher publisher;
    private final Checkpoints checkpoints;
    private final EventflowTopics topics;
    private final Clock clock;
    private final Settings settings;
    private final Quota quota;

    public TheOddsApiPoller(ResilientHttp http, RawPublisher publisher, Checkpoints checkpoints, EventflowTopics topics,
                            Clock clock, Settings settings, Quota quota) {
        this.http = http;
        this.publisher = publisher;
        this.checkpoints = checkpoints;
        this.topics = topics;
        this.clock = clock;
        this.settings = settings;
        this.quota = quota;
    }

    /** For {@link ResilientHttp}: an error answer that says the quota is spent is final, never retried. */
    public static Predicate<HttpResponse<String>> quotaSpent() {
        return response -> Quota.exhausted(response.headers());
    }

    public Quota quota() {
        return quota;
    }

    /** One poll cycle: odds and scores of every sport; paused, only a free quota probe. */
    public IngestRun pollOnce() {
        RunLog run = RunLog.start(publisher, topics.ingestRuns(), clock, "poll", FORMAT.id(), shown(settings.baseUrl() + "/v4/sports"));
        List<String> failures = new ArrayList<>();
        try {
            if (quota.paused() && !probe()) {
                run.anomaly("quota-paused", 1);
                return run.succeed();
            }
            cycle:
            for (String sport : settings.sports()) {
                for (URI uri : List.of(oddsUri(sport), scoresUri(sport))) {
                    if (quota.atOrBelowFloor()) {
                        pause();
                    }
                    if (quota.paused()) {
                        run.anomaly("quota-paused", 1);
                        break cycle;
                    }
                    try {
                        HttpResponse<String> response = http.get(uri, Optional.empty());
                        quota.update(response.headers());
                        publish(run, uri, events(uri, parse(uri, response.body())), null);
                    } catch (HttpFailure e) {
                        e.headers().ifPresent(quota::update);
                        if (e.headers().map(Quota::exhausted).orElse(false)) {
                            pause();
                            run.anomaly("quota-paused", 1);
                            break cycle;
                        }
                        LOG.warn("Poll of {} failed: {}", shown(uri), e.getMessage());
                        failures.add(e.getMessage());
                    }
                }
            }
            if (quota.atOrBelowFloor()) {
                pause();
            }
        } catch (IOException e) {
            failures.add("cannot serialize an event: " + e.getMessage());
        } catch (RuntimeException e) {
            return run.fail(ResilientHttp.redact(String.valueOf(e.getMessage())));
        }
        if (!failures.isEmpty()) {
            return run.fail(String.join("; ", failures));
        }
        IngestRun done = run.succeed();
        LOG.info("Poll {}: {} events published; quota: {}", done.runId(), done.recordsPublished(), quota.describe());
        return done;
    }

    /** Polls every {@code interval} until interrupted or {@code cycles} cycles ran (0: without end). */
    public void pollEvery(Duration interval, long cycles, Consumer<IngestRun> onRun) throws InterruptedException {
        for (long cycle = 0; cycles <= 0 || cycle < cycles; cycle++) {
            long started = System.nanoTime();
            onRun.accept(pollOnce());
            long wait = interval.toNanos() - (System.nanoTime() - started);
            if (wait > 0 && (cycles <= 0 || cycle + 1 < cycles)) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    /**
     * Publishes the historical odds snapshots of {@code sport} from {@code from} until past {@code to},
     * following each snapshot's {@code next_timestamp}; each event object is timed at its snapshot's
     * {@code timestamp}. After each snapshot a checkpoint records the next one, so a run that stopped (quota,
     * failure, Ctrl-C) resumes there unless {@code fromStart}.
     */
    public IngestRun history(String sport, Instant from, Instant to, boolean fromStart) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
        String sourceId = "history|" + FORMAT.id() + "|" + sport + "|" + from + "|" + to;
        RunLog run = RunLog.start(publisher, topics.ingestRuns(), clock, "history", FORMAT.id(), shown(historicalUri(sport, from)));
        Instant date = fromStart ? from : checkpoints.get(sourceId).map(IngestCheckpoint::cursor).map(Instant::parse).orElse(from);
        if (date.isAfter(from)) {
            LOG.info("Resuming the history of {} at {} (checkpoint)", sport, date);
        }
        try {
            for (int snapshots = 0; !date.isAfter(to); snapshots++) {
                if (snapshots >= MAX_SNAPSHOTS) {
                    return run.fail("more than " + MAX_SNAPSHOTS + " snapshots: is next_timestamp looping?");
                }
                if (Thread.currentThread().isInterrupted()) {
                    return run.fail("stopped at " + date + "; run the same command again to resume there");
                }
                if (quota.atOrBelowFloor()) {
                    pause();
                    return run.fail("paused: the-odds-api quota at " + quota.describe() + ", at or below the floor "
                            + quota.floor() + "; run the same command again to resume at " + date);
                }
                URI uri = historicalUri(sport, date);
                HttpResponse<String> response;
                try {
                    response = http.get(uri, Optional.empty());
                } catch (HttpFailure e) {
                    e.headers().ifPresent(quota::update);
                    if (e.headers().map(Quota::exhausted).orElse(false)) {
                        pause();
                        return run.fail("the-odds-api quota spent (" + e.getMessage() + "); run the same command again to resume at " + date);
                    }
                    return run.fail(e.getMessage() + "; run the same command again to resume at " + date);
                }
                quota.update(response.headers());
                JsonNode snapshot = parse(uri, response.body());
                Instant timestamp = instant(snapshot.get("timestamp"));
                if (timestamp == null) {
                    return run.fail("snapshot from " + shown(uri) + " has no readable timestamp");
                }
                publish(run, uri, events(uri, snapshot.get("data")), timestamp);
                Instant next = instant(snapshot.get("next_timestamp"));
                Instant resumeAt = next == null || !next.isAfter(date) ? to.plusSeconds(1) : next;
                checkpoints.save(sourceId, null, resumeAt.toString(), run.runId());
                LOG.info("History of {}: snapshot {} ({} events)", sport, timestamp, snapshot.path("data").size());
                if (next != null && !next.isAfter(date)) {
                    LOG.warn("History of {}: next_timestamp {} does not move past {}; stopping", sport, next, date);
                }
                date = resumeAt;
            }
        } catch (HttpFailure e) {
            return run.fail(e.getMessage());
        } catch (IOException e) {
            return run.fail("cannot serialize an event: " + e.getMessage());
        } catch (RuntimeException e) {
            return run.fail(ResilientHttp.redact(String.valueOf(e.getMessage())));
        }
        return run.succeed();
    }

    /** Asks the free {@code /v4/sports} endpoint for the quota; resumes when it is above the floor again. */
    private boolean probe() {
        URI uri = URI.create(base() + "/v4/sports?apiKey=" + key());
        try {
            quota.update(http.get(uri, Optional.empty()).headers());
        } catch (HttpFailure e) {
            e.headers().ifPresent(quota::update);
            LOG.debug("Quota probe failed: {}", e.getMessage());
            return false;
        }
        if (quota.atOrBelowFloor() || quota.remaining().isEmpty()) {
            return false;
        }
        if (quota.resume()) {
            LOG.info("the-odds-api quota: {}, above the floor {} again: polling resumes", quota.describe(), quota.floor());
        }
        return true;
    }

    private void pause() {
        if (quota.pause()) {
            LOG.warn("the-odds-api quota: {}, at or below the floor {} (the-odds-api.quota.floor): polling paused until "
                    + "the quota is reset or raised", quota.describe(), quota.floor());
        }
    }

    private void publish(RunLog run, URI uri, List<JsonNode> events, Instant snapshotTime) throws IOException {
        Instant now = clock.instant();
        String source = shown(uri);
        for (JsonNode event : events) {
            run.read();
            String text = Json.mapper().writeValueAsString(event);
            Optional<Instant> eventTime = snapshotTime != null ? Optional.of(snapshotTime) : FORMAT.eventTime(event);
            RawEnvelope envelope = new RawEnvelope(FORMAT.id(), source, null, Hashes.sha256(text), run.runId(), now,
                    eventTime.orElse(null), event);
            long timestamp = eventTime.filter(t -> t.isBefore(now)).orElse(now).toEpochMilli();
            TopicDefinition<String, RawEnvelope> topic = FORMAT.topic(topics, event);
            publisher.send(topic.name(), FORMAT.key(event, 0), topic.valueSerde().serializer().serialize(topic.name(), envelope),
                    timestamp);
        }
    }

    private static JsonNode parse(URI uri, String body) throws HttpFailure {
        try {
            JsonNode root = Json.mapper().readTree(body);
            if (root == null) {
                throw new HttpFailure("empty response from " + shown(uri), 200, false, null, null);
            }
            return root;
        } catch (IOException e) {
            throw new HttpFailure("malformed JSON from " + shown(uri) + ": " + e.getMessage().lines().findFirst().orElse(""),
                    200, false, null, null);
        }
    }

    private static List<JsonNode> events(URI uri, JsonNode array) throws HttpFailure {
        if (array == null || !array.isArray()) {
            throw new HttpFailure("response from " + shown(uri) + " is not a JSON array of events", 200, false, null, null);
        }
        List<JsonNode> list = new ArrayList<>(array.size());
        array.forEach(list::add);
        return list;
    }

    private static Instant instant(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    URI oddsUri(String sport) {
        return URI.create(base() + "/v4/sports/" + encode(sport) + "/odds?apiKey=" + key() + "&regions=" + encode(settings.regions())
                + "&markets=" + encode(settings.markets()) + "&oddsFormat=" + settings.oddsFormat() + "&dateFormat=iso");
    }

    URI scoresUri(String sport) {
        return URI.create(base() + "/v4/sports/" + encode(sport) + "/scores?apiKey=" + key()
                + (settings.daysFrom() > 0 ? "&daysFrom=" + settings.daysFrom() : "") + "&dateFormat=iso");
    }

    URI historicalUri(String sport, Instant date) {
        return URI.create(base() + "/v4/historical/sports/" + encode(sport) + "/odds?apiKey=" + key() + "&regions="
                + encode(settings.regions()) + "&markets=" + encode(settings.markets()) + "&oddsFormat=" + settings.oddsFormat()
                + "&dateFormat=iso&date=" + date);
    }

    private String base() {
        String base = settings.baseUrl().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private String key() {
        return settings.apiKey() == null ? "" : URLEncoder.encode(settings.apiKey(), StandardCharsets.UTF_8);
    }

    /** Commas stay readable ({@code uk,eu}); everything else unsafe is encoded. */
    private static String encode(String value) {
        return URLEncoder.encode(value.strip(), StandardCharsets.UTF_8).replace("%2C", ",");
    }

    /** A URL as it may be shown: logged, in a failure, or as an envelope's source. */
    static String shown(Object uri) {
        return ResilientHttp.redact(uri.toString());
    }
}
