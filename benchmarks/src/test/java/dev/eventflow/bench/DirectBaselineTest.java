package dev.eventflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.processor.ProcessorConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The direct baseline's rows, without a database: the same rows the pipeline writes for the bundled seasons. */
class DirectBaselineTest {

    private static final Path SAMPLES = Path.of("..", "data", "football-data");
    private static final List<Path> SOURCES = List.of(SAMPLES.resolve("E0_2004-05.csv"), SAMPLES.resolve("E0_2019-20.csv"),
            SAMPLES.resolve("SP1_2012-13.csv"));

    @Test
    void shouldMapTheBundledSeasonsToTheRowCountsThePipelineWrites() throws IOException {
        // LocalPipelineIT: the pipeline writes 48 entities, 1,140 events, 8,732 return rates and 1,140 enriched events for them.
        DirectBaseline.Latest latest = DirectBaseline.map(SOURCES, ProcessorConfig.defaults().mappingRules());

        assertThat(latest.read()).isEqualTo(1140);
        assertThat(latest.refused()).isZero();
        assertThat(latest.entities()).hasSize(48);
        assertThat(latest.events()).hasSize(1140);
        assertThat(latest.rates()).hasSize(8732);
        assertThat(DirectBaseline.enrich(latest.events(), latest.rates())).hasSize(1140);
    }

    @Test
    void shouldKeepTheTeamsOnceAndEveryCompetitionCopyApart(@TempDir Path dir) throws IOException {
        FootballDataCopies.DataSet data = FootballDataCopies.write(SOURCES, 2000, dir);

        DirectBaseline.Latest latest = DirectBaseline.map(data.files(), ProcessorConfig.defaults().mappingRules());

        assertThat(latest.entities()).hasSize(48);
        assertThat(latest.events()).hasSize(2280);
        assertThat(latest.rates()).hasSize(2 * 8732);
        assertThat(latest.events().values()).extracting(Event::competition)
                .allMatch(data.competitions()::contains);
        assertThat(CompetitionRows.slugs(data.competitions())).containsExactly("e0-c0001", "e0-c0002", "sp1-c0001", "sp1-c0002");
        assertThat(latest.events().keySet()).allMatch(id -> CompetitionRows.slugs(data.competitions()).contains(id.split(":")[1]));
    }

    @Test
    void shouldSummarizeEachBookmakersNewestQuoteAtOrBeforeTheEventsTime() {
        Instant kickoff = Instant.parse("2020-01-01T15:00:00Z");
        Event event = new Event("football:e0:2020-01-01:a:b", "football", "E0", kickoff, "football:a", "football:b", "A", "B",
                EventStatus.FINISHED, 1, 0, null, null, List.of("football-data:x"), kickoff.plusSeconds(7200));
        ReturnRate b365 = rate(event.id(), "B365", kickoff, "2.00", "3.00", "4.00");
        ReturnRate later = rate(event.id(), "WH", kickoff.plusSeconds(9000), "9.00", "9.00", "9.00");
        ReturnRate bw = rate(event.id(), "BW", kickoff.minusSeconds(3600), "2.50", "3.20", "3.50");

        List<EnrichedEvent> enriched = DirectBaseline.enrich(Map.of(event.id(), event),
                Map.of(b365.id(), b365, later.id(), later, bw.id(), bw));

        assertThat(enriched).hasSize(1);
        EnrichedEvent row = enriched.get(0);
        assertThat(row.bookmakers()).isEqualTo(2);
        assertThat(row.bestHome()).isEqualByComparingTo("2.5");
        assertThat(row.bestAway()).isEqualByComparingTo("4");
        assertThat(row.ratesAsOf()).isEqualTo(event.updatedAt());
    }

    @Test
    void shouldWriteColumnsAsTheSinksConverterDoes() {
        ContractRows<Entity> entities = ContractRows.of("entity", Entity.class);
        Instant at = Instant.parse("2020-01-01T17:00:00Z");

        Object[] row = entities.values(new Entity("football:arsenal", "football", "Arsenal", "arsenal", at));
        BatchUpsert.Table table = entities.table("entities_baseline");

        assertThat(row).containsExactly("football:arsenal", "football", "Arsenal", "arsenal", "[]", true,
                OffsetDateTime.of(2020, 1, 1, 17, 0, 0, 0, ZoneOffset.UTC));
        assertThat(table.columns()).containsExactly("id", "sport", "name", "normalized_name", "provider_refs", "aliased", "updated_at");
        assertThat(table.sqlTypes()).containsExactly(Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
                Types.BOOLEAN, Types.TIMESTAMP_WITH_TIMEZONE);
        assertThat(table.upsertStatement()).isEqualTo("INSERT INTO entities_baseline (id, sport, name, normalized_name, provider_refs, "
                + "aliased, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET sport = EXCLUDED.sport, "
                + "name = EXCLUDED.name, normalized_name = EXCLUDED.normalized_name, provider_refs = EXCLUDED.provider_refs, "
                + "aliased = EXCLUDED.aliased, updated_at = EXCLUDED.updated_at");
    }

    @Test
    void shouldWriteEventStatusAsItsNameProviderRefsAsJsonAndDecimalsAtScaleSix() {
        Instant kickoff = Instant.parse("2020-01-01T15:00:00Z");
        Event event = new Event("e", "football", "E0_C0001", kickoff, "football:a", "football:b", "A", "B", EventStatus.FINISHED, 1, 0,
                null, null, List.of("football-data:E0_C0001/01/01/20/A/B"), kickoff);
        ReturnRate rate = rate("e", "B365", kickoff, "2.1", "3", "4");

        Object[] eventRow = ContractRows.of("event", Event.class).values(event);
        Object[] rateRow = ContractRows.of("return-rate", ReturnRate.class).values(rate);

        assertThat(eventRow[8]).isEqualTo("FINISHED");
        assertThat(eventRow[11]).isNull();
        assertThat(eventRow[13]).isEqualTo("[\"football-data:E0_C0001/01/01/20/A/B\"]");
        assertThat(rateRow[5]).isEqualTo(new BigDecimal("2.100000"));
    }

    private static ReturnRate rate(String eventId, String bookmaker, Instant quotedAt, String home, String draw, String away) {
        return new ReturnRate(ReturnRate.idOf(eventId, bookmaker, "1X2"), eventId, bookmaker, "1X2", quotedAt, new BigDecimal(home),
                new BigDecimal(draw), new BigDecimal(away), null, null, null, new BigDecimal("0.95"), "football-data");
    }
}
