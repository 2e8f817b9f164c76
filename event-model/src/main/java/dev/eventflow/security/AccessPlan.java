package dev.eventflow.security;

import dev.eventflow.config.Config;
import dev.eventflow.config.ConfigSpec;
import dev.eventflow.config.Secrets;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on Kafka: one SCRAM principal per component and the ACLs that give it exactly what it needs,
 * with every topic name taken from the topic contract ({@link EventflowTopics}) and every group, transactional id
 * and internal-topic prefix from the settings the components run with. Anything not listed is denied (the broker
 * runs with {@code allow.everyone.if.no.acl.found=false}); the admin is a super user and needs no ACL.
 *
 * <p>Settings: {@code security.<role>.user} and its password ({@code security.<role>.password}, from
 * {@code EVENTFLOW_SECURITY_<ROLE>_PASSWORD}, or {@code security.<role>.password.file}) per {@link Role};
 * {@code security.admin.user} / {@code security.admin.password}; {@code application.id} (the stream processor's),
 * {@code connect.group.id}, {@code sink.dlq.topic} and {@code security.reader.group.prefix}.
 */
public final class AccessPlan {

    public static final String ADMIN_USER = "security.admin.user";
    public static final String ADMIN_PASSWORD = "security.admin.password";
    public static final String APPLICATION_ID = "application.id";
    public static final String CONNECT_GROUP_ID = "connect.group.id";
    public static final String SINK_DLQ = "sink.dlq.topic";
    public static final String READER_GROUP_PREFIX = "security.reader.group.prefix";
    /** Consumer groups of sink connectors: Connect names them {@code connect-<connector>}. */
    public static final String CONNECTOR_GROUP_PREFIX = "connect-";
    /** Groups of the ingest producer's checkpoint reader (it assigns partitions itself and commits nothing). */
    public static final String CHECKPOINT_GROUP_PREFIX = "eventflow-checkpoints-";
    /** The one name of the cluster resource. */
    private static final String CLUSTER = "kafka-cluster";

    /** A component with a principal of its own. */
    public enum Role {
        INGEST("eventflow-ingest", "ingest producer (./eventflow ingest)"),
        PROCESSOR("eventflow-processor", "stream processor (./eventflow processor)"),
        CONNECT("eventflow-connect", "Kafka Connect worker and its sink connectors"),
        READER("eventflow-reader", "downstream consumers of the clean topics"),
        MONITOR("eventflow-monitor", "sink supervisor and lag checks (describe only)");

        private final String defaultUser;
        private final String description;

        Role(String defaultUser, String description) {
            this.defaultUser = defaultUser;
            this.description = description;
        }

        /** The role's id in settings: {@code security.<id>.user}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String userKey() {
            return "security." + id() + ".user";
        }

        public String passwordKey() {
            return "security." + id() + ".password";
        }

        public String defaultUser() {
            return defaultUser;
        }

        public String description() {
            return description;
        }
    }

    private static final ConfigSpec SPEC = spec();

    private final Config config;
    private final EventflowTopics topics;

    private AccessPlan(Config config) {
        this.config = config;
        this.topics = EventflowTopics.from(config);
        java.util.Map<String, Role> roles = new java.util.HashMap<>();
        for (Role role : Role.values()) {
            if (user(role).equals(adminUser())) {
                throw new IllegalArgumentException("'" + role.userKey() + "' must not be the admin (" + adminUser() + ")");
            }
            Role other = roles.putIfAbsent(user(role), role);
            if (other != null) {
                throw new IllegalArgumentException("'" + other.userKey() + "' and '" + role.userKey() + "' are both " + user(role)
                        + ": each component needs a principal of its own");
            }
        }
    }

    /** The plan's keys, including the topic contract's. */
    public static ConfigSpec configSpec() {
        return SPEC;
    }

    /** The plan of {@code config}, which must include {@link #configSpec()}. */
    public static AccessPlan from(Config config) {
        return new AccessPlan(config);
    }

    /** The plan with every default. */
    public static AccessPlan defaults() {
        return from(Config.defaults(SPEC));
    }

    public String user(Role role) {
        return config.getString(role.userKey());
    }

    /** The role's password, from its variable or file; empty when neither is set. */
    public Optional<String> password(Role role) {
        return Secrets.resolve(config, role.passwordKey());
    }

    /** The super user's name ({@code super.users} of the broker). */
    public String adminUser() {
        return config.getString(ADMIN_USER);
    }

    /** The super user's password, when set (the embedded secured broker needs it; provisioning logs in with kafka.sasl.*). */
    public Optional<String> adminPassword() {
        return Secrets.resolve(config, ADMIN_PASSWORD);
    }

    public String applicationId() {
        return config.getString(APPLICATION_ID);
    }

    public String connectGroupId() {
        return config.getString(CONNECT_GROUP_ID);
    }

    public String sinkDeadLetterTopic() {
        return config.getString(SINK_DLQ);
    }

    public String readerGroupPrefix() {
        return config.getString(READER_GROUP_PREFIX);
    }

    public EventflowTopics topics() {
        return topics;
    }

    /** {@code User:<name>}. */
    public String principal(Role role) {
        return "User:" + user(role);
    }

    /** Every ACL of every role, role by role. */
    public List<AclBinding> bindings() {
        List<AclBinding> all = new ArrayList<>();
        for (Role role : Role.values()) {
            all.addAll(bindings(role));
        }
        return all;
    }

    /** The ACLs of one role (all ALLOW, from any host). */
    public List<AclBinding> bindings(Role role) {
        Acls acls = new Acls(principal(role));
        switch (role) {
            case INGEST -> {
                acls.topics(List.of(topics.eventsRaw(), topics.returnRatesRaw(), topics.ingestRuns()), AclOperation.WRITE, AclOperation.DESCRIBE);
                acls.topics(List.of(topics.ingestCheckpoints()), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
                acls.add(ResourceType.GROUP, CHECKPOINT_GROUP_PREFIX, PatternType.PREFIXED, AclOperation.READ);
                acls.add(ResourceType.CLUSTER, CLUSTER, PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
            }
            case PROCESSOR -> {
                String applicationId = applicationId();
                // ingest.runs: the quality stage's global store of runs, which closes a run's score.
                acls.topics(List.of(topics.eventsRaw(), topics.returnRatesRaw(), topics.entityAliases(), topics.ingestRuns()),
                        AclOperation.READ, AclOperation.DESCRIBE);
                acls.topics(List.of(topics.entitiesClean(), topics.eventsClean(), topics.returnRatesClean(), topics.eventsEnriched(),
                        topics.qualityScores(), topics.qualityRunScores(), topics.deadLetters()), AclOperation.WRITE, AclOperation.DESCRIBE);
                acls.topics(List.of(topics.eventMoves()), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
                // Repartition and changelog topics, the quality stage's two repartitions among them: Kafka Streams
                // creates, reads, writes, purges and (reset) deletes them.
                acls.add(ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED, AclOperation.ALL);
                acls.add(ResourceType.GROUP, applicationId, PatternType.LITERAL, AclOperation.READ);
                // exactly_once_v2: transactional ids <application.id>-<process id>-<thread>.
                acls.add(ResourceType.TRANSACTIONAL_ID, applicationId + "-", PatternType.PREFIXED, AclOperation.WRITE, AclOperation.DESCRIBE);
                acls.add(ResourceType.CLUSTER, CLUSTER, PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
            }
            case CONNECT -> {
                String group = connectGroupId();
                acls.add(ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.READ);
                // The worker's config, offset and status topics: <group>.configs here, <group>-configs in docker compose.
                acls.add(ResourceType.TOPIC, group, PatternType.PREFIXED, AclOperation.CREATE, AclOperation.DESCRIBE,
                        AclOperation.DESCRIBE_CONFIGS, AclOperation.READ, AclOperation.WRITE);
                acls.topics(List.of(topics.entitiesClean(), topics.eventsClean(), topics.returnRatesClean(), topics.eventsEnriched(),
                        topics.qualityScores(), topics.qualityRunScores(), topics.deadLetters(), topics.ingestRuns()),
                        AclOperation.READ, AclOperation.DESCRIBE);
                acls.add(ResourceType.GROUP, CONNECTOR_GROUP_PREFIX, PatternType.PREFIXED, AclOperation.READ);
                acls.add(ResourceType.TOPIC, sinkDeadLetterTopic(), PatternType.LITERAL, AclOperation.WRITE, AclOperation.DESCRIBE);
                acls.add(ResourceType.CLUSTER, CLUSTER, PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
            }
            case READER -> {
                // The quality scores are clean topics too: operators' dashboards read them as any other consumer would.
                acls.topics(List.of(topics.entitiesClean(), topics.eventsClean(), topics.returnRatesClean(), topics.eventsEnriched(),
                        topics.qualityScores(), topics.qualityRunScores()), AclOperation.READ, AclOperation.DESCRIBE);
                acls.add(ResourceType.GROUP, readerGroupPrefix(), PatternType.PREFIXED, AclOperation.READ);
            }
            case MONITOR -> {
                // Lag: committed offsets of the groups (DESCRIBE on group and topic) against the topics' end offsets.
                List<TopicDefinition<?, ?>> watched = List.of(topics.eventsRaw(), topics.returnRatesRaw(), topics.entitiesClean(),
                        topics.eventsClean(), topics.returnRatesClean(), topics.eventsEnriched(), topics.qualityScores(),
                        topics.qualityRunScores(), topics.deadLetters(), topics.ingestRuns());
                acls.topics(watched, AclOperation.DESCRIBE);
                acls.add(ResourceType.TOPIC, applicationId() + "-", PatternType.PREFIXED, AclOperation.DESCRIBE);
                acls.add(ResourceType.GROUP, applicationId(), PatternType.LITERAL, AclOperation.DESCRIBE);
                acls.add(ResourceType.GROUP, CONNECTOR_GROUP_PREFIX, PatternType.PREFIXED, AclOperation.DESCRIBE);
            }
            default -> throw new IllegalStateException("Unknown role " + role);
        }
        return List.copyOf(acls.bindings);
    }

    private static ConfigSpec spec() {
        ConfigSpec.Builder builder = ConfigSpec.builder()
                .define(ADMIN_USER, "eventflow-admin", "the super user (super.users of the broker): provisions users and ACLs, "
                        + "creates topics")
                .optional(ADMIN_PASSWORD, "its password (EVENTFLOW_SECURITY_ADMIN_PASSWORD); the embedded secured broker "
                        + "bootstraps it at format time")
                .optional(ADMIN_PASSWORD + Secrets.FILE_SUFFIX, "a file holding the admin's password instead")
                .define(APPLICATION_ID, "eventflow-stream-processor", "the stream processor's application.id: its group, "
                        + "internal topic and transactional id prefix")
                .define(CONNECT_GROUP_ID, "eventflow-connect", "the Connect worker's group.id; prefixes its internal topics")
                .define(SINK_DLQ, "eventflow.sink.dlq", "Connect's dead-letter topic for records the sink cannot read")
                .define(READER_GROUP_PREFIX, "eventflow-reader", "consumer groups downstream readers may use start with this");
        for (Role role : Role.values()) {
            builder.define(role.userKey(), role.defaultUser(), "principal of the " + role.description())
                    .optional(role.passwordKey(), "its password (" + Secrets.envVariable(role.passwordKey()) + ")")
                    .optional(role.passwordKey() + Secrets.FILE_SUFFIX, "a file holding its password instead");
        }
        return builder.build().and(EventflowTopics.configSpec());
    }

    /** Collects one principal's ALLOW entries. */
    private static final class Acls {
        private final String principal;
        private final List<AclBinding> bindings = new ArrayList<>();

        Acls(String principal) {
            this.principal = principal;
        }

        void topics(List<? extends TopicDefinition<?, ?>> topics, AclOperation... operations) {
            for (TopicDefinition<?, ?> topic : topics) {
                add(ResourceType.TOPIC, topic.name(), PatternType.LITERAL, operations);
            }
        }

        void add(ResourceType type, String name, PatternType pattern, AclOperation... operations) {
            for (AclOperation operation : operations) {
                bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
                        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
            }
        }
    }
}
