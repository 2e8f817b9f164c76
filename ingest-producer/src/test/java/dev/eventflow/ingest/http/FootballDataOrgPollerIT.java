package dev.eventflow.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventflow.ingest.publish.RawPublisher;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The football-data.org poller against a local server that answers like api.football-data.org v4 (real-format
 * bodies under src/test/resources/football-data-org, its X-Requests-Available-Minute / X-RequestCounter-Reset
 * headers), publishing to the embedded broker.
 */
class FootballDataOrgPollerIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.embedded();

    static final String TOKEN = "fdorg-token-7f3a9c";
    static final String PL_MATCHES = resource("pl-matches.json");
    static final String ELC_MATCHES = resource("elc-matches.json");

    ScriptedHttpServer server;
    EventflowTopics topics;
    RawPublisher publisher;
    PollerMetrics metrics;
    final List<long[]> quotas = new CopyOnWriteArrayList<>();
    final List<String> logs = new CopyOnWriteArrayList<>();
    AbstractAppender appender;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedHttpServer();
        topics = IsolatedTopics.create(KAFKA.cluster()).topics();
        publisher = new RawPublisher(KAFKA.cluster().bootstrapServers(), Map.of());
        metrics = new PollerMetrics("football-data-org");
        appender = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logs.add(event.getMessage().getFormattedMessage()
                        + (event.getThrown() == null ? "" : " " + event.getThrown()));
            }
        };
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(appender, org.apache.logging.log4j.Level.ALL, null);
        context.getConfiguration().getLoggerConfig("dev.eventflow").addAppender(appender, org.apache.logging.log4j.Level.ALL, null);
        context.updateLoggers();
    }

    @AfterEach
    void stop() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender("capture");
        context.getConfiguration().getLoggerConfig("dev.eventflow").removeAppender("capture");
        context.updateLoggers();
        publisher.close();
        server.close();
    }

    static String resource(String name) {
        try (InputStream in = FootballDataOrgPollerIT.class.getResourceAsStream("/football-data-org/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> quota(long remaining, long reset) {
        return Map.of("X-Requests-Available-Minute", Long.toString(remaining), "X-RequestCounter-Reset", Long.toString(reset),
                "X-API-Version", "v4", "X-Authenticated-Client", "eventflow-test", "Content-Type", "application/json;charset=UTF-8");
    }

    FootballDataOrgPoller poller(List<String> competitions, Integer season, int maxAttempts) {
        ResilientHttp http = new ResilientHttp("football-data-org", new ResilientHttp.Settings(Duration.ofSeconds(2), maxAttempts,
                Duration.ofMillis(40), Duration.ofSeconds(5), 100, 10, Duration.ofSeconds(30), FootballDataOrgPoller.TOKEN_HEADER, TOKEN));
        FootballDataOrgPoller.QuotaObserver observer = (remaining, reset) -> {
            quotas.add(new long[] {remaining, reset});
            metrics.quota(remaining, reset);
        };
        return new FootballDataOrgPoller(http, publisher, topics, Clock.systemUTC(),
                new FootballDataOrgPoller.Settings(server.uri(""), competitions, 3, 7, season), observer);
    }

    /** The request path of a competition for today's window (3 days back, 7 ahead). */
    static String window(String competition) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return "/v4/competitions/" + competition + "/matches?dateFrom=" + today.minusDays(3) + "&dateTo=" + today.plusDays(7);
    }

    List<ConsumerRecord<String, RawEnvelope>> published(int count) {
        return new TopicClient(KAFKA.cluster()).readExactly(topics.eventsRaw(), count, Duration.ofSeconds(20), Duration.ofMillis(500));
    }

    @Test
    void shouldNotPublishAgainAMatchUnchangedSinceTheLastCycle() {
        server.script(window("PL"), ScriptedHttpServer.Reply.ok(PL_MATCHES, quota(9, 60)));
        server.script(window("PL"), ScriptedHttpServer.Reply.ok(PL_MATCHES, quota(8, 59)));
        FootballDataOrgPoller poller = poller(List.of("PL"), null, 3);

        IngestRun first = poller.pollOnce();
        IngestRun second = poller.pollOnce();

        long matches = first.recordsPublished();
        assertThat(matches).isPositive().isEqualTo(first.recordsRead());
        assertThat(second.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(second.recordsRead()).isEqualTo(matches);
        assertThat(second.recordsPublished()).isZero();
        assertThat(second.skippedByReason()).isEqualTo(java.util.Map.of(FootballDataOrgPoller.UNCHANGED, matches));
        published((int) matches);
    }

    @Test
    void shouldPollEveryCompetitionForTheWindowAndPublishEachMatchUntouched() {
        server.script(window("PL"), ScriptedHttpServer.Reply.ok(PL_MATCHES, quota(9, 60)));
        server.script(window("ELC"), ScriptedHttpServer.Reply.ok(ELC_MATCHES, quota(8, 59)));

        IngestRun run = poller(List.of("PL", "elc"), null, 3).pollOnce();

        assertThat(run.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(run.provider()).isEqualTo("football-data-org");
        assertThat(run.recordsRead()).isEqualTo(2);
        assertThat(run.recordsPublished()).isEqualTo(2);
        assertThat(server.requests(window("PL")).get(0).headers().get("X-auth-token")).containsExactly(TOKEN);
        assertThat(server.requests(window("ELC"))).hasSize(1);
        List<ConsumerRecord<String, RawEnvelope>> records = published(2).stream()
                .sorted(java.util.Comparator.comparing(ConsumerRecord::key)).toList();
        assertThat(records).extracting(ConsumerRecord::key)
                .containsExactly("football-data-org:538050", "football-data-org:538064");
        RawEnvelope finished = records.get(0).value();
        assertThat(finished.provider()).isEqualTo("football-data-org");
        assertThat(finished.source()).isEqualTo(server.uri(window("PL")).toString());
        assertThat(finished.payload().get("competition").get("code").asText()).isEqualTo("PL");
        assertThat(finished.payload().get("score").get("fullTime").get("away").asInt()).isEqualTo(2);
        assertThat(finished.eventTime()).isEqualTo(java.time.Instant.parse("2026-02-23T22:05:03Z"));
        assertThat(records.get(0).timestamp()).isEqualTo(java.time.Instant.parse("2026-02-23T22:05:03Z").toEpochMilli());
        // the quota headers, as the metrics export them
        assertThat(quotas).extracting(q -> q[0] + "/" + q[1]).containsExactly("9/60", "8/59");
        assertThat(metrics.scrape()).contains("eventflow_ingest_quota_remaining{provider=\"football-data-org\"} 8.0")
                .contains("eventflow_ingest_quota_reset_seconds{provider=\"football-data-org\"} 59.0");
    }

    @Test
    void shouldWaitForTheCounterResetOnTooManyRequestsAndContinue() {
        server.script(window("PL"), ScriptedHttpServer.Reply.status(429, quota(0, 1)),
                ScriptedHttpServer.Reply.ok(PL_MATCHES, quota(9, 60)));

        IngestRun run = poller(List.of("PL"), null, 3).pollOnce();

        assertThat(run.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        List<ScriptedHttpServer.Seen> requests = server.requests(window("PL"));
        assertThat(requests).hasSize(2);
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(quotas).extracting(q -> q[0] + "/" + q[1]).containsExactly("0/1", "9/60");
        assertThat(published(2)).hasSize(2);
    }

    @Test
    void shouldWaitBeforeTheNextRequestWhenNoRequestIsLeftThisMinute() {
        server.script(window("PL"), ScriptedHttpServer.Reply.ok(PL_MATCHES, quota(0, 1)));
        server.script(window("ELC"), ScriptedHttpServer.Reply.ok(ELC_MATCHES, quota(9, 60)));

        IngestRun run = poller(List.of("PL", "ELC"), null, 3).pollOnce();

        assertThat(run.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(Duration.between(server.requests(window("PL")).get(0).at(), server.requests(window("ELC")).get(0).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(server.requests(window("ELC"))).hasSize(1);
    }

    @Test
    void shouldPollAWholeSeasonForABackfill() {
        server.script("/v4/competitions/PL/matches?season=2025", ScriptedHttpServer.Reply.ok(PL_MATCHES, quota(9, 60)));

        IngestRun run = poller(List.of("PL"), 2025, 3).pollOnce();

        assertThat(run.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(run.source()).endsWith("PL season 2025");
        assertThat(published(2)).extracting(r -> r.value().source())
                .containsOnly(server.uri("/v4/competitions/PL/matches?season=2025").toString());
    }

    @Test
    void shouldPublishNothingWhenACompetitionFails() {
        server.script(window("PL"), ScriptedHttpServer.Reply.ok(PL_MATCHES, quota(9, 60)));
        server.script(window("ELC"), new ScriptedHttpServer.Reply(403,
                quota(8, 58), "{\"message\":\"The resource you are looking for is restricted.\",\"errorCode\":403}", Duration.ZERO));

        IngestRun run = poller(List.of("PL", "ELC"), null, 3).pollOnce();

        assertThat(run.status()).isEqualTo(IngestRunStatus.FAILED);
        assertThat(run.failure()).isEqualTo("HTTP 403 from " + server.uri(window("ELC")));
        assertThat(server.requests(window("ELC"))).as("a 403 is not retried").hasSize(1);
        assertThat(published(0)).isEmpty();
    }

    @Test
    void shouldFailTheCycleOnMalformedJsonWithoutRetryingAndPublishNothing() {
        server.script(window("PL"), ScriptedHttpServer.Reply.ok(PL_MATCHES, quota(9, 60)));
        server.script(window("ELC"), ScriptedHttpServer.Reply.ok("{\"matches\": [{\"id\": 1, oops", quota(8, 60)));

        IngestRun run = poller(List.of("PL", "ELC"), null, 3).pollOnce();

        assertThat(run.status()).isEqualTo(IngestRunStatus.FAILED);
        assertThat(run.failure()).startsWith("malformed JSON from " + server.uri(window("ELC")));
        assertThat(run.recordsPublished()).isZero();
        assertThat(server.requests(window("ELC"))).as("malformed JSON is not retried").hasSize(1);
        assertThat(published(0)).isEmpty();
    }

    @Test
    void shouldFailOnAResponseWithoutMatches() {
        server.script(window("PL"), ScriptedHttpServer.Reply.ok("{\"message\":\"nope\"}", quota(9, 60)));

        IngestRun run = poller(List.of("PL"), null, 3).pollOnce();

        assertThat(run.status()).isEqualTo(IngestRunStatus.FAILED);
        assertThat(run.failure()).isEqualTo("response from " + server.uri(window("PL")) + " has no 'matches' array");
    }

    @Test
    void shouldNeverLogPrintOrPublishTheToken() {
        server.script(window("PL"), ScriptedHttpServer.Reply.status(500, quota(9, 60)), ScriptedHttpServer.Reply.status(503, quota(8, 60)),
                ScriptedHttpServer.Reply.ok(PL_MATCHES, quota(7, 60)));
        server.script(window("ELC"), ScriptedHttpServer.Reply.status(500, quota(6, 60)));
        FootballDataOrgPoller poller = poller(List.of("PL"), null, 3);
        FootballDataOrgPoller failing = poller(List.of("ELC"), null, 2);

        IngestRun ok = poller.pollOnce();
        IngestRun failed = failing.pollOnce();

        assertThat(ok.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(failed.status()).isEqualTo(IngestRunStatus.FAILED);
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.path()).doesNotContain(TOKEN));
        assertThat(logs).isNotEmpty().noneMatch(line -> line.contains(TOKEN));
        assertThat(failed.toString()).doesNotContain(TOKEN);
        assertThat(published(2)).allSatisfy(r -> {
            assertThat(r.value().toString()).doesNotContain(TOKEN);
            assertThat(r.value().payload().toString()).doesNotContain(TOKEN);
        });
        assertThat(new ResilientHttp.Settings(Duration.ofSeconds(1), 1, Duration.ofMillis(1), Duration.ofMillis(1), 1, 1,
                Duration.ofSeconds(1), FootballDataOrgPoller.TOKEN_HEADER, TOKEN).toString()).doesNotContain(TOKEN);
    }

    @Test
    void shouldRefuseCompetitionCodesThatAreNotCodes() {
        assertThatThrownBy(() -> new FootballDataOrgPoller.Settings(URI.create("http://x"), List.of("PL/../x"), 3, 7, null))
                .hasMessage("football-data-org.competitions: 'PL/../X' is not a competition code such as PL or BL1");
        assertThatThrownBy(() -> new FootballDataOrgPoller.Settings(URI.create("http://x"), List.of(" "), 3, 7, null))
                .hasMessage("football-data-org.competitions names no competition");
    }
}
