package dev.eventflow.testing;

import dev.eventflow.localstack.LocalStack;
import dev.eventflow.localstack.LocalStackConfig;

/** A {@link KafkaCluster} backed by the local stack's embedded KRaft broker (no Connect, no PostgreSQL). */
public final class EmbeddedKafkaCluster implements RunningKafkaCluster {

    private final LocalStack stack;

    private EmbeddedKafkaCluster(LocalStack stack) {
        this.stack = stack;
    }

    /** Starts a broker on free ports and creates the contract's topics. */
    public static EmbeddedKafkaCluster start() {
        LocalStackConfig config = LocalStackConfig.defaults().withFreePorts()
                .with(LocalStackConfig.CONNECT_ENABLED, "false")
                .with(LocalStackConfig.POSTGRES_ENABLED, "false");
        return new EmbeddedKafkaCluster(LocalStack.start(config));
    }

    @Override
    public String bootstrapServers() {
        return stack.bootstrapServers();
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public void close() {
        stack.close();
    }
}
