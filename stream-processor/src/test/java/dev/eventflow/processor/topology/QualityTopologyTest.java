package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.eventflow.model.IngestRun;
import dev.eventflow.model.IngestRunStatus;
import dev.eventflow.model.QualityRunScore;
import dev.eventflow.model.QualityScore;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.RawRecords;
import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualityTally;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The quality stage through the whole topology: each dimension's exact numerator and denominator per provider and
 * window, the overall score, windows that close after their grace period, and a late record counted in its window's
 * next version.
 */
class QualityTopologyTest {

    static final String SYNTHETIC = "synthetic";
    static final Instant NINE = Instant.parse("2026-11-22T09:00:00Z");
    static final String WINDOW_NINE = "synthetic|2026-11-22T09:00:00Z";
    static final Duration EMIT = Duration.ofSeconds(1);

    TopologyHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    TopologyHarness harness(ProcessorConfig config) {
        try {
            harness = new TopologyHarness(config, Files.createTempDirectory("eventflow-quality-"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return harness;
    }

    static Instant at(String time) {
        return Instant.parse("2026-11-22T" + time + ":00Z");
    }

    /** A synthetic record of the fixture, last updated at {@code time}, with one bookmaker {key, home, draw, away} quoted then. */
    static RawEnvelope odds(String time, String status, String scores, String[]... bookmakers) {
        String[][] books = new String[bookmakers.length][];
        for (int i = 0; i < bookmakers.length; i++) {
            books[i] = new String[] {bookmakers[i][0], at(time).toString(), bookmakers[i][1], bookmakers[i][2], bookmakers[i][3]};
        }
        return SyntheticTopologyTest.odds(at(time), status, scores, books);
    }

    static RawEnvelope receivedAt(Instant receivedAt, RawEnvelope envelope) {
        return new RawEnvelope(envelope.provider(), envelope.source(), envelope.line(), envelope.contentHash(),
                envelope.ingestRunId(), receivedAt, envelope.eventTime(), envelope.payload());
    }

    static RawEnvelope withPayload(RawEnvelope envelope, String payload) {
        return new RawEnvelope(envelope.provider(), envelope.source(), envelope.line(), envelope.contentHash(),
                envelope.ingestRunId(), envelope.receivedAt(), envelope.eventTime(), RawRecords.json(payload));
    }

    void pipe(RawEnvelope envelope, Instant timestamp) {
        harness.pipeRate("synthetic:evt-8812", envelope, timestamp);
    }

    /** Lets the taps send their counts, and returns the newest version of every window's score. */
    Map<String, QualityScore> scores() {
        // The taps send their counts; then the scores processor sends the windows they changed once the counts waited an interval.
        lookAgain();
        Map<String, QualityScore> latest = new LinkedHashMap<>();
        for (TestRecord<String, QualityScore> record : harness.qualityScores()) {
            latest.put(record.key(), record.value());
        }
        return latest;
    }

    static QualityScore.Dimension dimension(long numerator, long denominator, String score) {
        return new QualityScore.Dimension(numerator, denominator, score == null ? null : new BigDecimal(score));
    }

    @Test
    void shouldCountRecordsThatPassedValidationOfAllRecordsRead() {
        harness(ProcessorConfig.defaults());
        pipe(odds("09:10", "scheduled", null, new String[] {"b365", "2.0", "3.4", "3.8"}), at("09:10"));
        pipe(odds("09:20", "scheduled", null, new String[] {"b365", "2.1", "3.4", "3.6"}), at("09:20"));
        pipe(odds("09:30", "scheduled", null, new String[] {"b365", "2.2", "3.4", "3.4"}), at("09:30"));
        // Refused by validation: counted in the window of its record's timestamp (it has no event time).
        pipe(odds("09:35", "bogus", null, new String[] {"b365", "2.2", "3.4", "3.4"}), at("09:40"));
        // Not an envelope at all: its provider is unknown.
        harness.pipeEventBytes("k".getBytes(StandardCharsets.UTF_8), "not json".getBytes(StandardCharsets.UTF_8));

        Map<String, QualityScore> scores = scores();

        assertThat(scores).containsOnlyKeys(WINDOW_NINE, "unknown|2026-11-22T10:00:00Z");
        assertThat(scores.get(WINDOW_NINE).validity()).isEqualTo(dimension(3, 4, "0.75"));
        assertThat(scores.get("unknown|2026-11-22T10:00:00Z").validity()).isEqualTo(dimension(0, 1, "0"));
        assertThat(scores.get("unknown|2026-11-22T10:00:00Z").overall()).isEqualByComparingTo("0");
        assertThat(harness.deadLetters()).hasSize(2);
    }

    @Test
    void shouldBuildNoQualityStageWhenItIsOff() {
        ProcessorConfig off = ProcessorConfig.defaults().with(ProcessorConfig.QUALITY_ENABLED, "false");
        harness(off);
        pipe(odds("09:10", "scheduled", null, new String[] {"b365", "2.0", "3.4", "3.8"}), at("09:10"));
        pipe(odds("09:35", "bogus", null, new String[] {"b365", "2.2", "3.4", "3.4"}), at("09:40"));

        assertThat(scores()).isEmpty();
        assertThat(harness.events()).hasSize(1);
        assertThat(harness.deadLetters()).hasSize(1);
        String description = EventflowTopology.buildTopology(off, dev.eventflow.processor.ProcessorMetrics.inMemory(),
                java.time.Clock.systemUTC()).describe().toString();
        assertThat(description).doesNotContain("quality");
    }

    @Test
    void shouldCountValidRecordsWithEveryFieldTheirKindShouldHave() {
        harness(ProcessorConfig.defaults());
        pipe(odds("09:10", "scheduled", null, new String[] {"b365", "2.0", "3.4", "3.8"}), at("09:10"));
        // wh has no draw price: its price set is left out, so the record is incomplete (but valid).
        RawEnvelope noDraw = odds("09:20", "scheduled", null, new String[] {"b365", "2.1", "3.4", "3.6"},
                new String[] {"wh", "2.0", "3.3", "3.7"});
        String payload = noDraw.payload().toString().replace("{\"name\":\"Draw\",\"price\":3.3},", "");
        assertThat(payload).isNotEqualTo(noDraw.payload().toString());
        pipe(withPayload(noDraw, payload), at("09:20"));
        pipe(odds("09:30", "finished", "{'home':2,'away':1}", new String[] {"b365", "2.2", "3.4", "3.4"}), at("09:30"));
        // Refused (invalid): not counted for completeness.
        pipe(odds("09:40", "bogus", null, new String[] {"b365", "2.2", "3.4", "3.4"}), at("09:40"));

        QualityScore score = scores().get(WINDOW_NINE);

        assertThat(score.validity()).isEqualTo(dimension(3, 4, "0.75"));
        assertThat(score.completeness()).isEqualTo(dimension(2, 3, "0.666667"));
    }

    @Test
    void shouldCountRecordsThatWereNotExactDuplicates() {
        harness(ProcessorConfig.defaults());
        RawEnvelope first = odds("09:10", "scheduled", null, new String[] {"b365", "2.0", "3.4", "3.8"});
        pipe(first, at("09:10"));
        pipe(first, at("09:10"));
        pipe(first, at("09:10"));
        pipe(odds("09:20", "scheduled", null, new String[] {"b365", "2.1", "3.4", "3.6"}), at("09:20"));

        QualityScore score = scores().get(WINDOW_NINE);

        assertThat(score.uniqueness()).isEqualTo(dimension(2, 4, "0.5"));
        assertThat(score.validity()).isEqualTo(dimension(4, 4, "1"));
        // Latest-wins drops more than whole records: the 09:20 record's event says nothing new (only its quote changed).
        assertThat(harness.metrics.count("eventflow.duplicates.dropped", "topic", "events.clean")).isEqualTo(3);
        assertThat(harness.metrics.count("eventflow.duplicates.dropped", "topic", "return-rates.clean")).isEqualTo(2);
    }

    @Test
    void shouldCountTimelyQuotesAndPollGapsOfAPolledProvider() {
        harness(ProcessorConfig.defaults().with(ProcessorConfig.QUALITY_POLLING_PROVIDERS, SYNTHETIC));
        // Quote 2 minutes old when received: timely. First poll this task sees: its gap is not judged.
        pipe(receivedAt(at("09:12"), odds("09:10", "scheduled", null, new String[] {"b365", "2.0", "3.4", "3.8"})), at("09:10"));
        // Quote 9 minutes old (late); the poll 8 minutes after the previous one (timely).
        pipe(receivedAt(at("09:20"), odds("09:11", "scheduled", null, new String[] {"b365", "2.1", "3.4", "3.6"})), at("09:11"));
        // Quote 1 minute old (timely); the poll 25 minutes after the previous one (late).
        pipe(receivedAt(at("09:45"), odds("09:44", "scheduled", null, new String[] {"b365", "2.2", "3.4", "3.4"})), at("09:44"));

        QualityScore score = scores().get(WINDOW_NINE);

        // Quotes 2 of 3, polls 1 of 2.
        assertThat(score.timeliness()).isEqualTo(dimension(3, 5, "0.6"));
    }

    @Test
    void shouldNotCountTimelinessOfProvidersThatAreNotPolled() {
        harness(ProcessorConfig.defaults());
        pipe(receivedAt(at("09:59"), odds("09:10", "scheduled", null, new String[] {"b365", "2.0", "3.4", "3.8"})), at("09:10"));

        QualityScore score = scores().get(WINDOW_NINE);

        assertThat(score.timeliness()).isEqualTo(dimension(0, 0, null));
        assertThat(score.validity()).isEqualTo(dimension(1, 1, "1"));
    }

    @Test
    void shouldCountRepeatSightingsOfAnEventThatAgreeAndStaleVersionsAgainst() {
        harness(ProcessorConfig.defaults());
        String[] sameQuote = {"b365", "2026-11-22T08:00:00Z", "2.0", "3.4", "3.8"};
        // First sighting: nothing to agree with.
        pipe(SyntheticTopologyTest.odds(at("09:10"), "scheduled", null, sameQuote), at("09:10"));
        // The match finished 2-1: agrees (the result was not known).
        pipe(SyntheticTopologyTest.odds(at("09:20"), "finished", "{'home':2,'away':1}", sameQuote), at("09:20"));
        // Seen again, same result: agrees.
        pipe(SyntheticTopologyTest.odds(at("09:30"), "finished", "{'home':2,'away':1}", sameQuote), at("09:30"));
        // Another result later: disagrees.
        pipe(SyntheticTopologyTest.odds(at("09:40"), "finished", "{'home':1,'away':1}", sameQuote), at("09:40"));
        // An older version that differs: stale.
        pipe(SyntheticTopologyTest.odds(at("09:05"), "live", "{'home':0,'away':0}", sameQuote), at("09:05"));

        QualityScore score = scores().get(WINDOW_NINE);

        assertThat(score.consistency()).isEqualTo(dimension(2, 4, "0.5"));
        assertThat(harness.metrics.count("eventflow.refused", "topic", "events.clean", "reason", "stale")).isEqualTo(1);
    }

    @Test
    void shouldCountQuotesWithAPlausiblePayoutAndPriceMove() {
        harness(ProcessorConfig.defaults());
        // payout 1 / (1/2.0 + 1/3.4 + 1/3.8) = 0.946: plausible; first quote of the rate: no move to judge.
        pipe(odds("09:10", "scheduled", null, new String[] {"b365", "2.0", "3.4", "3.8"}), at("09:10"));
        // home 2.0 -> 4.0 moved 100 % (over 50 %); payout 0.934: plausible.
        pipe(odds("09:20", "scheduled", null, new String[] {"b365", "4.0", "3.4", "1.9"}), at("09:20"));
        // Moves of 5 %, 3 %, 3 %; payout 0.950.
        pipe(odds("09:30", "scheduled", null, new String[] {"b365", "4.2", "3.5", "1.95"}), at("09:30"));
        // b365 repeats (a duplicate quote, not judged again); wh's payout 1 / (1/1.5 + 1/3.0 + 1/4.0) = 0.8: implausible.
        pipe(SyntheticTopologyTest.odds(at("09:40"), "scheduled", null,
                new String[] {"b365", at("09:30").toString(), "4.2", "3.5", "1.95"},
                new String[] {"wh", at("09:40").toString(), "1.5", "3.0", "4.0"}), at("09:40"));

        QualityScore score = scores().get(WINDOW_NINE);

        assertThat(score.plausibility()).isEqualTo(dimension(4, 6, "0.666667"));
        // Repeat sightings: the event in records 2 to 4 (agreeing) and b365's two newer quotes.
        assertThat(score.consistency()).isEqualTo(dimension(5, 5, "1"));
    }

    @Test
    void shouldWeighTheDimensionsThatHaveADenominatorIntoTheOverallScore() {
        harness(ProcessorConfig.defaults().with(ProcessorConfig.QUALITY_WEIGHT_PREFIX + "validity", "3"));
        RawEnvelope first = odds("09:10", "scheduled", null, new String[] {"b365", "2.0", "3.4", "3.8"});
        pipe(first, at("09:10"));
        pipe(first, at("09:10"));

        QualityScore score = scores().get(WINDOW_NINE);

        // validity 1 (weight 3), completeness 1, uniqueness 1/2, consistency 1 (the repeat agrees), plausibility 1
        // (the repeated quote is not judged again); timeliness has no denominator and is left out.
        assertThat(List.of(score.validity(), score.completeness(), score.uniqueness(), score.timeliness(),
                score.consistency(), score.plausibility())).containsExactly(dimension(2, 2, "1"), dimension(2, 2, "1"),
                dimension(1, 2, "0.5"), dimension(0, 0, null), dimension(1, 1, "1"), dimension(1, 1, "1"));
        // (3 * 1 + 1 + 0.5 + 1 + 1) / 7 = 0.928571
        assertThat(score.overall()).isEqualByComparingTo("0.928571");
    }

    @Test
    void shouldCloseAWindowAfterItsGraceAndCountALateRecordInItsNextVersion() {
        harness(ProcessorConfig.defaults());
        pipe(odds("09:10", "scheduled", null, new String[] {"b365", "2.0", "3.4", "3.8"}), at("09:10"));
        // Both taps' counts of the record (its raw record, its event) in one version: the window is sent once per interval.
        assertThat(versionsOfNine()).containsExactly(tuple(1L, false, 1L));
        // 10:10 is past the 09:00 window's end but within its 15 minutes of grace: it stays open.
        pipe(odds("10:10", "scheduled", null, new String[] {"b365", "2.1", "3.4", "3.6"}), at("10:10"));
        assertThat(versionsOfNine()).isEmpty();
        // A record of 09:20 (another match) within the grace period: an open version, once quality.refresh-interval
        // (ten looks) has passed since the window was last sent at the second look: at the twelfth.
        pipe(SyntheticTopologyTest.againstAwayTeam("Everton",
                odds("09:20", "scheduled", null, new String[] {"b365", "2.2", "3.4", "3.4"})), at("09:20"));
        assertThat(versionsOfNine()).isEmpty();
        for (long look = 6; look <= QualityScoresProcessorTest.REFRESH_LOOKS; look++) {
            harness.advanceWallClock(EMIT);
            assertThat(sentOfNine()).isEmpty();
        }
        harness.advanceWallClock(EMIT);
        assertThat(sentOfNine()).extracting(QualityScore::version, QualityScore::closed, score -> score.validity().denominator())
                .containsExactly(tuple(2L, false, 2L));
        // 10:15 is the window's end plus the grace: it closes, as it stands.
        pipe(odds("10:15", "scheduled", null, new String[] {"b365", "2.2", "3.4", "3.6"}), at("10:15"));
        assertThat(versionsOfNine()).containsExactly(tuple(3L, true, 2L));
        // A record of 09:30 (a third match) after the grace period: counted in the closed window's next version.
        pipe(SyntheticTopologyTest.againstAwayTeam("Chelsea",
                odds("09:30", "scheduled", null, new String[] {"b365", "2.2", "3.4", "3.4"})), at("09:30"));
        // Its counts wait until the provider has been quiet for QUIET_INTERVALS intervals: sent at the punctuation after.
        assertThat(versionsOfNine()).isEmpty();
        for (int i = 1; i < QualityScoresProcessor.QUIET_INTERVALS; i++) {
            harness.advanceWallClock(EMIT);
        }
        List<QualityScore> late = sentOfNine();
        assertThat(late).extracting(QualityScore::version, QualityScore::closed, score -> score.validity().denominator())
                .containsExactly(tuple(4L, true, 3L));
        QualityScore last = late.get(0);
        assertThat(last.validity()).isEqualTo(dimension(3, 3, "1"));
        assertThat(last.uniqueness()).isEqualTo(dimension(3, 3, "1"));
        assertThat(last.windowStart()).isEqualTo(NINE);
        assertThat(last.windowEnd()).isEqualTo(at("10:00"));
        // Sent at the scores processor's twentieth punctuation: two per look for four looks, six more for the refresh,
        // then QUIET_INTERVALS and one.
        assertThat(last.updatedAt()).isEqualTo(TopologyHarness.FAILED_AT.plus(EMIT.multipliedBy(8 + 6 + QualityScoresProcessor.QUIET_INTERVALS + 1)));
    }

    /**
     * Two intervals: the taps sent their counts at the commit after the record, the scores processor finds them new at
     * the first interval and sends them at the second.
     */
    void lookAgain() {
        harness.advanceWallClock(EMIT);
        harness.advanceWallClock(EMIT);
    }

    /** Lets the taps send their counts and the scores processor the windows, and returns the versions of the 09:00 window sent. */
    List<QualityScore> nine() {
        lookAgain();
        return sentOfNine();
    }

    /** The versions of the 09:00 window sent since the last read of the topic. */
    List<QualityScore> sentOfNine() {
        return harness.qualityScores().stream().filter(r -> r.key().equals(WINDOW_NINE)).map(TestRecord::value).toList();
    }

    List<org.assertj.core.groups.Tuple> versionsOfNine() {
        return nine().stream().map(score -> tuple(score.version(), score.closed(), score.validity().denominator())).toList();
    }

    @Test
    void shouldShowTheLatestWindowOfEachProviderAsGauges() {
        harness(ProcessorConfig.defaults());
        dev.eventflow.processor.ProcessorMetrics metricsAfterClose = harness.metrics;
        pipe(odds("10:10", "scheduled", null, new String[] {"b365", "2.0", "3.4", "3.8"}), at("10:10"));
        pipe(odds("10:20", "bogus", null, new String[] {"b365", "2.0", "3.4", "3.8"}), at("10:20"));
        scores();
        // An older window scored later (a backfill) does not hide the latest one.
        pipe(SyntheticTopologyTest.againstAwayTeam("Chelsea",
                odds("09:30", "scheduled", null, new String[] {"b365", "2.2", "3.4", "3.4"})), at("09:30"));
        scores();

        assertThat(harness.metrics.gauge("eventflow.quality.score", "provider", SYNTHETIC, "dimension", "validity")).isEqualTo(0.5);
        assertThat(harness.metrics.gauge("eventflow.quality.score", "provider", SYNTHETIC, "dimension", "consistency")).isNaN();
        assertThat(harness.metrics.gauge("eventflow.quality.window.start.seconds", "provider", SYNTHETIC))
                .isEqualTo(at("10:00").getEpochSecond());

        // The task leaves the instance (here: the driver closes): the instance that takes it over shows the scores.
        harness.close();
        harness = null;
        assertThat(metricsAfterClose.gauge("eventflow.quality.score", "provider", SYNTHETIC, "dimension", "validity")).isNaN();
        assertThat(metricsAfterClose.registry().find("eventflow.quality.score").meters()).isEmpty();
    }

    @Test
    void shouldSendATasksCountsOnAtEveryCommitAndWriteNothingPerRecord() {
        harness(ProcessorConfig.defaults());
        pipe(odds("09:10", "scheduled", null, new String[] {"b365", "2.0", "3.4", "3.8"}), at("09:10"));
        pipe(odds("09:20", "bogus", null, new String[] {"b365", "2.0", "3.4", "3.8"}), at("09:20"));

        // Nothing is sent per record to quality.scores, and the tap writes nothing to its store: it sends its counts on
        // at the commit after each record (the test driver commits after every record), in the commit's transaction.
        assertThat(harness.qualityScores()).isEmpty();
        assertThat(harness.changelog(EventflowTopology.RAW_QUALITY_STORE)).isEmpty();
        assertThat(((QualityTapStore) harness.driver.getStateStore(EventflowTopology.RAW_QUALITY_STORE)).written()
                .approximateNumEntries()).isZero();
        List<Tuple> partials = harness.repartition(EventflowTopology.QUALITY_COUNTS_OF_RECORDS).stream().map(record -> {
            QualityTally nine = InternalSerdes.qualityPartial().deserializer().deserialize("", record.value()).windows()
                    .get(NINE.toEpochMilli());
            return tuple(record.key(), nine.numerator(QualityDimension.VALIDITY), nine.denominator(QualityDimension.VALIDITY));
        }).toList();
        assertThat(partials).containsExactly(tuple("synthetic", 1L, 1L), tuple("synthetic", 0L, 1L));
        // The scores task wrote the provider's counts not sent yet at its commits.
        KeyValueStore<String, QualityBacklog> backlog =
                ((QualityBacklogStore) harness.driver.getStateStore(EventflowTopology.QUALITY_PROVIDERS_STORE)).written();
        assertThat(backlog.get("synthetic").unsent()).containsOnlyKeys(NINE.toEpochMilli());
        harness.advanceWallClock(EMIT);
        assertThat(harness.qualityScores()).isEmpty();
        harness.advanceWallClock(EMIT);
        assertThat(backlog.get("synthetic").unsent()).isEmpty();
        List<TestRecord<String, QualityScore>> sent = harness.qualityScores();
        assertThat(sent).extracting(TestRecord::key).containsExactly(WINDOW_NINE);
        assertThat(sent.get(0).value().validity()).isEqualTo(dimension(1, 2, "0.5"));
        assertThat(sent.get(0).value().uniqueness()).isEqualTo(dimension(1, 1, "1"));
        // Nothing new: nothing sent again.
        harness.advanceWallClock(EMIT);
        assertThat(harness.qualityScores()).isEmpty();
    }

    @Test
    void shouldNotCountAnEventAgainWhenAnAliasMovesItToANewId() {
        harness(ProcessorConfig.defaults());
        pipe(SyntheticTopologyTest.againstAwayTeam("The Toffees",
                odds("09:10", "scheduled", null, new String[] {"b365", "2.0", "3.4", "3.8"})), at("09:10"));
        harness.pipeAlias(new dev.eventflow.model.EntityAlias("football", "The Toffees", "Everton", at("11:00")));
        harness.advanceWallClock(Duration.ofSeconds(5));
        Map<String, QualityScore> latest = new LinkedHashMap<>();
        harness.qualityScores().forEach(record -> latest.put(record.key(), record.value()));
        latest.putAll(scores());

        // The event moved: its rows under the old id were deleted, and it was written under the new one.
        assertThat(harness.events()).extracting(TestRecord::key, record -> record.value() == null).containsExactly(
                tuple("football:e0:2026-11-28:manchester-united:the-toffees", false),
                tuple("football:e0:2026-11-28:manchester-united:the-toffees", true),
                tuple("football:e0:2026-11-28:manchester-united:everton", false));
        // Yet the record was seen once.
        QualityScore score = latest.get(WINDOW_NINE);
        assertThat(List.of(score.validity(), score.uniqueness(), score.consistency(), score.plausibility())).containsExactly(
                dimension(1, 1, "1"), dimension(1, 1, "1"), dimension(0, 0, null), dimension(1, 1, "1"));
    }

    @Test
    void shouldCarryTheIngestRunOfARecordToTheEventStepButNotToTheCleanTopics() {
        harness(ProcessorConfig.defaults());
        pipe(odds("09:10", "scheduled", null, new String[] {"b365", "2.0", "3.4", "3.8"}), at("09:10"));

        List<TestRecord<String, byte[]>> bundles = harness.repartition(EventflowTopology.EVENT_BUNDLES_BY_EVENT_ID);
        assertThat(bundles).hasSize(1);
        assertThat(new String(bundles.get(0).headers().lastHeader(BundleOfRecordProcessor.INGEST_RUN_HEADER).value(),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("test-run");
        assertThat(harness.events()).hasSize(1).allSatisfy(record ->
                assertThat(record.headers().lastHeader(BundleOfRecordProcessor.INGEST_RUN_HEADER)).isNull());
        assertThat(harness.rates()).isNotEmpty().allSatisfy(record ->
                assertThat(record.headers().lastHeader(BundleOfRecordProcessor.INGEST_RUN_HEADER)).isNull());
        assertThat(harness.enriched()).hasSize(1).allSatisfy(record ->
                assertThat(record.headers().lastHeader(BundleOfRecordProcessor.INGEST_RUN_HEADER)).isNull());
    }

    static RawEnvelope inRun(String run, RawEnvelope envelope) {
        return new RawEnvelope(envelope.provider(), envelope.source(), envelope.line(), envelope.contentHash(),
                run, envelope.receivedAt(), envelope.eventTime(), envelope.payload());
    }

    static IngestRun run(String id, IngestRunStatus status, long published) {
        return new IngestRun(id, "replay", SYNTHETIC, "synthetic.jsonl", status, at("08:00"),
                status == IngestRunStatus.RUNNING ? null : at("08:01"), published, published, 0, null, null, null);
    }

    /** The newest version of every run's score sent since the last call. */
    Map<String, QualityRunScore> runScores() {
        lookAgain();
        Map<String, QualityRunScore> latest = new LinkedHashMap<>();
        harness.qualityRunScores().forEach(record -> latest.put(record.key(), record.value()));
        return latest;
    }

    @Test
    void shouldScoreEachIngestRunOnItsOwnAndCloseItWhenItFinishedWithEveryRecordCounted() {
        harness(ProcessorConfig.defaults());
        harness.pipeIngestRun(run("replay-a", IngestRunStatus.RUNNING, 0));
        harness.pipeIngestRun(run("replay-b", IngestRunStatus.RUNNING, 0));
        RawEnvelope first = odds("09:10", "scheduled", null, new String[] {"b365", "2.0", "3.4", "3.8"});
        pipe(inRun("replay-a", first), at("09:10"));
        pipe(inRun("replay-a", first), at("09:10"));
        harness.pipeIngestRun(run("replay-a", IngestRunStatus.SUCCEEDED, 2));
        // The second run replays a newer record of the same event, and one that validation refuses.
        pipe(inRun("replay-b", odds("09:20", "scheduled", null, new String[] {"b365", "2.1", "3.4", "3.6"})), at("09:20"));
        pipe(inRun("replay-b", odds("09:35", "bogus", null, new String[] {"b365", "2.2", "3.4", "3.4"})), at("09:40"));

        Map<String, QualityRunScore> runs = runScores();

        assertThat(runs).containsOnlyKeys("synthetic|replay-a", "synthetic|replay-b");
        QualityRunScore a = runs.get("synthetic|replay-a");
        assertThat(a.ingestRunId()).isEqualTo("replay-a");
        assertThat(a.validity()).isEqualTo(dimension(2, 2, "1"));
        assertThat(a.uniqueness()).isEqualTo(dimension(1, 2, "0.5"));
        assertThat(a.recordsPublished()).isEqualTo(2);
        assertThat(a.closed()).isTrue();
        QualityRunScore b = runs.get("synthetic|replay-b");
        assertThat(b.validity()).isEqualTo(dimension(1, 2, "0.5"));
        assertThat(b.uniqueness()).isEqualTo(dimension(1, 1, "1"));
        assertThat(b.closed()).isFalse();
        // The window holds both runs' records.
        assertThat(scores().get(WINDOW_NINE).validity()).isEqualTo(dimension(3, 4, "0.75"));

        // The second run finishes: its score is sent once more, closed, with the same counts.
        harness.pipeIngestRun(run("replay-b", IngestRunStatus.SUCCEEDED, 2));
        Map<String, QualityRunScore> closed = runScores();
        assertThat(closed).containsOnlyKeys("synthetic|replay-b");
        assertThat(closed.get("synthetic|replay-b")).satisfies(score -> {
            assertThat(score.closed()).isTrue();
            assertThat(score.validity()).isEqualTo(dimension(1, 2, "0.5"));
            assertThat(score.version()).isEqualTo(b.version() + 1);
        });
    }
}
