package dev.eventflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProviderFormatTest {

    @Test
    void shouldKeyAndTimeFootballDataRowsWithoutInterpretingMore() {
        ObjectNode row = JsonNodeFactory.instance.objectNode().put("Div", "E0").put("Date", "09/08/2019").put("Time", "20:00")
                .put("HomeTeam", "Liverpool").put("AwayTeam", "Norwich");

        assertThat(ProviderFormat.FOOTBALL_DATA.key(row, 2)).isEqualTo("E0/09/08/2019/Liverpool/Norwich");
        assertThat(ProviderFormat.FOOTBALL_DATA.eventTime(row)).contains(Instant.parse("2019-08-09T19:00:00Z"));
        assertThat(ProviderFormat.FOOTBALL_DATA.topic(dev.eventflow.model.topics.EventflowTopics.defaults()).name())
                .isEqualTo("provider.events.raw");

        ObjectNode broken = JsonNodeFactory.instance.objectNode().put("Div", "E0").put("Date", "not a date");
        assertThat(ProviderFormat.FOOTBALL_DATA.key(broken, 7)).isEqualTo("line-7");
        assertThat(ProviderFormat.FOOTBALL_DATA.eventTime(broken)).isEmpty();
    }

    @Test
    void shouldKeyAndTimeSyntheticEvents() {
        ObjectNode event = JsonNodeFactory.instance.objectNode().put("id", "evt-1").put("last_update", "2026-11-22T09:58:12+01:00");

        assertThat(ProviderFormat.SYNTHETIC.key(event, 3)).isEqualTo("synthetic:evt-1");
        assertThat(ProviderFormat.SYNTHETIC.eventTime(event)).contains(Instant.parse("2026-11-22T08:58:12Z"));
        assertThat(ProviderFormat.SYNTHETIC.topic(dev.eventflow.model.topics.EventflowTopics.defaults()).name())
                .isEqualTo("provider.return-rates.raw");
        assertThat(ProviderFormat.byId("SYNTHETIC")).isEqualTo(ProviderFormat.SYNTHETIC);
    }

    @Test
    void shouldRouteTheOddsApiOddsAndScoresToTheirTopicsKeyedAndTimed() {
        var topics = dev.eventflow.model.topics.EventflowTopics.defaults();
        ObjectNode odds = (ObjectNode) dev.eventflow.model.serde.Json.mapper().valueToTree(java.util.Map.of("id", "abc",
                "sport_key", "soccer_epl", "bookmakers", java.util.List.of(
                        java.util.Map.of("key", "williamhill", "last_update", "2024-08-15T09:12:41Z",
                                "markets", java.util.List.of(java.util.Map.of("key", "h2h", "last_update", "2024-08-15T09:13:00Z"))),
                        java.util.Map.of("key", "pinnacle", "last_update", "2024-08-15T09:10:22Z"))));
        ObjectNode scores = JsonNodeFactory.instance.objectNode().put("id", "abc").put("completed", false).putNull("scores")
                .putNull("last_update");

        assertThat(ProviderFormat.THE_ODDS_API.topic(topics, odds).name()).isEqualTo("provider.return-rates.raw");
        assertThat(ProviderFormat.THE_ODDS_API.topic(topics, scores).name()).isEqualTo("provider.events.raw");
        assertThat(ProviderFormat.THE_ODDS_API.key(odds, 1)).isEqualTo(ProviderFormat.THE_ODDS_API.key(scores, 2)).isEqualTo("the-odds-api:abc");
        assertThat(ProviderFormat.THE_ODDS_API.eventTime(odds)).contains(Instant.parse("2024-08-15T09:13:00Z"));
        assertThat(ProviderFormat.THE_ODDS_API.eventTime(scores)).isEmpty();
        assertThat(ProviderFormat.THE_ODDS_API.eventTime(scores.put("last_update", "2024-08-16T21:02:37Z")))
                .contains(Instant.parse("2024-08-16T21:02:37Z"));
        assertThat(ProviderFormat.byId("the-odds-api")).isEqualTo(ProviderFormat.THE_ODDS_API);
        assertThat(ProviderFormat.FOOTBALL_DATA.topic(topics, odds).name()).isEqualTo("provider.events.raw");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProviderFormat.byId("nope"))
                .hasMessage("Unknown provider 'nope' (known: football-data, synthetic, the-odds-api, football-data-org)");
    }

    @Test
    void shouldKeyAndTimeFootballDataOrgMatches() {
        ObjectNode match = JsonNodeFactory.instance.objectNode().put("id", 538050).put("utcDate", "2026-02-23T20:00:00Z")
                .put("lastUpdated", "2026-02-23T22:05:03Z");

        assertThat(ProviderFormat.FOOTBALL_DATA_ORG.key(match, 3)).isEqualTo("football-data-org:538050");
        assertThat(ProviderFormat.FOOTBALL_DATA_ORG.eventTime(match)).contains(Instant.parse("2026-02-23T22:05:03Z"));
        assertThat(ProviderFormat.FOOTBALL_DATA_ORG.eventTime(match.deepCopy().put("lastUpdated", "?")))
                .contains(Instant.parse("2026-02-23T20:00:00Z"));
        assertThat(ProviderFormat.FOOTBALL_DATA_ORG.key(JsonNodeFactory.instance.objectNode(), 3)).isEqualTo("football-data-org:line-3");
        assertThat(ProviderFormat.FOOTBALL_DATA_ORG.topic(dev.eventflow.model.topics.EventflowTopics.defaults()).name())
                .isEqualTo("provider.events.raw");
        assertThat(ProviderFormat.byId("football-data-org")).isEqualTo(ProviderFormat.FOOTBALL_DATA_ORG);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProviderFormat.byId("nope"))
                .hasMessage("Unknown provider 'nope' (known: football-data, synthetic, the-odds-api, football-data-org)");
    }
}
