package dev.eventflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

    static final ConfigSpec SPEC = ConfigSpec.builder()
            .define("kafka.port", "9092", "broker port")
            .define("commit.interval", "PT1S", "commit interval")
            .optional("postgres.url", "existing PostgreSQL")
            .define("topic.events-raw.name", "provider.events.raw", "raw events")
            .prefix("kafka.client.", "Kafka client settings")
            .build();

    @TempDir
    Path dir;

    @Test
    void shouldLayerDefaultsThenFileThenEnvironment() throws IOException {
        Path file = write("kafka.port=9093\ncommit.interval=PT5S\n");

        Config config = Config.load(SPEC, file, Map.of("EVENTFLOW_KAFKA_PORT", "9094", "PATH", "/bin"));

        assertThat(config.getInt("kafka.port")).isEqualTo(9094);
        assertThat(config.getDuration("commit.interval")).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.getString("topic.events-raw.name")).isEqualTo("provider.events.raw");
        assertThat(config.has("postgres.url")).isFalse();
    }

    @Test
    void shouldMapEnvironmentNamesWithDashesAndPrefixes() {
        Config config = Config.load(SPEC, null, Map.of(
                "EVENTFLOW_TOPIC_EVENTS_RAW_NAME", "acme.raw",
                "EVENTFLOW_KAFKA_CLIENT_MAX_POLL_RECORDS", "1000"));

        assertThat(config.getString("topic.events-raw.name")).isEqualTo("acme.raw");
        assertThat(config.withPrefix("kafka.client.")).isEqualTo(Map.of("max.poll.records", "1000"));
    }

    @Test
    void shouldRefuseAnUnknownKeyInTheFileNamingIt() throws IOException {
        Path file = write("kafka.prot=9093\n");

        assertThatThrownBy(() -> Config.load(SPEC, file, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown configuration key 'kafka.prot' in " + file);
    }

    @Test
    void shouldRefuseAnUnknownEnvironmentVariableNamingIt() {
        assertThatThrownBy(() -> Config.load(SPEC, null, Map.of("EVENTFLOW_KAFKA_PROT", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown configuration key in environment variable EVENTFLOW_KAFKA_PROT");
    }

    @Test
    void shouldExplainAValueOfTheWrongType() {
        Config config = Config.of(SPEC, Map.of("kafka.port", "ninety"));

        assertThatThrownBy(() -> config.getInt("kafka.port"))
                .hasMessage("Configuration key 'kafka.port' must be an integer, was 'ninety'");
    }

    @Test
    void shouldRefuseConflictingDefaultsWhenSpecsAreCombined() {
        ConfigSpec other = ConfigSpec.builder().define("kafka.port", "19092", "other").build();

        assertThatThrownBy(() -> SPEC.and(other))
                .hasMessage("Conflicting defaults for kafka.port: '9092' and '19092'");
    }

    @Test
    void shouldNotPrintValuesWhichMayBeSecrets() {
        Config config = Config.of(SPEC, Map.of("postgres.url", "jdbc:postgresql://h/db?password=hunter2"));

        assertThat(config.toString()).doesNotContain("hunter2");
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("eventflow.properties");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
