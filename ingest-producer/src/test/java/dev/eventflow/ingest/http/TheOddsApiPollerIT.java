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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The the-odds-api poller against a local server answering in The Odds API v4's format, with its quota
 * headers, publishing to the embedded broker. The API key must never leave the request.
 */
class TheOddsApiPollerIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.embedded();

    static final String KEY = "tk-9f2c7d-secret";
    static final String ODDS = "/v4/sports/soccer_epl/odds?apiKey=" + KEY + "&regions=uk,eu&markets=h2h&oddsFormat=decimal&dateFormat=iso";
    static final String SCORES = "/v4/sports/soccer_epl/scores?apiKey=" + KEY + "&daysFrom=1&dateFormat=iso";
    static final String SPORTS = "/v4/sports?apiKey=" + KEY;
    static final Path LOG = Path.of("target", "test-logs", "ingest-producer.log");

    ScriptedHttpServer server;
    EventflowTopics topics;
    RawPublisher publisher;
    PollerMetrics metrics;
    final List<String> shown = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedHttpServer();
        topics = IsolatedTopics.create(KAFKA.cluster()).topics();
        publisher = new RawPublisher(KAFKA.cluster().bootstrapServers(), Map.of());
        metrics = new PollerMetrics("the-odds-api");
    }

    @AfterEach
    void stop() throws IOException {
        publisher.close();
        server.close();
        // Nothing the poller wrote shows the key: the logs, the runs' failures, the envelopes' sources.
        assertThat(Files.readString(LOG)).doesNotContain(KEY);
        assertThat(shown).isNotEmpty().allSatisfy(text -> assertThat(text).doesNotContain(KEY));
    }

    TheOddsApiPoller poller(int maxAttempts, int floor) {
        ResilientHttp http = new ResilientHttp("the-odds-api", new ResilientHttp.Settings(Duration.ofSeconds(2), maxAttempts,
                Duration.ofMillis(20), Duration.ofSeconds(2), 100, 10, Duration.ofSeconds(30), null, null), TheOddsApiPoller.quotaSpent());
        metrics = new PollerMetrics("the-odds-api");
        Checkpoints checkpoints = Checkpoints.load(KAFKA.cluster().bootstrapServers(), publisher, topics.ingestCheckpoints(), Clock.systemUTC());
        TheOddsApiPoller.Settings settings = new TheOddsApiPoller.Settings(server.uri(""), KEY, List.of("soccer_epl"), "uk,eu", "h2h",
                "decimal", 1);
        return new TheOddsApiPoller(http, publisher, checkpoints, topics, Clock.systemUTC(), settings,
                new Quota("the-odds-api", floor).bindTo(metrics.registry()));
    }

    IngestRun record(IngestRun run) {
        metrics.record(run);
        if (run.failure() != null) {
            shown.add(run.failure());
        }
        shown.add(run.source());
        return run;
    }

    static String resource(String name) {
        try (InputStream in = TheOddsApiPollerIT.class.getResourceAsStream("/the-odds-api/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> quota(long remaining, long used, long last) {
        return Map.of("x-requests-remaining", Long.toString(remaining), "x-requests-used", Long.toString(used),
                "x-requests-last", Long.toString(last), "Content-Type", "application/json");
    }

    List<ConsumerRecord<String, RawEnvelope>> rates(int count) {
        List<ConsumerRecord<String, RawEnvelope>> records = new TopicClient(KAFKA.cluster()).readExactly(topics.returnRatesRaw(), count,
                Duration.ofSeconds(20), Duration.ofMillis(500));
        records.forEach(r -> shown.add(r.value().source()));
        return records;
    }

    List<ConsumerRecord<String, RawEnvelope>> events(int count) {
        List<ConsumerRecord<String, RawEnvelope>> records = new TopicClient(KAFKA.cluster()).readExactly(topics.eventsRaw(), count,
                Duration.ofSeconds(20), Duration.ofMillis(500));
        records.forEach(r -> shown.add(r.value().source()));
        return records;
    }

    String gauge(String name) {
        return metrics.scrape().lines().filter(line -> line.startsWith(name + "{provider=\"the-odds-api\"}"))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1)).findFirst().orElse("absent");
    }

    long logLines(String text) throws IOException {
        return Files.readAllLines(LOG).stream().filter(line -> line.contains(text)).count();
    }

    @Test
    void shouldPublishOddsAndScoresUntouchedWithTheKeyRedactedAndExportTheQuota() {
        server.script(ODDS, ScriptedHttpServer.Reply.ok(resource("odds-decimal.json"), quota(480, 20, 2)));
        server.script(SCORES, ScriptedHttpServer.Reply.ok(resource("scores.json"), quota(478, 22, 2)));

        IngestRun run = record(poller(3, 50).pollOnce());

        assertThat(run.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(run.recordsRead()).isEqualTo(5);
        assertThat(run.recordsPublished()).isEqualTo(5);
        assertThat(server.requests(ODDS)).hasSize(1);
        List<ConsumerRecord<String, RawEnvelope>> odds = rates(2);
        assertThat(odds).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("the-odds-api:4f1d8b0c2e6a9d3b7c5e1f0a2b4c6d8e",
                "the-odds-api:9a7c5e3b1d0f2e4c6a8b0d1f3e5c7a9b");
        ConsumerRecord<String, RawEnvelope> munFul = odds.stream().filter(r -> r.key().endsWith("4f1d8b0c2e6a9d3b7c5e1f0a2b4c6d8e"))
                .findFirst().orElseThrow();
        assertThat(munFul.value().provider()).isEqualTo("the-odds-api");
        assertThat(munFul.value().source()).isEqualTo(server.uri("/v4/sports/soccer_epl/odds?apiKey=REDACTED&regions=uk,eu"
                + "&markets=h2h&oddsFormat=decimal&dateFormat=iso").toString());
        // timed at the newest bookmaker or market last_update; the payload is the event object as published
        assertThat(munFul.value().eventTime()).isEqualTo(Instant.parse("2024-08-15T09:13:05Z"));
        assertThat(munFul.timestamp()).isEqualTo(Instant.parse("2024-08-15T09:13:05Z").toEpochMilli());
        assertThat(munFul.value().payload().path("bookmakers").size()).isEqualTo(4);
        assertThat(munFul.value().payload().path("sport_key").asText()).isEqualTo("soccer_epl");

        List<ConsumerRecord<String, RawEnvelope>> scores = events(3);
        assertThat(scores).extracting(r -> r.value().payload().path("completed").asBoolean()).containsExactlyInAnyOrder(true, false, false);
        assertThat(scores).allSatisfy(r -> assertThat(r.value().source())
                .isEqualTo(server.uri("/v4/sports/soccer_epl/scores?apiKey=REDACTED&daysFrom=1&dateFormat=iso").toString()));

        // The poller is out of scope: its gauges must not turn into NaN when it is collected (they did, seen in CI).
        System.gc();
        assertThat(gauge("eventflow_ingest_quota_remaining")).isEqualTo("478.0");
        assertThat(gauge("eventflow_ingest_quota_used")).isEqualTo("22.0");
        assertThat(gauge("eventflow_ingest_quota_last_cost")).isEqualTo("2.0");
        assertThat(gauge("eventflow_ingest_quota_floor")).isEqualTo("50.0");
        assertThat(gauge("eventflow_ingest_quota_paused")).isEqualTo("0.0");
    }

    @Test
    void shouldPauseAtTheFloorWarnOnceProbeForFreeAndResumeWhenTheQuotaIsRaised() throws IOException {
        server.script(ODDS, ScriptedHttpServer.Reply.ok(resource("odds-decimal.json"), quota(52, 448, 2)));
        server.script(SCORES, ScriptedHttpServer.Reply.ok(resource("scores.json"), quota(50, 450, 2)));
        server.script(SPORTS, ScriptedHttpServer.Reply.ok("[]", quota(50, 450, 0)));
        TheOddsApiPoller poller = poller(3, 50);
        long warningsBefore = logLines("at or below the floor 50 (the-odds-api.quota.floor): polling paused");

        IngestRun last = record(poller.pollOnce());
        assertThat(last.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(last.recordsPublished()).isEqualTo(5);
        assertThat(poller.quota().paused()).isTrue();
        assertThat(gauge("eventflow_ingest_quota_paused")).isEqualTo("1.0");

        // Paused: two cycles ask only the free /v4/sports, publish nothing, and warn no more.
        IngestRun paused = record(poller.pollOnce());
        record(poller.pollOnce());
        assertThat(paused.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(paused.recordsRead()).isZero();
        assertThat(paused.anomalies()).containsEntry("quota-paused", 1L);
        assertThat(server.requests(ODDS)).hasSize(1);
        assertThat(server.requests(SCORES)).hasSize(1);
        assertThat(server.requests(SPORTS)).hasSize(2);
        assertThat(logLines("at or below the floor 50 (the-odds-api.quota.floor): polling paused") - warningsBefore).isEqualTo(1);
        assertThat(logLines("the-odds-api quota: 50 requests remaining (450 used, the last request cost 2), at or below the floor 50"))
                .isPositive();

        // The quota was reset: the next cycle polls again.
        server.script(SPORTS, ScriptedHttpServer.Reply.ok("[]", quota(20000, 0, 0)));
        server.script(ODDS, ScriptedHttpServer.Reply.ok(resource("odds-decimal.json"), quota(19998, 2, 2)));
        server.script(SCORES, ScriptedHttpServer.Reply.ok(resource("scores.json"), quota(19996, 4, 2)));
        IngestRun resumed = record(poller.pollOnce());
        assertThat(resumed.recordsPublished()).isEqualTo(5);
        assertThat(poller.quota().paused()).isFalse();
        assertThat(gauge("eventflow_ingest_quota_paused")).isEqualTo("0.0");
        assertThat(gauge("eventflow_ingest_quota_remaining")).isEqualTo("19996.0");
        assertThat(gauge("eventflow_ingest_quota_pauses_total")).isEqualTo("1.0");
        rates(4);
    }

    @Test
    void shouldTakeA429WithNoRequestsRemainingAsAPauseWithoutRetrying() {
        server.script(ODDS, ScriptedHttpServer.Reply.status(429, quota(0, 500, 0)));
        TheOddsApiPoller poller = poller(5, 50);

        IngestRun run = record(poller.pollOnce());

        assertThat(run.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(run.anomalies()).containsEntry("quota-paused", 1L);
        assertThat(server.requests(ODDS)).as("no retry storm").hasSize(1);
        assertThat(server.requests(SCORES)).isEmpty();
        assertThat(poller.quota().paused()).isTrue();
        assertThat(gauge("eventflow_ingest_quota_remaining")).isEqualTo("0.0");
        assertThat(gauge("eventflow_ingest_quota_paused")).isEqualTo("1.0");
    }

    @Test
    void shouldRedactTheKeyInFailures() {
        server.script(ODDS, ScriptedHttpServer.Reply.ok(resource("odds-decimal.json"), quota(400, 100, 2)));
        server.script(SCORES, ScriptedHttpServer.Reply.status(500, Map.of()));

        IngestRun run = record(poller(2, 50).pollOnce());

        assertThat(run.status()).isEqualTo(IngestRunStatus.FAILED);
        assertThat(run.failure()).isEqualTo("HTTP 500 from " + server.uri("/v4/sports/soccer_epl/scores?apiKey=REDACTED&daysFrom=1&dateFormat=iso"));
        assertThat(server.requests(SCORES)).hasSize(2);
        // what arrived is published
        assertThat(rates(2)).hasSize(2);
    }

    @Test
    void shouldWalkHistoricalSnapshotsTimedAtTheirTimestampAndResumeFromTheCheckpoint() {
        String history = "/v4/historical/sports/soccer_epl/odds?apiKey=" + KEY
                + "&regions=uk,eu&markets=h2h&oddsFormat=decimal&dateFormat=iso&date=";
        server.script(history + "2024-08-15T09:00:00Z", ScriptedHttpServer.Reply.ok(resource("historical-1.json"), quota(980, 20, 20)));
        server.script(history + "2024-08-15T09:05:00Z", ScriptedHttpServer.Reply.status(503, quota(980, 20, 0)));
        Instant from = Instant.parse("2024-08-15T09:00:00Z");
        Instant to = Instant.parse("2024-08-15T09:10:00Z");

        IngestRun failed = record(poller(1, 50).history("soccer_epl", from, to, false));
        assertThat(failed.status()).isEqualTo(IngestRunStatus.FAILED);
        assertThat(failed.failure()).isEqualTo("HTTP 503 from " + server.uri("/v4/historical/sports/soccer_epl/odds?apiKey=REDACTED"
                + "&regions=uk,eu&markets=h2h&oddsFormat=decimal&dateFormat=iso&date=2024-08-15T09:05:00Z")
                + "; run the same command again to resume at 2024-08-15T09:05:00Z");
        assertThat(failed.recordsPublished()).isEqualTo(1);

        server.script(history + "2024-08-15T09:05:00Z", ScriptedHttpServer.Reply.ok(resource("historical-2.json"), quota(960, 40, 20)));
        server.script(history + "2024-08-15T09:10:00Z", ScriptedHttpServer.Reply.ok(resource("historical-3.json"), quota(940, 60, 20)));
        IngestRun resumed = record(poller(1, 50).history("soccer_epl", from, to, false));

        assertThat(resumed.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(resumed.recordsPublished()).isEqualTo(2);
        assertThat(server.requests(history + "2024-08-15T09:00:00Z")).as("resumed after the checkpoint").hasSize(1);
        assertThat(server.requests(history + "2024-08-15T09:10:00Z")).hasSize(1);
        assertThat(server.requests()).filteredOn(r -> r.path().contains("2024-08-15T09:15:00Z")).as("past --to").isEmpty();
        List<ConsumerRecord<String, RawEnvelope>> snapshots = rates(3);
        assertThat(snapshots).extracting(ConsumerRecord::timestamp).containsExactly(
                Instant.parse("2024-08-15T08:55:00Z").toEpochMilli(), Instant.parse("2024-08-15T09:05:00Z").toEpochMilli(),
                Instant.parse("2024-08-15T09:10:00Z").toEpochMilli());
        assertThat(snapshots).extracting(r -> r.value().eventTime()).containsExactly(Instant.parse("2024-08-15T08:55:00Z"),
                Instant.parse("2024-08-15T09:05:00Z"), Instant.parse("2024-08-15T09:10:00Z"));
        assertThat(snapshots).allSatisfy(r -> assertThat(r.key()).isEqualTo("the-odds-api:4f1d8b0c2e6a9d3b7c5e1f0a2b4c6d8e"));
        assertThat(snapshots.get(1).value().payload().path("bookmakers").get(0).path("markets").get(0).path("outcomes").get(1)
                .path("price").asText()).isEqualTo("1.61");

        // Done: the same command again asks nothing.
        IngestRun again = record(poller(1, 50).history("soccer_epl", from, to, false));
        assertThat(again.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(again.recordsRead()).isZero();
        assertThat(server.requests(history + "2024-08-15T09:10:00Z")).hasSize(1);
    }
}
