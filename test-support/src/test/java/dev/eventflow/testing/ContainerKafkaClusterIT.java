package dev.eventflow.testing;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The cluster contract on an {@code apache/kafka} container; skipped where no Docker engine runs. */
class ContainerKafkaClusterIT extends KafkaClusterContract {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.testcontainers();

    @Override
    KafkaCluster cluster() {
        return KAFKA.cluster();
    }
}
