package dev.eventflow.testing;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The cluster contract on the embedded KRaft broker; runs everywhere. */
class EmbeddedKafkaClusterIT extends KafkaClusterContract {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.embedded();

    @Override
    KafkaCluster cluster() {
        return KAFKA.cluster();
    }
}
