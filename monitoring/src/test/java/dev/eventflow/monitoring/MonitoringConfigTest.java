package dev.eventflow.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.eventflow.config.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitoringConfigTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void thresholdsComeFromTheSettings() throws Exception {
        MonitoringConfig config = new MonitoringConfig(Config.of(MonitoringConfig.SPEC, Map.of(
                "alert.dead-letters.per-second", "2.5", "alert.dead-letters.window", "10m", "alert.lag.for", "30m")));
        JsonNode rules = YAML.readTree(config.alertRules()).path("groups").get(0).path("rules");
        assertThat(rules.get(0).path("alert").asText()).isEqualTo("EventflowDeadLettersHigh");
        assertThat(rules.get(0).path("expr").asText())
                .isEqualTo("sum(rate(eventflow_dead_letters_total[10m])) > 2.5");
        assertThat(rules.get(1).path("for").asText()).isEqualTo("30m");
        assertThat(config.alertRules()).doesNotContain("${");
        JsonNode quality = rules.get(rules.size() - 1);
        assertThat(quality.path("alert").asText()).isEqualTo("EventflowDataQualityLow");
        JsonNode stricter = YAML.readTree(new MonitoringConfig(Config.of(MonitoringConfig.SPEC, Map.of("alert.quality.min-score",
                "0.75", "alert.quality.for", "1h"))).alertRules()).path("groups").get(0).path("rules").get(rules.size() - 1);
        assertThat(stricter.path("expr").asText()).isEqualTo("min by (provider) (eventflow_quality_score{dimension=\"overall\"}) < 0.75");
        assertThat(stricter.path("for").asText()).isEqualTo("1h");
        assertThat(config.prometheus(MonitoringConfig.Target.LOCAL)).doesNotContain("${").contains("127.0.0.1:8001");
    }

    @Test
    void eachChannelIsOnOnlyWhenItsSettingsAreGiven() throws Exception {
        MonitoringConfig none = new MonitoringConfig(Config.defaults(MonitoringConfig.SPEC));
        assertThat(none.channels()).isEmpty();
        JsonNode receiver = YAML.readTree(none.alertmanager()).path("receivers").get(0);
        assertThat(receiver.path("name").asText()).isEqualTo("eventflow");
        assertThat(receiver.has("slack_configs") || receiver.has("discord_configs") || receiver.has("email_configs")).isFalse();

        MonitoringConfig discord = new MonitoringConfig(Config.of(MonitoringConfig.SPEC,
                Map.of(MonitoringConfig.DISCORD_WEBHOOK, "https://discord.com/api/webhooks/1/abc")));
        assertThat(discord.channels()).containsExactly("discord");
        JsonNode root = YAML.readTree(discord.alertmanager());
        assertThat(root.path("receivers").get(0).path("discord_configs").get(0).path("webhook_url").asText())
                .isEqualTo("https://discord.com/api/webhooks/1/abc");
        assertThat(root.path("route").path("repeat_interval").asText()).isEqualTo("4h");
        assertThat(root.path("route").path("group_by").toString()).isEqualTo("[\"alertname\",\"connector\",\"group\",\"provider\"]");
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> new MonitoringConfig(Config.of(MonitoringConfig.SPEC, Map.of("alert.lag.for", "ten minutes"))))
                .hasMessage("alert.lag.for must be a Prometheus duration such as 30s, 5m or 1h, was 'ten minutes'");
        assertThatThrownBy(() -> new MonitoringConfig(Config.of(MonitoringConfig.SPEC, Map.of("alert.freshness.max-seconds", "5m"))))
                .hasMessage("alert.freshness.max-seconds must be a number, was '5m'");
        assertThatThrownBy(() -> new MonitoringConfig(Config.of(MonitoringConfig.SPEC, Map.of("alert.quality.min-score", "90%"))))
                .hasMessage("alert.quality.min-score must be a number, was '90%'");
        assertThatThrownBy(() -> new MonitoringConfig(Config.of(MonitoringConfig.SPEC, Map.of(MonitoringConfig.EMAIL_TO, "ops@example.com"))))
                .hasMessageStartingWith("Email alerts need both alert.email.to and alert.email.smarthost");
    }
}
