package dev.eventflow.processor.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.processor.ProcessorConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessorResetTest {

    @Test
    void shouldGiveTheResetterTheClientSettingsOfTheApplicationAndNoStreamsOnes() {
        ProcessorConfig config = ProcessorConfig.load(null, Map.of(
                "EVENTFLOW_KAFKA_STREAMS_SECURITY_PROTOCOL", "SASL_SSL",
                "EVENTFLOW_KAFKA_STREAMS_SASL_MECHANISM", "PLAIN",
                "EVENTFLOW_KAFKA_STREAMS_ADMIN_REQUEST_TIMEOUT_MS", "5000",
                "EVENTFLOW_KAFKA_STREAMS_NUM_STREAM_THREADS", "2"));

        Map<String, String> client = ProcessorReset.clientProperties(config.streamsProperties());

        assertThat(client).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("request.timeout.ms", "5000")
                .doesNotContainKeys("bootstrap.servers", "client.id", "num.stream.threads", "processing.guarantee",
                        "application.id", "state.dir");
    }

    @Test
    void shouldPassNothingForThePlainLocalStack() {
        assertThat(ProcessorReset.clientProperties(ProcessorConfig.defaults().streamsProperties())).isEmpty();
    }

    @Test
    void shouldCountLiveMembersInOneLine() {
        assertThat(ProcessorReset.liveMembersMessage("eventflow-stream-processor", 1))
                .isEqualTo("the application eventflow-stream-processor still has 1 live member: stop every instance first");
        assertThat(ProcessorReset.liveMembersMessage("eventflow-stream-processor", 3))
                .isEqualTo("the application eventflow-stream-processor still has 3 live members: stop every instance first");
    }
}
