package dev.eventflow.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackConfigTest {

    @Test
    void shouldListenOnTheConventionalPortsByDefault() {
        LocalStackConfig config = LocalStackConfig.defaults();

        assertThat(config.config().getInt(LocalStackConfig.KAFKA_PORT)).isEqualTo(9092);
        assertThat(config.config().getInt(LocalStackConfig.KAFKA_CONTROLLER_PORT)).isEqualTo(9093);
        assertThat(config.config().getInt(LocalStackConfig.CONNECT_PORT)).isEqualTo(8083);
        assertThat(config.config().getInt(LocalStackConfig.POSTGRES_PORT)).isEqualTo(5432);
        assertThat(config.config().has(LocalStackConfig.KAFKA_BOOTSTRAP_SERVERS)).isFalse();
    }

    @Test
    void shouldRunThePlainBrokerByDefaultAndTheSecuredOneWhenAsked() {
        assertThat(LocalStackConfig.defaults().securedBroker()).isFalse();
        LocalStackConfig secured = LocalStackConfig.load(null, Map.of("EVENTFLOW_KAFKA_BROKER_SECURITY", "scram",
                "EVENTFLOW_SECURITY_ADMIN_PASSWORD", "admin-secret", "EVENTFLOW_SECURITY_READER_PASSWORD", "reader-secret"));
        assertThat(secured.securedBroker()).isTrue();
        assertThat(secured.config().toString()).doesNotContain("secret");
        assertThatThrownBy(() -> LocalStackConfig.load(null, Map.of("EVENTFLOW_KAFKA_BROKER_SECURITY", "sasl")).securedBroker())
                .hasMessage("'kafka.broker.security' must be none or scram, was 'sasl'");
    }

    @Test
    void shouldTakePortsExistingServicesAndTopicNamesFromTheEnvironment() {
        LocalStackConfig config = LocalStackConfig.load(null, Map.of(
                "EVENTFLOW_KAFKA_PORT", "19092",
                "EVENTFLOW_POSTGRES_URL", "jdbc:postgresql://db:5432/eventflow",
                "EVENTFLOW_TOPIC_EVENTS_CLEAN_NAME", "acme.events"));

        assertThat(config.config().getInt(LocalStackConfig.KAFKA_PORT)).isEqualTo(19092);
        assertThat(config.config().getString(LocalStackConfig.POSTGRES_URL)).isEqualTo("jdbc:postgresql://db:5432/eventflow");
        assertThat(config.topics().eventsClean().name()).isEqualTo("acme.events");
    }

    @Test
    void shouldRefuseAnUnknownSettingAtStartUp() {
        assertThatThrownBy(() -> LocalStackConfig.load(null, Map.of("EVENTFLOW_KAFKA_PROT", "1")))
                .hasMessage("Unknown configuration key in environment variable EVENTFLOW_KAFKA_PROT");
    }

    @Test
    void shouldAcceptTheSinkPasswordWhichTheEmbeddedConnectWorkerGivesTheSinkConnectors() {
        // the same .env serves `sink`, `init` and the stack: its Connect worker resolves ${env:EVENTFLOW_SINK_PASSWORD}
        LocalStackConfig config = LocalStackConfig.load(null, Map.of("EVENTFLOW_SINK_PASSWORD", "s3cret"));

        assertThat(config.config().getString(LocalStackConfig.SINK_PASSWORD)).isEqualTo("s3cret");
        assertThat(LocalStackConfig.defaults().config().has(LocalStackConfig.SINK_PASSWORD)).isFalse();
    }

    @Test
    void shouldSetEveryPortToZeroForFreePorts() {
        LocalStackConfig config = LocalStackConfig.defaults().withFreePorts();

        assertThat(config.config().withPrefix("")).containsEntry("kafka.port", "0").containsEntry("kafka.controller.port", "0")
                .containsEntry("connect.port", "0").containsEntry("postgres.port", "0");
    }
}
