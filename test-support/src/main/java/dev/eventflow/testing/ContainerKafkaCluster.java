package dev.eventflow.testing;

import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicCreator;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link KafkaCluster} in a Testcontainers {@code apache/kafka} container. Needs a Docker
 * engine; check {@link Docker#isAvailable()} first. The image is the system property
 * {@code kafka.image} (set by the build to the project's Kafka version).
 */
public final class ContainerKafkaCluster implements RunningKafkaCluster {

    public static final String IMAGE_PROPERTY = "kafka.image";
    public static final String DEFAULT_IMAGE = "apache/kafka:4.3.1";

    private final KafkaContainer container;

    private ContainerKafkaCluster(KafkaContainer container) {
        this.container = container;
    }

    /** Starts the container and creates the contract's topics in it. */
    public static ContainerKafkaCluster start() {
        KafkaContainer container = new KafkaContainer(
                DockerImageName.parse(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE)));
        container.start();
        ContainerKafkaCluster cluster = new ContainerKafkaCluster(container);
        try {
            try (Admin admin = Admin.create(cluster.clientConfig())) {
                TopicCreator.createMissing(admin, EventflowTopics.defaults().all(), Optional.of((short) 1));
            }
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
        return cluster;
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String kind() {
        return "testcontainers";
    }

    @Override
    public void close() {
        container.stop();
    }
}
