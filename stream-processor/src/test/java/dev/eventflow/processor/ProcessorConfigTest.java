package dev.eventflow.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualitySettings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ProcessorConfigTest {

    @Test
    void shouldRunWithExactlyOnceIdlingAndExplicitNamesByDefault() {
        Properties props = ProcessorConfig.defaults().streamsProperties();

        assertThat(props).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "eventflow-stream-processor")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2")
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "100")
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100")
                .containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true")
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "eventflow.dlq");
    }

    @Test
    void shouldLetTheEnvironmentOverrideAndPassStreamsSettingsThrough() {
        ProcessorConfig config = ProcessorConfig.load(null, Map.of(
                "EVENTFLOW_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "EVENTFLOW_KAFKA_STREAMS_NUM_STREAM_THREADS", "2",
                "EVENTFLOW_TOPIC_DLQ_NAME", "acme.dlq"));

        assertThat(config.streamsProperties()).containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092")
                .containsEntry("num.stream.threads", "2")
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "acme.dlq");
    }

    @Test
    void shouldGiveEveryStreamsClientTheProcessorsScramLogin() {
        ProcessorConfig config = ProcessorConfig.load(null, Map.of("EVENTFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "EVENTFLOW_KAFKA_SASL_USERNAME", "eventflow-processor", "EVENTFLOW_KAFKA_SASL_PASSWORD", "processor-secret"));

        Properties props = config.streamsProperties();

        assertThat(props).containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        // Kafka Streams hands these to its consumers, producers and admin client alike
        StreamsConfig streams = new StreamsConfig(props);
        assertThat(streams.getAdminConfigs("c").get("sasl.jaas.config").toString()).isEqualTo("[hidden]");
        assertThat(((org.apache.kafka.common.config.types.Password) streams.getMainConsumerConfigs("g", "c", 0)
                .get("sasl.jaas.config")).value()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"eventflow-processor\" password=\"processor-secret\";");
        assertThat(config.config().toString()).doesNotContain("processor-secret");
        assertThatThrownBy(() -> ProcessorConfig.load(null, Map.of("EVENTFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "EVENTFLOW_KAFKA_SASL_USERNAME", "eventflow-processor", "EVENTFLOW_KAFKA_SASL_PASSWORD", "processor-secret",
                "EVENTFLOW_KAFKA_STREAMS_SASL_MECHANISM", "PLAIN")))
                .hasMessage("'kafka.streams.sasl.mechanism' conflicts with the kafka.security.protocol / kafka.sasl.* / "
                        + "kafka.ssl.* settings: set it one way only");
    }

    @Test
    void shouldRefuseUnknownAndConflictingSettingsNamingThem() {
        assertThatThrownBy(() -> ProcessorConfig.load(null, Map.of("EVENTFLOW_DEDUP_RETENTIN", "P1D")))
                .hasMessage("Unknown configuration key in environment variable EVENTFLOW_DEDUP_RETENTIN");
        assertThatThrownBy(() -> ProcessorConfig.of(Map.of("kafka.streams.application.id", "x")))
                .hasMessage("Set application.id with 'application.id', not 'kafka.streams.application.id'");
        assertThatThrownBy(() -> ProcessorConfig.of(Map.of("processing.guarantee", "exactly_once")))
                .hasMessage("processing.guarantee must be exactly_once_v2 or at_least_once, was 'exactly_once'");
        assertThatThrownBy(() -> ProcessorConfig.of(Map.of("max.task.idle", "0")))
                .hasMessage("max.task.idle must be above zero: the as-of join relies on records taken in time order");
        assertThatThrownBy(() -> ProcessorConfig.of(Map.of("validation.payout.min", "1.2")))
                .hasMessage("minimum payout 1.2 is above the maximum 1.05");
    }

    @Test
    void shouldReadFootballDataOrgCompetitionMapOverridesFromTheEnvironment() {
        ProcessorConfig config = ProcessorConfig.load(null, Map.of("EVENTFLOW_FOOTBALL_DATA_ORG_COMPETITION_MAP", "CL=CL,PL="));

        var mapper = (dev.eventflow.processor.provider.FootballDataOrgMapper) config.providers().mapper("football-data-org").orElseThrow();
        assertThat(mapper.competitions()).containsEntry("CL", "CL").containsEntry("BL1", "D1").doesNotContainKey("PL");
        assertThat(config.providers().providers()).containsExactlyInAnyOrder("football-data", "synthetic", "the-odds-api", "football-data-org");
        assertThatThrownBy(() -> ProcessorConfig.load(null, Map.of("EVENTFLOW_FOOTBALL_DATA_ORG_COMPETITION_MAP", "CL")))
                .hasMessage("football-data-org.competition-map: 'CL' is not CODE=COMPETITION (for example CL=CL or PL=E0)");
    }

    @Test
    void shouldReadTheQualitySettingsWithTheirDefaultsAndFromTheEnvironment() {
        QualitySettings defaults = ProcessorConfig.defaults().quality();
        assertThat(defaults.window()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.grace()).isEqualTo(Duration.ofMinutes(15));
        assertThat(defaults.pollingProviders()).containsExactlyInAnyOrder("the-odds-api", "football-data-org");
        assertThat(defaults.weights()).containsOnlyKeys(QualityDimension.values()).allSatisfy((dimension, weight) -> assertThat(weight).isEqualTo(1.0));

        QualitySettings settings = ProcessorConfig.load(null, Map.of(
                "EVENTFLOW_QUALITY_WINDOW", "P1D",
                "EVENTFLOW_QUALITY_TIMELINESS_POLL_GAP_MAX", "PT2M",
                "EVENTFLOW_QUALITY_TIMELINESS_POLLING_PROVIDERS", " synthetic , the-odds-api ",
                "EVENTFLOW_QUALITY_WEIGHT_TIMELINESS", "0")).quality();

        assertThat(settings.window()).isEqualTo(Duration.ofDays(1));
        assertThat(settings.pollGapMax()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.pollingProviders()).containsExactlyInAnyOrder("synthetic", "the-odds-api");
        assertThat(settings.weights()).containsEntry(QualityDimension.TIMELINESS, 0.0).containsEntry(QualityDimension.VALIDITY, 1.0);
        assertThat(ProcessorConfig.of(Map.of("quality.timeliness.polling-providers", "")).quality().pollingProviders()).isEmpty();
    }

    @Test
    void shouldRefuseQualitySettingsThatCannotScore() {
        assertThatThrownBy(() -> ProcessorConfig.of(Map.of("quality.window", "PT0S")))
                .hasMessage("quality.window must be above zero, was PT0S");
        assertThatThrownBy(() -> ProcessorConfig.of(Map.of("quality.grace", "-PT1M")))
                .hasMessage("quality.grace must not be negative, was PT-1M");
        assertThatThrownBy(() -> ProcessorConfig.of(Map.of("quality.weight.consistency", "-1")))
                .hasMessage("quality.weight.consistency must be a number of 0 or more, was -1.0");
        assertThatThrownBy(() -> ProcessorConfig.of(Map.of("quality.plausibility.payout.min", "1.1")))
                .hasMessage("quality.plausibility.payout.min (1.1) is above quality.plausibility.payout.max (1.0)");
        assertThatThrownBy(() -> ProcessorConfig.of(Map.of("quality.partitions", "0")))
                .hasMessage("quality.partitions must be 1 or more, was 0");
        assertThat(ProcessorConfig.defaults().qualityPartitions()).isEqualTo(1);
        assertThat(ProcessorConfig.load(null, Map.of("EVENTFLOW_QUALITY_PARTITIONS", "3")).qualityPartitions()).isEqualTo(3);
    }
}
