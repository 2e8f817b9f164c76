package dev.eventflow.model.topics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the contract's topics that do not exist yet; existing topics are left as they are
 * (a partition count that differs from the definition is logged, never changed). {@link #check}
 * compares the topics on a cluster with their definitions.
 */
public final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);
    private static final long TIMEOUT_SECONDS = 60;

    private TopicCreator() {
    }

    /**
     * Creates the missing topics.
     *
     * @param replicationFactor replication factor of new topics; empty for the broker's default
     * @return the names of the topics this call created
     */
    public static List<String> createMissing(Admin admin, List<TopicDefinition<?, ?>> topics,
                                             Optional<Short> replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> requests = new ArrayList<>();
            for (TopicDefinition<?, ?> topic : topics) {
                if (!existing.contains(topic.name())) {
                    requests.add(topic.newTopic(replicationFactor));
                }
            }
            List<String> created = new ArrayList<>();
            if (!requests.isEmpty()) {
                CreateTopicsResult result = admin.createTopics(requests);
                for (Map.Entry<String, KafkaFuture<Void>> entry : result.values().entrySet()) {
                    try {
                        entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                        created.add(entry.getKey());
                        LOG.info("Created topic {}", entry.getKey());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw new IllegalStateException("Cannot create topic " + entry.getKey() + ": "
                                    + e.getCause().getMessage(), e.getCause());
                        }
                    }
                }
            }
            if (!created.isEmpty()) {
                awaitPartitionsOpen(admin, created);
            }
            warnOnPartitionMismatch(admin, topics);
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create topics: " + e.getMessage(), e);
        }
    }

    /**
     * Compares the topics on the cluster with their definitions: every topic must exist, with the
     * defined partition count, every topic config of its definition (cleanup policy, retention ...)
     * and, when {@code replicationFactor} is given, at least that many replicas per partition.
     *
     * @return one line per difference, naming the topic; empty when the cluster matches the contract
     */
    public static List<String> check(Admin admin, List<TopicDefinition<?, ?>> topics, Optional<Short> replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> problems = new ArrayList<>();
            List<TopicDefinition<?, ?>> present = new ArrayList<>();
            for (TopicDefinition<?, ?> topic : topics) {
                if (existing.contains(topic.name())) {
                    present.add(topic);
                } else {
                    problems.add(topic.name() + ": missing (topic " + topic.id() + " of the contract)");
                }
            }
            if (present.isEmpty()) {
                return problems;
            }
            Map<String, TopicDescription> descriptions = admin
                    .describeTopics(present.stream().map(TopicDefinition::name).toList())
                    .allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<ConfigResource> resources = present.stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic.name())).toList();
            Map<ConfigResource, org.apache.kafka.clients.admin.Config> configs = admin.describeConfigs(resources)
                    .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            for (TopicDefinition<?, ?> topic : present) {
                TopicDescription description = descriptions.get(topic.name());
                int partitions = description.partitions().size();
                if (partitions != topic.partitions()) {
                    problems.add(topic.name() + ": " + partitions + " partitions, the contract asks for " + topic.partitions());
                }
                if (replicationFactor.isPresent()) {
                    int replicas = description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
                    if (replicas < replicationFactor.get()) {
                        problems.add(topic.name() + ": replication factor " + replicas + ", asked for " + replicationFactor.get());
                    }
                }
                org.apache.kafka.clients.admin.Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
                topic.configs().forEach((key, wanted) -> {
                    ConfigEntry entry = actual.get(key);
                    String value = entry == null ? null : entry.value();
                    if (!wanted.equals(value)) {
                        problems.add(topic.name() + ": " + key + "=" + value + ", the contract asks for " + wanted);
                    }
                });
            }
            return problems;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot check topics: " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    /**
     * Waits until every partition of {@code topicNames} has a leader and its log is open on the brokers.
     * A topic's creation completes when the controller has recorded it; the brokers open the logs a
     * moment later. An idempotent producer that writes in between gets NOT_LEADER_OR_FOLLOWER for its
     * first batch and, seen on Kafka 4.3.1, may then loop on OUT_OF_ORDER_SEQUENCE_NUMBER until its
     * delivery timeout: so nothing is handed out before the logs exist.
     */
    static void awaitPartitionsOpen(Admin admin, List<String> topicNames)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        Set<TopicPartition> missing = Set.of();
        while (System.nanoTime() < deadline) {
            try {
                missing = notYetOpen(admin, topicNames);
                if (missing.isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                // The broker may not know a topic the controller has just created: ask again.
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
        throw new TimeoutException("Partitions not open " + TIMEOUT_SECONDS + " s after their creation: " + missing);
    }

    /**
     * Creates one topic outside the contract (the sink's dead-letter topic) unless it exists, and returns once the broker
     * lists it ({@link #awaitListed}): Kafka Connect's tasks create a dead-letter topic they do not see, which a secured
     * Connect principal may not, and an unsecured one logs as an ERROR.
     *
     * @return whether this call created it
     */
    public static boolean createIfMissing(Admin admin, NewTopic topic) {
        try {
            boolean created = true;
            try {
                admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Cannot create the topic " + topic.name() + ": " + e.getCause().getMessage(), e);
                }
                created = false;
            }
            awaitListed(admin, List.of(topic.name()));
            return created;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot list the topics to find " + topic.name() + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Creating the topic " + topic.name() + " timed out: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating " + topic.name(), e);
        }
    }

    /**
     * Waits until the broker lists every topic of {@code topicNames}. A topic's creation completes when the
     * controller has recorded it; the broker that answers a listing learns of it a moment later. Kafka Connect's
     * tasks list the topics when they start and try to create their dead-letter topic when they do not see it,
     * which a principal without CREATE (a secured broker) cannot.
     */
    public static void awaitListed(Admin admin, List<String> topicNames)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        Set<String> missing = new HashSet<>(topicNames);
        while (true) {
            missing.removeAll(admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Topics not listed " + TIMEOUT_SECONDS + " s after their creation: " + missing);
            }
            Thread.sleep(50);
        }
    }

    /** The partitions of {@code topicNames} without a leader or without an open log; all of them while leaders are missing. */
    private static Set<TopicPartition> notYetOpen(Admin admin, List<String> topicNames)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> descriptions = admin.describeTopics(topicNames).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Set<TopicPartition> wanted = new HashSet<>();
        Set<Integer> brokers = new HashSet<>();
        boolean leaders = true;
        for (TopicDescription description : descriptions.values()) {
            for (TopicPartitionInfo partition : description.partitions()) {
                wanted.add(new TopicPartition(description.name(), partition.partition()));
                if (partition.leader() == null || partition.leader().isEmpty()) {
                    leaders = false;
                } else {
                    brokers.add(partition.leader().id());
                }
            }
        }
        if (!leaders) {
            return wanted;
        }
        Set<TopicPartition> open = new HashSet<>();
        admin.describeLogDirs(brokers).allDescriptions().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values()
                .forEach(dirs -> dirs.values().forEach(dir -> open.addAll(dir.replicaInfos().keySet())));
        Set<TopicPartition> missing = new HashSet<>(wanted);
        missing.removeAll(open);
        return missing;
    }

    private static void warnOnPartitionMismatch(Admin admin, List<TopicDefinition<?, ?>> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> descriptions = admin
                .describeTopics(topics.stream().map(TopicDefinition::name).toList())
                .allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (TopicDefinition<?, ?> topic : topics) {
            int actual = descriptions.get(topic.name()).partitions().size();
            if (actual != topic.partitions()) {
                LOG.warn("Topic {} has {} partitions; the configuration asks for {} (left unchanged)",
                        topic.name(), actual, topic.partitions());
            }
        }
    }
}
