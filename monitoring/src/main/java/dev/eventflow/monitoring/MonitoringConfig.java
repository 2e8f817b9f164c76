package dev.eventflow.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.eventflow.config.Config;
import dev.eventflow.config.ConfigSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The monitoring configuration as files: Prometheus' config and alert rules with their thresholds filled in
 * from settings, and Alertmanager's config with a receiver for each channel whose settings are given
 * (Slack and Discord webhooks, email over SMTP). Settings come in the usual layers; their environment
 * variables are {@code EVENTFLOW_ALERT_*} and {@code EVENTFLOW_MONITORING_*}.
 */
public final class MonitoringConfig {

    public static final String SLACK_WEBHOOK = "alert.slack.webhook-url";
    public static final String SLACK_CHANNEL = "alert.slack.channel";
    public static final String DISCORD_WEBHOOK = "alert.discord.webhook-url";
    public static final String EMAIL_TO = "alert.email.to";
    public static final String EMAIL_FROM = "alert.email.from";
    public static final String EMAIL_SMARTHOST = "alert.email.smarthost";
    public static final String EMAIL_USERNAME = "alert.email.username";
    public static final String EMAIL_PASSWORD = "alert.email.password";
    public static final String EMAIL_REQUIRE_TLS = "alert.email.require-tls";
    public static final String GROUP_WAIT = "alert.route.group-wait";
    public static final String GROUP_INTERVAL = "alert.route.group-interval";
    public static final String REPEAT_INTERVAL = "alert.route.repeat-interval";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z0-9.-]+)}");
    private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+(\\.[0-9]+)?");

    public static final ConfigSpec SPEC = ConfigSpec.builder()
            .define("monitoring.scrape-interval", "15s", "how often Prometheus scrapes every target")
            .define("monitoring.evaluation-interval", "15s", "how often Prometheus evaluates the alert rules")
            .define("monitoring.local.stream-processor", "127.0.0.1:8001", "--for local: the stream processor's metrics")
            .define("monitoring.local.sink-supervisor", "127.0.0.1:8002", "--for local: the sink supervisor's metrics")
            .define("monitoring.local.ingest-poller", "127.0.0.1:8003", "--for local: the poller's metrics")
            .define("monitoring.local.alertmanager", "127.0.0.1:9193", "--for local: Alertmanager (9093 is the local broker's controller)")
            .define("alert.dead-letters.per-second", "1", "dead letters per second (over the window) above which EventflowDeadLettersHigh fires")
            .define("alert.dead-letters.window", "5m", "window of that rate")
            .define("alert.dead-letters.for", "5m", "how long the rate must stay above it")
            .define("alert.lag.min-records", "1000", "lag below which EventflowConsumerLagGrowing never fires")
            .define("alert.lag.window", "10m", "window over which the lag's growth is measured")
            .define("alert.lag.for", "10m", "how long the lag must keep growing")
            .define("alert.task-failed.window", "5m", "a connector or task FAILED at any scrape within it fires EventflowSinkTaskFailed")
            .define("alert.task-failed.for", "0s", "how long before it fires")
            .define("alert.no-raw-data.max-seconds", "900", "a running poller that published nothing for longer fires EventflowNoRawData")
            .define("alert.processor.for", "2m", "how long the processor may be other than RUNNING before EventflowProcessorNotRunning")
            .define("alert.ingest-failed.window", "15m", "an ingest run FAILED within it fires EventflowIngestRunFailed")
            .define("alert.freshness.max-seconds", "300", "seconds from the producer's receipt to the processor above which EventflowFreshnessHigh fires")
            .define("alert.freshness.for", "5m", "how long freshness must stay above it")
            .define("alert.sink-unreachable.for", "2m", "how long the supervisor may fail to reach Connect or PostgreSQL")
            .define("alert.quality.min-score", "0.9", "overall data-quality score (0..1) of a provider's latest window below which "
                    + "EventflowDataQualityLow fires")
            .define("alert.quality.for", "15m", "how long the score must stay below it (a window's first versions count few records)")
            .optional(SLACK_WEBHOOK, "Slack incoming-webhook URL: alerts go to Slack when set (EVENTFLOW_ALERT_SLACK_WEBHOOK_URL; a secret)")
            .optional(SLACK_CHANNEL, "Slack channel, when not the webhook's own")
            .optional(DISCORD_WEBHOOK, "Discord webhook URL: alerts go to Discord when set (EVENTFLOW_ALERT_DISCORD_WEBHOOK_URL; a secret)")
            .optional(EMAIL_TO, "addresses that get alerts by email, comma-separated: email is on when set with alert.email.smarthost")
            .define(EMAIL_FROM, "eventflow-alerts@localhost", "sender of alert emails")
            .optional(EMAIL_SMARTHOST, "SMTP server, host:port")
            .optional(EMAIL_USERNAME, "SMTP user, when the server asks for one")
            .optional(EMAIL_PASSWORD, "its password (EVENTFLOW_ALERT_EMAIL_PASSWORD; a secret)")
            .define(EMAIL_REQUIRE_TLS, "true", "whether the SMTP connection must use STARTTLS")
            .define(GROUP_WAIT, "30s", "how long Alertmanager waits to group the first alerts of a group")
            .define(GROUP_INTERVAL, "5m", "how long before it sends a group's new alerts")
            .define(REPEAT_INTERVAL, "4h", "how long before it repeats a notification that is still firing")
            .build();

    /** Where Prometheus runs: {@code compose} (service names, DNS discovery of replicas) or {@code local}. */
    public enum Target { COMPOSE, LOCAL }

    private final Config config;

    public MonitoringConfig(Config config) {
        this.config = config;
        for (String key : SPEC.keys()) {
            String value = config.getString(key, null);
            if (value == null) {
                continue;
            }
            if ((key.endsWith(".window") || key.endsWith(".for") || key.endsWith("-interval") || key.endsWith("-wait"))
                    && !DURATION.matcher(value).matches()) {
                throw new IllegalArgumentException(key + " must be a Prometheus duration such as 30s, 5m or 1h, was '" + value + "'");
            }
            if ((key.endsWith("per-second") || key.endsWith("-records") || key.endsWith("-seconds") || key.endsWith("-score"))
                    && !NUMBER.matcher(value).matches()) {
                throw new IllegalArgumentException(key + " must be a number, was '" + value + "'");
            }
        }
        if (config.has(EMAIL_TO) != config.has(EMAIL_SMARTHOST)) {
            throw new IllegalArgumentException("Email alerts need both " + EMAIL_TO + " and " + EMAIL_SMARTHOST
                    + " (EVENTFLOW_ALERT_EMAIL_TO, EVENTFLOW_ALERT_EMAIL_SMARTHOST)");
        }
    }

    /** Prometheus' configuration for {@code target}. */
    public String prometheus(Target target) {
        return fill(resource(target == Target.COMPOSE ? "prometheus/prometheus-compose.yml" : "prometheus/prometheus-local.yml"));
    }

    /** The alert rules, thresholds filled in. */
    public String alertRules() {
        return fill(resource("prometheus/alerts.yml"));
    }

    /** The channels alerts go to, by name, for what the render prints (never their URLs or passwords). */
    public List<String> channels() {
        List<String> channels = new ArrayList<>();
        if (config.has(SLACK_WEBHOOK)) {
            channels.add("slack");
        }
        if (config.has(DISCORD_WEBHOOK)) {
            channels.add("discord");
        }
        if (config.has(EMAIL_TO)) {
            channels.add("email");
        }
        return channels;
    }

    /** Alertmanager's configuration: one receiver with every channel configured, grouped so that a channel is not flooded. */
    public String alertmanager() {
        Map<String, Object> receiver = new LinkedHashMap<>();
        receiver.put("name", "eventflow");
        String title = "[{{ .Status | toUpper }}{{ if eq .Status \"firing\" }}:{{ .Alerts.Firing | len }}{{ end }}] "
                + "{{ .CommonLabels.alertname }}";
        String text = "{{ range .Alerts }}{{ .Annotations.summary }}: {{ .Annotations.description }}\n{{ end }}";
        if (config.has(SLACK_WEBHOOK)) {
            Map<String, Object> slack = new LinkedHashMap<>();
            slack.put("api_url", config.getString(SLACK_WEBHOOK));
            if (config.has(SLACK_CHANNEL)) {
                slack.put("channel", config.getString(SLACK_CHANNEL));
            }
            slack.put("send_resolved", true);
            slack.put("title", title);
            slack.put("text", text);
            receiver.put("slack_configs", List.of(slack));
        }
        if (config.has(DISCORD_WEBHOOK)) {
            Map<String, Object> discord = new LinkedHashMap<>();
            discord.put("webhook_url", config.getString(DISCORD_WEBHOOK));
            discord.put("send_resolved", true);
            discord.put("title", title);
            discord.put("message", text);
            receiver.put("discord_configs", List.of(discord));
        }
        if (config.has(EMAIL_TO)) {
            Map<String, Object> email = new LinkedHashMap<>();
            email.put("to", config.getString(EMAIL_TO));
            email.put("from", config.getString(EMAIL_FROM));
            email.put("smarthost", config.getString(EMAIL_SMARTHOST));
            if (config.has(EMAIL_USERNAME)) {
                email.put("auth_username", config.getString(EMAIL_USERNAME));
                email.put("auth_password", config.getString(EMAIL_PASSWORD, ""));
            }
            email.put("require_tls", config.getBoolean(EMAIL_REQUIRE_TLS));
            email.put("send_resolved", true);
            email.put("headers", Map.of("Subject", title));
            receiver.put("email_configs", List.of(email));
        }
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("receiver", "eventflow");
        route.put("group_by", List.of("alertname", "connector", "group", "provider"));
        route.put("group_wait", config.getString(GROUP_WAIT));
        route.put("group_interval", config.getString(GROUP_INTERVAL));
        route.put("repeat_interval", config.getString(REPEAT_INTERVAL));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("route", route);
        root.put("receivers", List.of(receiver));
        try {
            return "# Written by eventflow monitoring render from the alert.* settings; holds secrets: keep it private.\n"
                    + new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)).writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String fill(String template) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String key = matcher.group(1);
            if (!SPEC.keys().contains(key)) {
                throw new IllegalStateException("The template names an unknown setting: " + key);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(config.getString(key)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String resource(String path) {
        try (InputStream in = MonitoringConfig.class.getResourceAsStream("/monitoring/" + path)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource /monitoring/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
