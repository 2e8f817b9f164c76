package dev.eventflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventflow.config.Config;
import dev.eventflow.config.KafkaSecurity;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.localstack.EmbeddedKafkaBroker;
import dev.eventflow.localstack.Ports;
import dev.eventflow.security.AccessPlan;
import dev.eventflow.security.AccessPlan.Role;
import dev.eventflow.security.AccessProvisioner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eventflow security provision} against a real broker started with SCRAM-SHA-512 and the StandardAuthorizer,
 * then each principal going outside its ACLs: refused, with the client's error naming the topic and the broker's
 * authorizer naming the principal, the operation and the resource. The tests share the broker and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityProvisionIT {

    static final String ADMIN_PASSWORD = "admin-secret-4f1c";
    static final Map<Role, String> PASSWORDS = Map.of(Role.INGEST, "ingest-secret-1a", Role.PROCESSOR, "processor-secret-2b",
            Role.CONNECT, "connect-secret-3c", Role.READER, "reader-secret-4d", Role.MONITOR, "monitor-secret-5e");
    static final AccessPlan PLAN = AccessPlan.defaults();

    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static AuthorizerLog authorizer;
    static Map<String, String> env;

    @BeforeAll
    static void start() {
        authorizer = AuthorizerLog.attach();
        broker = EmbeddedKafkaBroker.startSecured(Ports.freePort(), Ports.freePort(), dir.resolve("kafka"), "eventflow-admin",
                ADMIN_PASSWORD, Map.of());
        env = new HashMap<>(Map.of("EVENTFLOW_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "EVENTFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "EVENTFLOW_KAFKA_SASL_USERNAME", "eventflow-admin",
                "EVENTFLOW_KAFKA_SASL_PASSWORD", ADMIN_PASSWORD));
        PASSWORDS.forEach((role, password) -> env.put("EVENTFLOW_SECURITY_" + role.name() + "_PASSWORD", password));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void shouldCreateTheContractsTopicsAsTheAdminWithTheSameSettingsAsAnyClient() {
        Map<String, String> previous = TopicsMain.environment;
        Map<String, String> admin = new HashMap<>(env);
        admin.keySet().removeIf(name -> name.startsWith("EVENTFLOW_SECURITY_"));
        TopicsMain.environment = admin;
        try {
            Run run = Run.of(out -> err -> new picocli.CommandLine(new TopicsMain()).setOut(out).setErr(err).execute("create"));
            assertThat(run.exit).as(run.err).isZero();
            assertThat(run.out).startsWith("Created 13 topic(s): ").contains("All 13 topics of the contract match it on "
                    + broker.bootstrapServers());
        } finally {
            TopicsMain.environment = previous;
        }
    }

    @Test
    @Order(2)
    void shouldRefuseToProvisionWhileAComponentHasNoPasswordNamingTheVariable() {
        Map<String, String> withoutReader = new HashMap<>(env);
        withoutReader.remove("EVENTFLOW_SECURITY_READER_PASSWORD");

        Run run = provision(withoutReader);

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.out).isEmpty();
        assertThat(run.err).isEqualTo("eventflow security provision: no password for 1 user(s): set "
                + "EVENTFLOW_SECURITY_READER_PASSWORD (eventflow-reader), or the same keys with .file\n");
    }

    @Test
    @Order(3)
    void shouldShowWhatItWouldDoOnADryRunAndChangeNothing() throws Exception {
        Run run = Run.of(out -> err -> SecurityMain.run(new String[] {"provision", "--dry-run"}, out, err, env));

        assertThat(run.exit).as(run.err).isZero();
        int acls = PLAN.bindings().size();
        assertThat(run.out).startsWith("Dry run: users and ACLs on " + broker.bootstrapServers() + " (as eventflow-admin):\n"
                        + "  user eventflow-ingest (ingest): created with SCRAM-SHA-512 [dry run]\n")
                .contains("  acl User:eventflow-reader ALLOW READ TOPIC events.clean (literal): created [dry run]\n")
                .endsWith("Would set 5 users' passwords; ACLs: " + acls + " created, 0 existed, 0 removed (dry run: nothing changed).\n");
        try (Admin admin = admin()) {
            assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)).isEmpty();
            assertThat(admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS).keySet()).containsExactly("eventflow-admin");
        }
    }

    @Test
    @Order(4)
    void shouldCreateEveryUserAndExactlyThePlansAcls() throws Exception {
        Run run = provision(env);

        assertThat(run.exit).as(run.err).isZero();
        List<String> lines = run.out.lines().toList();
        int acls = PLAN.bindings().size();
        assertThat(lines).hasSize(1 + 5 + acls + 1);
        assertThat(lines.get(0)).isEqualTo("Users and ACLs on " + broker.bootstrapServers() + " (as eventflow-admin):");
        assertThat(lines.subList(1, 6)).containsExactly(
                "  user eventflow-ingest (ingest): created with SCRAM-SHA-512",
                "  user eventflow-processor (processor): created with SCRAM-SHA-512",
                "  user eventflow-connect (connect): created with SCRAM-SHA-512",
                "  user eventflow-reader (reader): created with SCRAM-SHA-512",
                "  user eventflow-monitor (monitor): created with SCRAM-SHA-512");
        assertThat(lines.subList(6, 6 + acls)).containsExactlyElementsOf(PLAN.bindings().stream()
                .map(binding -> "  acl " + AccessProvisioner.describe(binding) + ": created").toList());
        assertThat(lines.get(lines.size() - 1)).isEqualTo("Set 5 users' passwords; ACLs: " + acls + " created, 0 existed, 0 removed.");
        // and the broker holds exactly those ACLs
        try (Admin admin = admin()) {
            assertThat(new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)))
                    .isEqualTo(new HashSet<>(PLAN.bindings()));
        }
        // and no password was printed
        assertThat(run.out + run.err).doesNotContain(ADMIN_PASSWORD).doesNotContain("secret");
    }

    @Test
    @Order(5)
    void shouldChangeNothingWhenRunAgainAndRemoveAnAclNotInThePlan() throws Exception {
        Run again = provision(env);
        assertThat(again.exit).as(again.err).isZero();
        int acls = PLAN.bindings().size();
        assertThat(again.out).contains("  user eventflow-reader (reader): SCRAM-SHA-512 password set again\n")
                .endsWith("Set 5 users' passwords; ACLs: 0 created, " + acls + " existed, 0 removed.\n");

        // Given an ACL someone added by hand: the reader may read a raw topic
        AclBinding extra = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "provider.events.raw", PatternType.LITERAL),
                new AccessControlEntry("User:eventflow-reader", "*", AclOperation.READ, AclPermissionType.ALLOW));
        try (Admin admin = admin()) {
            admin.createAcls(List.of(extra)).all().get(30, TimeUnit.SECONDS);
        }

        Run converged = provision(env);

        assertThat(converged.exit).as(converged.err).isZero();
        assertThat(converged.out).contains("  acl User:eventflow-reader ALLOW READ TOPIC provider.events.raw (literal): removed, not in the plan\n")
                .endsWith("Set 5 users' passwords; ACLs: 0 created, " + acls + " existed, 1 removed.\n");
        try (Admin admin = admin()) {
            assertThat(new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)))
                    .isEqualTo(new HashSet<>(PLAN.bindings()));
        }
    }

    @Test
    @Order(6)
    void shouldLetTheProducerWriteARawTopicButNotReadACleanOne() {
        try (RawPublisher publisher = new RawPublisher(broker.bootstrapServers(), login(Role.INGEST).clientConfig())) {
            publisher.send(PLAN.topics().eventsRaw().name(), "k", "{}".getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
            publisher.flush();
            assertThat(publisher.acknowledged()).isEqualTo(1);
        }

        try (KafkaConsumer<byte[], byte[]> consumer = consumer(Role.INGEST, AccessPlan.CHECKPOINT_GROUP_PREFIX + UUID.randomUUID())) {
            consumer.subscribe(List.of(PLAN.topics().eventsClean().name()));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(TopicAuthorizationException.class)
                    .hasMessage("Not authorized to access topics: [events.clean]");
        }
        // The broker's authorizer names the principal, the operation it lacks and the resource: the consumer's first
        // request about the topic, its metadata, needs DESCRIBE
        assertThat(authorizer.denied("User:eventflow-ingest")).containsExactly(
                "Principal = User:eventflow-ingest is Denied operation = DESCRIBE from host = 127.0.0.1 on resource = Topic:LITERAL:events.clean "
                        + "for request = Metadata with resourceRefCount = 1 based on rule DefaultDeny");
    }

    @Test
    @Order(7)
    void shouldRefuseAReaderWritingARawTopic() {
        try (RawPublisher publisher = new RawPublisher(broker.bootstrapServers(), login(Role.READER).clientConfig())) {
            publisher.send(PLAN.topics().eventsRaw().name(), "k", "{}".getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
            assertThatThrownBy(publisher::flush).isInstanceOf(RawPublisher.PublishException.class)
                    .hasMessage("Publishing failed: this principal may not WRITE to topic(s) [provider.events.raw] (an ACL is "
                            + "missing: ./eventflow security provision grants the ingest principal WRITE on the raw, run and "
                            + "checkpoint topics)")
                    .cause().isInstanceOf(TopicAuthorizationException.class).hasMessage("Not authorized to access topics: [provider.events.raw]");
        }
        assertThat(authorizer.denied("User:eventflow-reader")).containsExactly(
                "Principal = User:eventflow-reader is Denied operation = DESCRIBE from host = 127.0.0.1 on resource = Topic:LITERAL:provider.events.raw "
                        + "for request = Metadata with resourceRefCount = 1 based on rule DefaultDeny");
    }

    @Test
    @Order(8)
    void shouldRefuseConnectWritingARawTopic() {
        try (RawPublisher publisher = new RawPublisher(broker.bootstrapServers(), login(Role.CONNECT).clientConfig())) {
            publisher.send(PLAN.topics().eventsRaw().name(), "k", "{}".getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
            assertThatThrownBy(publisher::flush).isInstanceOf(RawPublisher.PublishException.class)
                    .hasMessage("Publishing failed: this principal may not WRITE to topic(s) [provider.events.raw] (an ACL is "
                            + "missing: ./eventflow security provision grants the ingest principal WRITE on the raw, run and "
                            + "checkpoint topics)")
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(authorizer.denied("User:eventflow-connect")).containsExactly(
                "Principal = User:eventflow-connect is Denied operation = DESCRIBE from host = 127.0.0.1 on resource = Topic:LITERAL:provider.events.raw "
                        + "for request = Metadata with resourceRefCount = 1 based on rule DefaultDeny");
    }

    @Test
    @Order(9)
    void shouldRefuseConnectWritingATopicItMayOnlyReadNamingTheWriteItLacks() {
        // Connect reads ingest.runs (READ, DESCRIBE): the metadata is answered, the produce request is refused
        try (RawPublisher publisher = new RawPublisher(broker.bootstrapServers(), login(Role.CONNECT).clientConfig())) {
            publisher.send(PLAN.topics().ingestRuns().name(), "k", "{}".getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
            assertThatThrownBy(publisher::flush).isInstanceOf(RawPublisher.PublishException.class)
                    .hasMessageStartingWith("Publishing failed: this principal may not WRITE to topic(s) [ingest.runs] ")
                    .cause().isInstanceOf(TopicAuthorizationException.class).hasMessage("Not authorized to access topics: [ingest.runs]");
        }
        assertThat(authorizer.denied("User:eventflow-connect")).endsWith(
                "Principal = User:eventflow-connect is Denied operation = WRITE from host = 127.0.0.1 on resource = Topic:LITERAL:ingest.runs "
                        + "for request = Produce with resourceRefCount = 1 based on rule DefaultDeny");
    }

    @Test
    @Order(10)
    void shouldRefuseAWrongPassword() {
        Map<String, Object> config = new HashMap<>(KafkaSecurity.scram("eventflow-reader", "not-the-password").clientConfig());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class)
                    .cause().hasMessage("Authentication failed during authentication due to invalid credentials with SASL "
                            + "mechanism SCRAM-SHA-512");
        }
    }

    static KafkaSecurity login(Role role) {
        return KafkaSecurity.scram(PLAN.user(role), PASSWORDS.get(role));
    }

    static KafkaConsumer<byte[], byte[]> consumer(Role role, String group) {
        Map<String, Object> config = new HashMap<>(login(role).clientConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static Admin admin() {
        Map<String, Object> config = new HashMap<>(broker.adminSecurity().clientConfig());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return Admin.create(config);
    }

    static Run provision(Map<String, String> environment) {
        return Run.of(out -> err -> SecurityMain.run(new String[] {"provision"}, out, err, environment));
    }

    /** A command's exit code and output. */
    record Run(int exit, String out, String err) {
        static Run of(java.util.function.Function<PrintWriter, java.util.function.Function<PrintWriter, Integer>> command) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = command.apply(new PrintWriter(out, true)).apply(new PrintWriter(err, true));
            return new Run(exit, out.toString(), err.toString());
        }
    }
}
