package dev.eventflow.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class one running {@link KafkaCluster}, started before the first test and stopped
 * after the last. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaClusterExtension KAFKA = KafkaClusterExtension.embedded();
 * }</pre>
 *
 * The Testcontainers variant skips every test of the class, with the reason, when no Docker
 * engine is reachable.
 */
public final class KafkaClusterExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    private final Supplier<? extends RunningKafkaCluster> factory;
    private final boolean needsDocker;
    private RunningKafkaCluster cluster;

    private KafkaClusterExtension(Supplier<? extends RunningKafkaCluster> factory, boolean needsDocker) {
        this.factory = factory;
        this.needsDocker = needsDocker;
    }

    /** The embedded KRaft broker; always available. */
    public static KafkaClusterExtension embedded() {
        return new KafkaClusterExtension(EmbeddedKafkaCluster::start, false);
    }

    /** A Testcontainers {@code apache/kafka} broker; skips the class without Docker. */
    public static KafkaClusterExtension testcontainers() {
        return new KafkaClusterExtension(ContainerKafkaCluster::start, true);
    }

    /** The running cluster; only valid inside tests of the class. */
    public KafkaCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("The Kafka cluster is not running: register the extension as a static field");
        }
        return cluster;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (needsDocker && !Docker.isAvailable()) {
            return ConditionEvaluationResult.disabled(Docker.unavailableReason());
        }
        return ConditionEvaluationResult.enabled("the Kafka cluster can run here");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = factory.get();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
