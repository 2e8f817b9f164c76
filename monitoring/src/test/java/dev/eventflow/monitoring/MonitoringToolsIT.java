package dev.eventflow.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.config.Config;
import dev.eventflow.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rendered configs, checked by the tools that will read them: promtool and amtool. */
class MonitoringToolsIT {

    private static final Path RULE_TESTS = Path.of("prometheus", "tests", "alerts-test.yml");

    @TempDir
    Path dir;

    @Test
    void prometheusAcceptsBothConfigsAndTheirRules() throws Exception {
        Path promtool = ExternalTools.require("promtool");
        for (MonitoringConfig.Target target : MonitoringConfig.Target.values()) {
            Path out = Files.createDirectories(dir.resolve(target.name()));
            MonitoringConfig config = new MonitoringConfig(Config.defaults(MonitoringConfig.SPEC));
            Files.writeString(out.resolve("prometheus.yml"), config.prometheus(target));
            Files.writeString(out.resolve("alerts.yml"), config.alertRules());
            ExternalTools.Result result = ExternalTools.run(out, promtool, "check", "config", "prometheus.yml");
            assertThat(result.exit()).as(result.output()).isZero();
            assertThat(result.output()).contains("SUCCESS: 11 rules found");
        }
    }

    @Test
    void everyAlertRuleBehavesAsItsUnitTestsSay() throws Exception {
        Path promtool = ExternalTools.require("promtool");
        Files.writeString(dir.resolve("alerts.yml"), new MonitoringConfig(Config.defaults(MonitoringConfig.SPEC)).alertRules());
        Files.copy(RULE_TESTS, dir.resolve("alerts-test.yml"));
        ExternalTools.Result result = ExternalTools.run(dir, promtool, "test", "rules", "alerts-test.yml");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertRuleHasAUnitTest() throws Exception {
        String rules = new MonitoringConfig(Config.defaults(MonitoringConfig.SPEC)).alertRules();
        String tests = Files.readString(RULE_TESTS);
        var names = java.util.regex.Pattern.compile("- alert: (\\w+)").matcher(rules).results().map(m -> m.group(1)).toList();
        assertThat(names).hasSize(11);
        for (String name : names) {
            assertThat(tests).as("a promtool test of " + name).contains("alertname: " + name + "\n        exp_alerts:\n          - exp_labels");
        }
    }

    @Test
    void alertmanagerAcceptsItsConfigWithNoChannelAndWithEveryChannel() throws Exception {
        Path amtool = ExternalTools.require("amtool");
        Map<String, String> none = Map.of();
        Map<String, String> all = Map.of(
                MonitoringConfig.SLACK_WEBHOOK, "https://hooks.slack.com/services/T000/B000/XXXX",
                MonitoringConfig.SLACK_CHANNEL, "#eventflow-alerts",
                MonitoringConfig.DISCORD_WEBHOOK, "https://discord.com/api/webhooks/1/abc",
                MonitoringConfig.EMAIL_TO, "ops@example.com",
                MonitoringConfig.EMAIL_SMARTHOST, "smtp.example.com:587",
                MonitoringConfig.EMAIL_USERNAME, "alerts",
                MonitoringConfig.EMAIL_PASSWORD, "smtp-secret");
        for (Map<String, String> settings : java.util.List.of(none, all)) {
            Path file = dir.resolve("alertmanager-" + settings.size() + ".yml");
            Files.writeString(file, new MonitoringConfig(Config.of(MonitoringConfig.SPEC, settings)).alertmanager());
            ExternalTools.Result result = ExternalTools.run(dir, amtool, "check-config", file.getFileName().toString());
            assertThat(result.exit()).as(result.output()).isZero();
            assertThat(result.output()).contains("SUCCESS", "1 receivers");
        }
    }
}
