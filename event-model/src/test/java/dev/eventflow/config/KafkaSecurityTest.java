package dev.eventflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityTest {

    static final ConfigSpec SPEC = KafkaSecurity.configSpec().and(ConfigSpec.builder()
            .prefix("kafka.client.", "Kafka client settings").build());
    static final String PASSWORD = "pa\"ss\\word, with ; and spaces ";

    @TempDir
    Path dir;

    @Test
    void shouldGiveNoClientSettingsForThePlaintextDefault() {
        KafkaSecurity security = KafkaSecurity.from(Config.load(SPEC, null, Map.of()));

        assertThat(security.clientConfig()).isEmpty();
        assertThat(security.authenticates()).isFalse();
        assertThat(security).hasToString("KafkaSecurity[PLAINTEXT]");
    }

    @Test
    void shouldLogInWithScramAsTheUserWhosePasswordComesFromTheEnvironment() {
        // Given the protocol, the user and the password as EVENTFLOW_* variables
        Config config = Config.load(SPEC, null, Map.of("EVENTFLOW_KAFKA_SECURITY_PROTOCOL", "sasl_plaintext",
                "EVENTFLOW_KAFKA_SASL_USERNAME", "eventflow-ingest", "EVENTFLOW_KAFKA_SASL_PASSWORD", PASSWORD));

        // When
        Map<String, Object> client = KafkaSecurity.from(config).clientConfig();

        // Then the JAAS line quotes the password with its quote and backslash escaped, as a hidden Password
        assertThat(client).containsOnlyKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config")
                .containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        Password jaas = (Password) client.get("sasl.jaas.config");
        assertThat(jaas.value()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"eventflow-ingest\" password=\"pa\\\"ss\\\\word, with ; and spaces \";");
        assertThat(client.toString()).doesNotContain("word");
        // and Kafka's own parser reads it back to the same password
        AdminClientConfig parsed = new AdminClientConfig(Map.of("bootstrap.servers", "127.0.0.1:1", "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", jaas));
        Map<String, ?> options = org.apache.kafka.common.security.JaasContext.loadClientContext(parsed.values())
                .configurationEntries().get(0).getOptions();
        assertThat(options.get("password")).isEqualTo(PASSWORD);
        assertThat(options.get("username")).isEqualTo("eventflow-ingest");
    }

    @Test
    void shouldReadThePasswordFromAFileWithoutItsLastLineBreak() throws IOException {
        Path file = dir.resolve("password");
        Files.writeString(file, PASSWORD + "\n", StandardCharsets.UTF_8);
        Config config = Config.load(SPEC, null, Map.of("EVENTFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "EVENTFLOW_KAFKA_SASL_USERNAME", "eventflow-reader", "EVENTFLOW_KAFKA_SASL_PASSWORD_FILE", file.toString(),
                "EVENTFLOW_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12"));

        KafkaSecurity security = KafkaSecurity.from(config);

        assertThat(security.clientConfigStrings()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"eventflow-reader\" password=\"pa\\\"ss\\\\word, with ; and spaces \";");
        assertThat(security).hasToString("KafkaSecurity[SASL_SSL, SCRAM-SHA-512 as eventflow-reader, trust store /etc/kafka/ca.p12]");
    }

    @Test
    void shouldRefuseSaslWithoutAPasswordNamingTheVariablesThatSetIt() {
        Config config = Config.load(SPEC, null, Map.of("EVENTFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "EVENTFLOW_KAFKA_SASL_USERNAME", "eventflow-ingest"));

        assertThatThrownBy(() -> KafkaSecurity.from(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kafka.security.protocol=SASL_PLAINTEXT needs the password of eventflow-ingest: set "
                        + "EVENTFLOW_KAFKA_SASL_PASSWORD or 'kafka.sasl.password.file'");
    }

    @Test
    void shouldRefuseAPasswordSetBothAsValueAndFile() {
        Config config = Config.load(SPEC, null, Map.of("EVENTFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "EVENTFLOW_KAFKA_SASL_USERNAME", "u", "EVENTFLOW_KAFKA_SASL_PASSWORD", "secret-value",
                "EVENTFLOW_KAFKA_SASL_PASSWORD_FILE", "/run/secrets/kafka"));

        assertThatThrownBy(() -> KafkaSecurity.from(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Set either 'kafka.sasl.password' or 'kafka.sasl.password.file', not both");
    }

    @Test
    void shouldRefuseAnUnreadablePasswordFileWithoutShowingAnyContent() {
        Config config = Config.load(SPEC, null, Map.of("EVENTFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "EVENTFLOW_KAFKA_SASL_USERNAME", "u", "EVENTFLOW_KAFKA_SASL_PASSWORD_FILE", dir.resolve("absent").toString()));

        assertThatThrownBy(() -> KafkaSecurity.from(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot read the secret file " + dir.resolve("absent") + " ('kafka.sasl.password.file'): NoSuchFileException");
    }

    @Test
    void shouldRefuseTheSameSettingGivenAsPassThroughToo() {
        KafkaSecurity security = KafkaSecurity.scram("eventflow-ingest", "secret-value");

        assertThatThrownBy(() -> security.merge(Map.of("sasl.jaas.config", "x"), "kafka.client."))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'kafka.client.sasl.jaas.config' conflicts with the kafka.security.protocol / kafka.sasl.* / "
                        + "kafka.ssl.* settings: set it one way only");
        assertThat(KafkaSecurity.plaintext().merge(Map.of("security.protocol", "SSL"), "kafka.client."))
                .isEqualTo(Map.of("security.protocol", "SSL"));
    }

    @Test
    void shouldRefuseAnUnknownProtocol() {
        Config config = Config.load(SPEC, null, Map.of("EVENTFLOW_KAFKA_SECURITY_PROTOCOL", "SASL"));

        assertThatThrownBy(() -> KafkaSecurity.from(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'kafka.security.protocol' must be one of PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, was 'SASL'");
    }
}
