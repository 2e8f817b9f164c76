package dev.eventflow.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void shouldNameThePortTheServiceAndTheSettingWhenAPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.HOST))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> Ports.resolve(port, "the Kafka broker", "kafka.port"))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageStartingWith("Port " + port + " requested for the Kafka broker is already in use on 127.0.0.1.")
                    .hasMessageContaining("(kafka.port, environment variable EVENTFLOW_KAFKA_PORT; 0 picks a free one)");
        }
    }

    @Test
    void shouldPickAFreePortForZero() {
        int port = Ports.resolve(0, "PostgreSQL", "postgres.port");

        assertThat(port).isPositive();
        assertThat(Ports.isFree(port)).isTrue();
    }

    @Test
    void shouldRefuseAPortOutOfRange() {
        assertThatThrownBy(() -> Ports.resolve(70_000, "PostgreSQL", "postgres.port"))
                .hasMessage("postgres.port must be between 0 and 65535, was 70000");
    }
}
