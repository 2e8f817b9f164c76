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
    void shouldKeyAndTimeOddsApiEvents() {
        ObjectNode event = JsonNodeFactory.instance.objectNode().put("id", "evt-1").put("last_update", "2026-11-22T09:58:12+01:00");

        assertThat(ProviderFormat.ODDS_API.key(event, 3)).isEqualTo("odds-api:evt-1");
        assertThat(ProviderFormat.ODDS_API.eventTime(event)).contains(Instant.parse("2026-11-22T08:58:12Z"));
        assertThat(ProviderFormat.ODDS_API.topic(dev.eventflow.model.topics.EventflowTopics.defaults()).name())
                .isEqualTo("provider.return-rates.raw");
        assertThat(ProviderFormat.byId("ODDS-API")).isEqualTo(ProviderFormat.ODDS_API);
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
                .hasMessage("Unknown provider 'nope' (known: football-data, odds-api, football-data-org)");
    }
}
