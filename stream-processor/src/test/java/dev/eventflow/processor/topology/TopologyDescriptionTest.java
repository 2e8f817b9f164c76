package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.processor.ProcessorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * Pins the names of every processor, store and repartition topic. A rename here would orphan the
 * state and the internal topics of every running deployment: change the expected file only on purpose.
 */
class TopologyDescriptionTest {

    @Test
    void shouldKeepTheNamesOfEveryProcessorStoreAndRepartitionTopic() throws IOException {
        Topology topology = EventflowTopology.buildTopology(ProcessorConfig.defaults());

        assertThat(topology.describe().toString().strip()).isEqualTo(expected().strip());
    }

    @Test
    void shouldStartWithExplicitNamingEnforced() {
        Properties props = ProcessorConfig.defaults().streamsProperties();
        assertThat(props.getProperty(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG)).isEqualTo("true");
        props.put(StreamsConfig.STATE_DIR_CONFIG, FootballDataTopologyTest.tempDir().toString());

        // The driver builds the tasks and would refuse a topology with a generated internal name.
        try (TopologyTestDriver driver = new TopologyTestDriver(EventflowTopology.buildTopology(ProcessorConfig.defaults()), props)) {
            assertThat(driver.getAllStateStores()).containsOnlyKeys(EventflowTopology.ENTITIES_LATEST_STORE,
                    EventflowTopology.EVENT_STATE_STORE, EventflowTopology.ENTITY_ALIASES_STORE,
                    EventflowTopology.RAW_QUALITY_STORE, EventflowTopology.EVENT_QUALITY_STORE,
                    EventflowTopology.QUALITY_WINDOWS_STORE, EventflowTopology.QUALITY_PROVIDERS_STORE,
                    EventflowTopology.QUALITY_RUNS_STORE, EventflowTopology.INGEST_RUNS_STORE);
        }
    }

    private static String expected() throws IOException {
        try (InputStream in = TopologyDescriptionTest.class.getResourceAsStream("/topology-description.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
