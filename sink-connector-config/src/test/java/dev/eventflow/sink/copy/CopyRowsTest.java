package dev.eventflow.sink.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventflow.sink.connect.ContractSchemas;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class CopyRowsTest {

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteEveryColumnQuotedWithNullsAsEmptyFields() {
        CopyRows events = new CopyRows(ContractSchemas.of("event"));

        String line = events.line(json("""
                {"id":"e1","sport":"football","competition":"E0","kickoff":"2019-08-09T19:00:00Z",
                 "homeEntityId":"football:liverpool","awayEntityId":"football:norwich-city","homeName":"Liverpool \\"Reds\\", LFC",
                 "awayName":null,"status":"FINISHED","homeScore":4,"awayScore":1,"halfTimeHomeScore":4,
                 "providerRefs":["football-data:x"],"updatedAt":"2019-08-09T21:00:00.123456Z","unknown":"ignored"}"""));

        assertThat(line).isEqualTo("\"e1\",\"football\",\"E0\",\"2019-08-09T19:00:00Z\",\"football:liverpool\",\"football:norwich-city\","
                + "\"Liverpool \"\"Reds\"\", LFC\",,\"FINISHED\",\"4\",\"1\",\"4\",,\"[\"\"football-data:x\"\"]\",\"2019-08-09T21:00:00.123Z\"");
    }

    @Test
    void shouldWriteAnEntitysReferencesAndFlagAndReadAnOlderEntityWithoutThemAsNoneAndKnown() {
        CopyRows entities = new CopyRows(ContractSchemas.of("entity"));

        assertThat(entities.line(json("""
                {"id":"football:gunners-town","sport":"football","name":"Gunners Town","normalizedName":"gunners-town",
                 "providerRefs":["football-data-org:57"],"aliased":false,"updatedAt":"2031-01-09T00:00:00Z"}""")))
                .isEqualTo("\"football:gunners-town\",\"football\",\"Gunners Town\",\"gunners-town\",\"[\"\"football-data-org:57\"\"]\","
                        + "\"false\",\"2031-01-09T00:00:00Z\"");
        assertThat(entities.line(json("""
                {"id":"football:x","sport":"football","name":"X","normalizedName":"x","updatedAt":"2019-08-09T19:00:00Z"}""")))
                .isEqualTo("\"football:x\",\"football\",\"X\",\"x\",\"[]\",\"true\",\"2019-08-09T19:00:00Z\"");
    }

    @Test
    void shouldWriteDecimalsAtSixPlacesAsTheTablesHoldThem() {
        CopyRows rates = new CopyRows(ContractSchemas.of("return-rate"));

        String line = rates.line(json("""
                {"id":"e1|B365|1X2","eventId":"e1","bookmaker":"B365","market":"1X2","quotedAt":"2019-08-09T19:00:00Z",
                 "home":1.14,"draw":9.5,"away":21,"impliedHome":0.8771929824,"impliedDraw":null,"impliedAway":0.047619,
                 "payout":0.970803,"provider":"football-data"}"""));

        assertThat(line).isEqualTo("\"e1|B365|1X2\",\"e1\",\"B365\",\"1X2\",\"2019-08-09T19:00:00Z\",\"1.140000\",\"9.500000\","
                + "\"21.000000\",\"0.877193\",,\"0.047619\",\"0.970803\",\"football-data\"");
    }

    @Test
    void shouldRefuseWhatIsNoRowWithTheReason() {
        CopyRows entities = new CopyRows(ContractSchemas.of("entity"));

        assertThatThrownBy(() -> entities.line(json("{not json"))).isInstanceOf(DataException.class).hasMessageStartingWith("Not JSON");
        assertThatThrownBy(() -> entities.line(json("[1]"))).isInstanceOf(DataException.class).hasMessage("Not a JSON object");
        assertThatThrownBy(() -> entities.line(json("{\"id\":\"x\",\"sport\":\"football\",\"name\":\"X\",\"normalizedName\":\"x\"}")))
                .isInstanceOf(DataException.class).hasMessage("Missing updatedAt in a entity");
        assertThatThrownBy(() -> entities.line(json("{\"id\":\"x\",\"sport\":\"football\",\"name\":\"X\",\"normalizedName\":\"x\","
                + "\"providerRefs\":[],\"aliased\":true,\"updatedAt\":\"yesterday\"}"))).isInstanceOf(DataException.class).hasMessageContaining("'yesterday' is not an ISO-8601");
        assertThatThrownBy(() -> entities.line(json("{\"id\":\"x\",\"sport\":\"football\",\"name\":\"X\\u0000\",\"normalizedName\":\"x\","
                + "\"providerRefs\":[],\"aliased\":true,\"updatedAt\":\"2019-08-09T19:00:00Z\"}"))).isInstanceOf(DataException.class)
                .hasMessageContaining("NUL character");
        assertThatThrownBy(() -> entities.line(json("{\"id\":\"x\",\"sport\":\"football\",\"name\":\"X\",\"normalizedName\":\"x\","
                + "\"providerRefs\":[],\"aliased\":\"yes\",\"updatedAt\":\"2019-08-09T19:00:00Z\"}"))).isInstanceOf(DataException.class)
                .hasMessageStartingWith("aliased is not true or false").hasMessageEndingWith(": \"yes\"");
        CopyRows runs = new CopyRows(ContractSchemas.of("ingest-run"));
        assertThatThrownBy(() -> runs.line(json("{\"runId\":\"r\",\"command\":\"replay\",\"provider\":\"p\",\"source\":\"s\","
                + "\"status\":\"RUNNING\",\"startedAt\":\"2019-08-09T19:00:00Z\",\"recordsRead\":1.5,\"recordsPublished\":1,"
                + "\"recordsSkipped\":0,\"skippedByReason\":{},\"anomalies\":{}}"))).isInstanceOf(DataException.class)
                .hasMessageContaining("recordsRead is not a whole number");
    }

    @Test
    void shouldBuildOneUpsertThatLeavesNewerRowsAloneAndRefuseUnknownColumns() {
        CopySinkConfig config = new CopySinkConfig(Map.of(CopySinkConfig.URL, "jdbc:postgresql://h/db", CopySinkConfig.USER, "sink",
                CopySinkConfig.TABLE, "entities", CopySinkConfig.CONTRACT_TYPE, "entity", CopySinkConfig.KEY_COLUMN, "id",
                CopySinkConfig.VERSION_COLUMN, "updated_at"));

        assertThat(CopySinkTask.statements(config).upsert()).isEqualTo("INSERT INTO entities (id, sport, name, normalized_name, "
                + "provider_refs, aliased, updated_at) SELECT id, sport, name, normalized_name, provider_refs, aliased, updated_at "
                + "FROM eventflow_stage_entities ON CONFLICT (id) DO UPDATE SET sport = EXCLUDED.sport, name = EXCLUDED.name, "
                + "normalized_name = EXCLUDED.normalized_name, provider_refs = EXCLUDED.provider_refs, aliased = EXCLUDED.aliased, "
                + "updated_at = EXCLUDED.updated_at WHERE entities.updated_at <= EXCLUDED.updated_at");
        assertThatThrownBy(() -> new CopySinkConfig(Map.of(CopySinkConfig.URL, "u", CopySinkConfig.USER, "s", CopySinkConfig.TABLE,
                "entities", CopySinkConfig.CONTRACT_TYPE, "entity", CopySinkConfig.KEY_COLUMN, "entity_id")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("entity_id");
    }

    @Test
    void shouldUpsertAndDeleteOnAKeyOfTwoColumnsCastingEachPartOfTheRecordKeyToItsColumnsType() {
        CopySinkConfig config = new CopySinkConfig(Map.of(CopySinkConfig.URL, "jdbc:postgresql://h/db", CopySinkConfig.USER, "sink",
                CopySinkConfig.TABLE, "data_quality", CopySinkConfig.CONTRACT_TYPE, "quality-score",
                CopySinkConfig.KEY_COLUMN, "provider,window_start", CopySinkConfig.VERSION_COLUMN, "updated_at"));

        CopySinkTask.Sql sql = CopySinkTask.statements(config);

        assertThat(sql.upsert()).contains(" FROM eventflow_stage_data_quality ON CONFLICT (provider, window_start) DO UPDATE SET "
                + "window_end = EXCLUDED.window_end, validity_numerator = EXCLUDED.validity_numerator, ")
                .endsWith("version = EXCLUDED.version, updated_at = EXCLUDED.updated_at "
                        + "WHERE data_quality.updated_at <= EXCLUDED.updated_at")
                .doesNotContain("provider = EXCLUDED", "window_start = EXCLUDED");
        assertThat(sql.delete()).isEqualTo("DELETE FROM data_quality WHERE provider = CAST(? AS text) "
                + "AND window_start = CAST(? AS timestamptz)");
        assertThatThrownBy(() -> new CopySinkConfig(Map.of(CopySinkConfig.URL, "u", CopySinkConfig.USER, "s", CopySinkConfig.TABLE,
                "data_quality", CopySinkConfig.CONTRACT_TYPE, "quality-score", CopySinkConfig.KEY_COLUMN, "provider,window")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("window");
    }

    @Test
    void shouldSplitATombstonesKeyIntoOneValuePerKeyColumnOrRefuseItWhenAColumnCannotHoldItsPart() {
        CopySinkConfig config = new CopySinkConfig(Map.of(CopySinkConfig.URL, "u", CopySinkConfig.USER, "s",
                CopySinkConfig.TABLE, "data_quality", CopySinkConfig.CONTRACT_TYPE, "quality-score",
                CopySinkConfig.KEY_COLUMN, "provider,window_start"));
        java.util.regex.Pattern separator = java.util.regex.Pattern.compile("\\|");

        assertThat(CopySinkTask.keyParts(config, separator, "football-data|2019-08-09T19:00:00Z"))
                .containsExactly("football-data", "2019-08-09T19:00:00Z");
        assertThat(CopySinkTask.keyParts(config, separator, "football-data")).isNull();
        assertThat(CopySinkTask.keyParts(config, separator, "a|b|2019-08-09T19:00:00Z")).isNull();
        assertThat(CopySinkTask.keyParts(config, separator, "football-data|yesterday")).isNull();
    }
}
