package dev.eventflow.testing;

/** A {@link KafkaCluster} this process started and must stop. */
interface RunningKafkaCluster extends KafkaCluster, AutoCloseable {

    @Override
    void close();
}
