package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Entity;
import dev.eventflow.model.EntityAlias;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.RawRecords;
import dev.eventflow.processor.provider.FootballDataOrgMapperTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A name no alias knows is an entity of its own, reported as unaliased; when an alias for it arrives on
 * {@code entities.aliases}, what the topology holds under it moves to the canonical entity: the old
 * entity, event, rates and enriched row are deleted (tombstones) and the event merges into the one the
 * other providers name, with its quotes.
 */
class AliasRenameTopologyTest {

    static final String OLD_TEAM = "football:the-toffees";
    static final String OLD_EVENT = "football:e0:2026-02-23:the-toffees:manchester-united";
    static final String EVENT = FootballDataOrgTopologyTest.EVERTON_UNITED;
    static final Instant CSV_TIME = Instant.parse("2026-02-23T20:00:00Z");

    final TopologyHarness harness = FootballDataOrgTopologyTest.harness(ProcessorConfig.defaults());

    @AfterEach
    void close() {
        harness.close();
    }

    /** A football-data.co.uk row of the match with the home side under a spelling no alias knows, and Bet365's closing prices. */
    private void pipeCsvRow() {
        JsonNode row = RawRecords.json("{'Div':'E0','Date':'23/02/2026','Time':'20:00','HomeTeam':'The Toffees',"
                + "'AwayTeam':'Man United','FTHG':'1','FTAG':'2','FTR':'A','HTHG':'1','HTAG':'1','HTR':'D',"
                + "'B365H':'2.60','B365D':'3.40','B365A':'2.70'}");
        harness.pipeEvent("football-data:E0:2026-02-23:The Toffees:Man United",
                RawRecords.envelope("football-data", "E0.csv", 2L, row), CSV_TIME);
    }

    @Test
    void shouldMoveTheEventsOfANameToItsCanonicalEntityWhenAnAliasArrives() {
        List<JsonNode> live = FootballDataOrgMapperTest.matches("pl-2025-live.json");
        pipeCsvRow();
        FootballDataOrgTopologyTest.pipe(harness, live.get(live.size() - 1));

        // Before the alias: two events for one match, and an entity of its own for the unknown spelling
        assertThat(harness.entities()).extracting(TestRecord::key, r -> r.value().aliased(), r -> r.value().providerRefs())
                .containsExactlyInAnyOrder(
                        tuple(OLD_TEAM, false, List.of()),
                        tuple("football:manchester-united", true, List.of()),
                        tuple("football:everton", true, List.of("football-data-org:62")),
                        tuple("football:manchester-united", true, List.of("football-data-org:66")));
        assertThat(harness.events()).extracting(TestRecord::key).containsExactlyInAnyOrder(OLD_EVENT, EVENT);
        List<TestRecord<String, ReturnRate>> before = harness.rates();
        assertThat(before).extracting(TestRecord::key).containsExactly(OLD_EVENT + "|B365|1X2");
        ReturnRate original = before.get(0).value();
        assertThat(harness.enriched()).extracting(TestRecord::key).containsExactlyInAnyOrder(OLD_EVENT, EVENT);
        assertThat(harness.metrics.count("eventflow.entities.unaliased", "provider", "football-data")).isEqualTo(1);

        // When the alias arrives and the recheck runs
        harness.pipeAlias(new EntityAlias("football", "The Toffees", "Everton", Instant.parse("2026-11-30T01:00:00Z")));
        harness.driver.advanceWallClockTime(Duration.ofSeconds(5));

        // Then the old entity is retired, and Everton (known, with its id) is not sent again
        assertThat(harness.entities()).extracting(TestRecord::key, TestRecord::value)
                .containsExactly(tuple(OLD_TEAM, null));
        // the old event's rows are deleted, and the match is one event with both providers' references and the result
        List<TestRecord<String, Event>> events = harness.events();
        assertThat(events).extracting(TestRecord::key).containsExactly(OLD_EVENT, EVENT);
        assertThat(events.get(0).value()).isNull();
        Event merged = events.get(1).value();
        assertThat(merged.homeEntityId()).isEqualTo("football:everton");
        assertThat(merged.homeName()).isEqualTo("Everton");
        assertThat(merged.status()).isEqualTo(EventStatus.FINISHED);
        assertThat(List.of(merged.homeScore(), merged.awayScore(), merged.halfTimeHomeScore(), merged.halfTimeAwayScore()))
                .containsExactly(1, 2, 1, 1);
        assertThat(merged.providerRefs()).containsExactly("football-data-org:538050",
                "football-data:E0/23/02/2026/The Toffees/Man United");
        // the rate moves with its prices and time, the old one deleted
        List<TestRecord<String, ReturnRate>> rates = harness.rates();
        assertThat(rates).extracting(TestRecord::key).containsExactly(OLD_EVENT + "|B365|1X2", EVENT + "|B365|1X2");
        assertThat(rates.get(0).value()).isNull();
        assertThat(rates.get(1).value()).isEqualTo(new ReturnRate(EVENT + "|B365|1X2", EVENT, "B365", "1X2", original.quotedAt(),
                original.home(), original.draw(), original.away(), original.impliedHome(), original.impliedDraw(),
                original.impliedAway(), original.payout(), "football-data"));
        // and the enriched row of the old id is deleted; the match's row now joins Bet365's prices
        List<TestRecord<String, EnrichedEvent>> enriched = harness.enriched();
        assertThat(enriched).extracting(TestRecord::key).containsExactly(OLD_EVENT, EVENT);
        assertThat(enriched.get(0).value()).isNull();
        assertThat(enriched.get(1).value().bookmakers()).isEqualTo(1);
        assertThat(harness.metrics.count("eventflow.entities.renamed")).isEqualTo(1);
        assertThat(harness.metrics.count("eventflow.events.moved")).isEqualTo(1);

        // A later record under the old spelling joins the canonical event directly: nothing new is written
        pipeCsvRow();
        harness.driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertThat(harness.allOutputsEmpty()).isTrue();
    }

    @Test
    void shouldMoveAnEventToACanonicalNameNoProviderSentYetAndSendThatEntity() {
        pipeCsvRow();
        harness.entities();
        harness.events();
        harness.rates();
        harness.enriched();

        harness.pipeAlias(new EntityAlias("football", "The Toffees", "Everton", Instant.parse("2026-11-30T01:00:00Z")));
        harness.driver.advanceWallClockTime(Duration.ofSeconds(5));

        assertThat(harness.entities()).extracting(TestRecord::key, r -> r.value() == null ? null : r.value().name())
                .containsExactly(tuple(OLD_TEAM, null), tuple("football:everton", "Everton"));
        List<TestRecord<String, Event>> events = harness.events();
        assertThat(events).extracting(TestRecord::key).containsExactly(OLD_EVENT, EVENT);
        assertThat(events.get(1).value()).extracting(Event::homeEntityId, Event::homeScore, Event::updatedAt)
                .containsExactly("football:everton", 1, CSV_TIME.plus(Duration.ofHours(2)));
    }

    @Test
    void shouldKeepAProvidersTeamIdOnTheEntityEvenFromARecordOlderThanTheEntity() {
        // Given Everton known from a CSV row of a later season, then football-data.org's older fixture naming it with its id
        JsonNode later = RawRecords.json("{'Div':'E0','Date':'01/03/2026','HomeTeam':'Everton','AwayTeam':'Chelsea',"
                + "'FTHG':'0','FTAG':'0'}");
        harness.pipeEvent("football-data:E0:2026-03-01:Everton:Chelsea", RawRecords.envelope("football-data", "E0.csv", 3L, later),
                Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(harness.entities()).extracting(TestRecord::key).containsExactlyInAnyOrder("football:everton", "football:chelsea");
        FootballDataOrgTopologyTest.pipe(harness, FootballDataOrgMapperTest.matches("pl-2025-fixtures.json").get(0));

        // Then Everton keeps its later name and time and gains the id; Manchester United is new with its id
        assertThat(harness.entities()).extracting(TestRecord::key, r -> r.value().providerRefs(), r -> r.value().updatedAt())
                .containsExactlyInAnyOrder(
                        tuple("football:everton", List.of("football-data-org:62"), Instant.parse("2026-03-01T02:00:00Z")),
                        tuple("football:manchester-united", List.of("football-data-org:66"),
                                Instant.parse(FootballDataOrgMapperTest.matches("pl-2025-fixtures.json").get(0).get("lastUpdated").asText())));
    }

    @Test
    void shouldLeaveAnEntityAloneWhileNoAliasResolvesIt() {
        pipeCsvRow();
        harness.entities();
        harness.events();
        harness.rates();
        harness.enriched();

        harness.pipeAlias(new EntityAlias("football", "Toffee Town", "Everton", Instant.parse("2026-11-30T01:00:00Z")));
        harness.driver.advanceWallClockTime(Duration.ofSeconds(5));

        assertThat(harness.allOutputsEmpty()).isTrue();
        assertThat(harness.metrics.count("eventflow.entities.renamed")).isZero();
    }
}
