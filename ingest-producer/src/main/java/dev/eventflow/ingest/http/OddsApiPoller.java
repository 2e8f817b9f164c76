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
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the odds-api provider: one poll cycle reads every page (following {@code Link: <...>; rel="next"}),
 * sending {@code If-None-Match} with the first page's last {@code ETag} so an unchanged feed costs one
 * 304. A cycle publishes only when every page arrived and parsed, so a failed cycle publishes nothing
 * and the next one repeats it: nothing is published twice within a cycle, nothing is skipped. Each
 * cycle is one run on {@code ingest.runs}; the ETag is its checkpoint.
 */
public final class OddsApiPoller {

    private static final Logger LOG = LoggerFactory.getLogger(OddsApiPoller.class);
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;[^,]*rel=\"?next\"?");
    private static final int MAX_PAGES = 10_000;

    private final ResilientHttp http;
    private final RawPublisher publisher;
    private final Checkpoints checkpoints;
    private final EventflowTopics topics;
    private final Clock clock;
    private final URI firstPage;

    public OddsApiPoller(ResilientHttp http, RawPublisher publisher, Checkpoints checkpoints, EventflowTopics topics,
                         Clock clock, URI firstPage) {
        this.http = http;
        this.publisher = publisher;
        this.checkpoints = checkpoints;
        this.topics = topics;
        this.clock = clock;
        this.firstPage = firstPage;
    }

    /** One poll cycle; returns its run (FAILED with the reason when a page could not be read). */
    public IngestRun pollOnce() {
        String sourceId = "poll|" + ProviderFormat.ODDS_API.id() + "|" + firstPage;
        RunLog run = RunLog.start(publisher, topics.ingestRuns(), clock, "poll", ProviderFormat.ODDS_API.id(), firstPage.toString());
        Optional<String> etag = checkpoints.get(sourceId).map(IngestCheckpoint::cursor);
        try {
            List<Page> pages = new ArrayList<>();
            URI next = firstPage;
            String newEtag = null;
            while (next != null) {
                if (pages.size() >= MAX_PAGES) {
                    throw new HttpFailure("more than " + MAX_PAGES + " pages: is the next link looping?", 0, false, null, null);
                }
                boolean first = pages.isEmpty();
                HttpResponse<String> response = http.get(next, first ? etag : Optional.empty());
                if (first && response.statusCode() == 304) {
                    LOG.info("{} not modified since ETag {}", firstPage, etag.orElse("?"));
                    return run.succeed();
                }
                if (first) {
                    newEtag = response.headers().firstValue("ETag").orElse(null);
                }
                pages.add(new Page(next, parse(next, response.body())));
                next = nextLink(next, response).orElse(null);
            }
            TopicDefinition<String, RawEnvelope> topic = ProviderFormat.ODDS_API.topic(topics);
            Instant now = clock.instant();
            for (Page page : pages) {
                for (JsonNode event : page.events()) {
                    run.read();
                    String text = Json.mapper().writeValueAsString(event);
                    Optional<Instant> eventTime = ProviderFormat.ODDS_API.eventTime(event);
                    RawEnvelope envelope = new RawEnvelope(ProviderFormat.ODDS_API.id(), page.uri().toString(), null,
                            Hashes.sha256(text), run.runId(), now, eventTime.orElse(null), event);
                    long timestamp = eventTime.filter(t -> t.isBefore(now)).orElse(now).toEpochMilli();
                    publisher.send(topic.name(), ProviderFormat.ODDS_API.key(event, 0),
                            topic.valueSerde().serializer().serialize(topic.name(), envelope), timestamp);
                }
            }
            checkpoints.save(sourceId, null, newEtag, run.runId());
            IngestRun done = run.succeed();
            LOG.info("Poll {}: {} pages, {} events published", done.runId(), pages.size(), done.recordsPublished());
            return done;
        } catch (HttpFailure e) {
            LOG.warn("Poll of {} failed: {}", firstPage, e.getMessage());
            return run.fail(e.getMessage());
        } catch (IOException e) {
            return run.fail("cannot serialize an event: " + e.getMessage());
        }
    }

    /** Polls every {@code interval} until interrupted or {@code cycles} cycles ran (0: without end). */
    public void pollEvery(Duration interval, long cycles) throws InterruptedException {
        pollEvery(interval, cycles, run -> { });
    }

    /** The same, handing each cycle's run to {@code onRun} (metrics). */
    public void pollEvery(Duration interval, long cycles, java.util.function.Consumer<IngestRun> onRun) throws InterruptedException {
        for (long cycle = 0; cycles <= 0 || cycle < cycles; cycle++) {
            long started = System.nanoTime();
            onRun.accept(pollOnce());
            long wait = interval.toNanos() - (System.nanoTime() - started);
            if (wait > 0 && (cycles <= 0 || cycle + 1 < cycles)) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    private static List<JsonNode> parse(URI uri, String body) throws HttpFailure {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new HttpFailure("malformed JSON from " + uri + ": " + e.getMessage().lines().findFirst().orElse(""), 200, false, null, e);
        }
        JsonNode events = root != null && root.isObject() && root.has("data") ? root.get("data") : root;
        if (events == null || !events.isArray()) {
            throw new HttpFailure("response from " + uri + " is not a JSON array of events", 200, false, null, null);
        }
        List<JsonNode> list = new ArrayList<>(events.size());
        events.forEach(list::add);
        return list;
    }

    static Optional<URI> nextLink(URI current, HttpResponse<?> response) {
        for (String link : response.headers().allValues("Link")) {
            Matcher matcher = NEXT_LINK.matcher(link);
            if (matcher.find()) {
                return Optional.of(current.resolve(matcher.group(1)));
            }
        }
        return Optional.empty();
    }

    private record Page(URI uri, List<JsonNode> events) {
    }
}
