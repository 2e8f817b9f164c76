package dev.eventflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventflow.cli.InitMain;
import dev.eventflow.cli.SecurityMain;
import dev.eventflow.config.Config;
import dev.eventflow.config.KafkaSecurity;
import dev.eventflow.ingest.IngestConfig;
import dev.eventflow.localstack.Ports;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicCreator;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.security.AccessPlan;
import dev.eventflow.sink.SinkMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured Kafka of docker-compose.yml, without a Docker engine: the broker runs from the {@code kafka} service's
 * own {@code KAFKA_*} variables (turned into server properties by the apache/kafka image's rule), on storage
 * formatted by {@code deploy/kafka/format-storage.sh} exactly as the {@code kafka-format} service runs it (the real
 * {@code kafka-storage} tool behind it), with {@code .env.example}'s passwords. Then the {@code kafka-users}
 * service's command provisions the users and ACLs, {@code init}'s login creates the topics, and every other
 * service's and the Connect worker's login (as the compose file and connect-distributed.properties give them) is
 * its own principal, allowed its work and refused the rest. Host names and ports are the only things changed: each
 * listener gets a free port on 127.0.0.1.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeKafkaSecurityIT {

    /** The apache/kafka image's launcher variables, which are not server properties (KafkaDockerWrapper). */
    static final Set<String> NOT_PROPERTIES = Set.of("KAFKA_VERSION", "KAFKA_HEAP_OPT", "KAFKA_HEAP_OPTS", "KAFKA_LOG4J_OPTS",
            "KAFKA_OPTS", "KAFKA_JMX_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_LOG4J_ROOT_LOGLEVEL",
            "KAFKA_LOG4J_LOGGERS", "KAFKA_TOOLS_LOG4J_LOGLEVEL", "KAFKA_JMX_HOSTNAME");

    @TempDir
    static Path dir;
    static ComposeFile compose;
    static Map<String, String> dotEnv;
    static int internalPort;
    static int externalPort;
    static int controllerPort;
    static KafkaRaftServer broker;
    static String formatOutput;
    static final EventflowTopics TOPICS = EventflowTopics.defaults();

    @BeforeAll
    static void formatAndStart() throws Exception {
        dotEnv = ComposeFile.envFile(ComposeFile.ROOT.resolve(".env.example"));
        compose = ComposeFile.load(ComposeFile.ROOT.resolve(".env.example"));
        internalPort = Ports.freePort();
        externalPort = Ports.freePort();
        controllerPort = Ports.freePort();

        formatOutput = runFormatService();

        Map<String, Object> props = new HashMap<>(serverProperties(env("kafka")));
        broker = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        broker.startup();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.shutdown();
            broker.awaitShutdown();
        }
    }

    @Test
    @Order(1)
    void kafkaFormatWritesTheAdminIntoTheStorageAndNeverPrintsItsPassword() throws Exception {
        assertThat(formatOutput).contains("kafka-format: storage ready; super user eventflow-admin (SCRAM-SHA-512).")
                .doesNotContain(dotEnv.get("EVENTFLOW_SECURITY_ADMIN_PASSWORD"));
        try (Admin admin = Admin.create(clientConfig(env("kafka-users"), SecurityMain.SPEC))) {
            assertThat(admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS)).containsOnlyKeys("eventflow-admin");
            // A super user: the cluster's configuration is not for anyone else.
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
        // A second run (every 'docker compose up') leaves the formatted storage as it is.
        assertThat(runFormatService()).contains("kafka-format: storage ready");
    }

    @Test
    @Order(2)
    void aWrongPasswordIsRefused() {
        Map<String, String> env = new HashMap<>(env("kafka-users"));
        env.put("EVENTFLOW_KAFKA_SASL_PASSWORD", "not-the-password");
        try (Admin admin = Admin.create(clientConfig(env, SecurityMain.SPEC))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512");
        }
    }

    @Test
    @Order(3)
    void kafkaUsersProvisionsEveryComponentAndInitCreatesTheTopicsAsTheAdmin() throws Exception {
        List<String> command = ComposeFile.commandLine(compose.services().get("kafka-users"));
        assertThat(command).containsExactly("security", "provision");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = SecurityMain.run(command.subList(1, command.size()).toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(err, true), env("kafka-users"));

        assertThat(exit).as(err.toString()).isZero();
        int acls = AccessPlan.defaults().bindings().size();
        assertThat(out.toString()).startsWith("Users and ACLs on 127.0.0.1:" + internalPort + " (as eventflow-admin):\n")
                .endsWith("Set 5 users' passwords; ACLs: " + acls + " created, 0 existed, 0 removed.\n");

        Config init = Config.load(InitMain.SPEC, null, env("init"));
        try (Admin admin = Admin.create(SinkMain.adminConfig(init))) {
            List<String> created = TopicCreator.createMissing(admin, TOPICS.all(), Optional.of((short) 1));
            assertThat(created).hasSize(TOPICS.all().size());
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(init.getString(SinkMain.DLQ), 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            TopicCreator.awaitListed(admin, List.of(init.getString(SinkMain.DLQ)));
        }
    }

    @Test
    @Order(4)
    void eachAppServiceIsItsOwnPrincipalAllowedItsWorkAndRefusedTheRest() throws Exception {
        String raw = TOPICS.eventsRaw().name();
        String clean = TOPICS.eventsClean().name();

        Config ingest = IngestConfig.load(null, env("ingest")).config();
        assertThat(KafkaSecurity.from(ingest).username()).contains("eventflow-ingest");
        send(clientConfig(ingest), raw, "from-ingest");
        assertThatThrownBy(() -> send(clientConfig(ingest), clean, "not-from-ingest"))
                .hasCauseInstanceOf(TopicAuthorizationException.class);

        Config processor = ProcessorConfig.load(null, env("stream-processor")).config();
        assertThat(KafkaSecurity.from(processor).username()).contains("eventflow-processor");
        send(clientConfig(processor), clean, "from-processor");
        assertThatThrownBy(() -> send(clientConfig(processor), raw, "not-from-processor"))
                .hasCauseInstanceOf(TopicAuthorizationException.class);

        Config supervisor = Config.load(SinkMain.SPEC, null, env("sink-supervisor"));
        assertThat(KafkaSecurity.from(supervisor).username()).contains("eventflow-monitor");
        try (Admin admin = Admin.create(SinkMain.adminConfig(supervisor))) {
            assertThat(admin.describeTopics(List.of(clean)).allTopicNames().get(30, TimeUnit.SECONDS)).containsOnlyKeys(clean);
        }
        // The monitor may write no topic at all, so the broker refuses even its producer id.
        assertThatThrownBy(() -> send(clientConfig(supervisor), clean, "not-from-the-monitor"))
                .hasCauseInstanceOf(org.apache.kafka.common.errors.ClusterAuthorizationException.class);
    }

    @Test
    @Order(5)
    void theConnectWorkerLogsInAsConnectForItselfAndForItsConnectors() throws Exception {
        Map<String, String> worker = workerProperties();
        Map<String, Object> own = new HashMap<>();
        for (String prefix : List.of("", "consumer.", "producer.", "admin.")) {
            Map<String, Object> login = new HashMap<>();
            for (String key : List.of("security.protocol", "sasl.mechanism", "sasl.jaas.config")) {
                assertThat(worker).as("connect-distributed.properties sets " + prefix + key).containsKey(prefix + key);
                login.put(key, worker.get(prefix + key));
            }
            if (prefix.isEmpty()) {
                own.putAll(login);
            } else {
                assertThat(login).as("the " + prefix + " clients log in as the worker does").isEqualTo(own);
            }
        }
        assertThat(worker.get("bootstrap.servers")).isEqualTo("kafka:19092");
        own.put("bootstrap.servers", "127.0.0.1:" + internalPort);
        // The dead-letter producer writes the sink's dead-letter topic; a raw topic is not the worker's to write.
        send(own, "eventflow.sink.dlq", "from-connect");
        assertThatThrownBy(() -> send(own, TOPICS.eventsRaw().name(), "not-from-connect"))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        try (Admin admin = Admin.create(withTimeout(own))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPICS.eventsClean().name(), "eventflow.sink.dlq")
                    .doesNotContain(TOPICS.eventsRaw().name());
        }
    }

    @Test
    @Order(6)
    void aReaderOnTheHostReadsTheCleanTopicsOnThePublishedListener() {
        // README: kcat -b 127.0.0.1:9092 -X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=SCRAM-SHA-512 ...
        Map<String, Object> config = new HashMap<>(KafkaSecurity.scram("eventflow-reader", dotEnv.get("EVENTFLOW_SECURITY_READER_PASSWORD"))
                .clientConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + externalPort);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "eventflow-reader-test");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        String clean = TOPICS.eventsClean().name();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(clean).stream()
                    .map(info -> new TopicPartition(clean, info.partition())).toList();
            consumer.assign(partitions);
            List<String> values = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            assertThat(values).containsExactly("from-processor");
            consumer.commitSync();
        }
    }

    // --- the compose file's services, on this machine -------------------------------------------------------------

    /** A service's environment as compose gives it, its Kafka host names and ports made local. */
    static Map<String, String> env(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        ComposeFile.environment(compose.services().get(service)).forEach((key, value) -> env.put(key, local(value)));
        return env;
    }

    static String local(String value) {
        return value.replace("://:19092", "://127.0.0.1:" + internalPort)
                .replace("://:9092", "://127.0.0.1:" + externalPort)
                .replace("://:9093", "://127.0.0.1:" + controllerPort)
                .replace("kafka:19092", "127.0.0.1:" + internalPort)
                .replace("localhost:9092", "127.0.0.1:" + externalPort)
                .replace("kafka:9093", "127.0.0.1:" + controllerPort)
                .replace("/var/lib/kafka/data", dir.resolve("kafka-data").toString());
    }

    /**
     * Runs the kafka-format service's command: its entrypoint script (the file compose mounts) with its environment,
     * kafka-storage.sh being the real StorageTool on this JVM's class path.
     */
    static String runFormatService() throws IOException, InterruptedException {
        Map<String, Object> service = compose.services().get("kafka-format");
        List<String> command = ComposeFile.commandLine(service);
        assertThat(command).containsExactly("bash", "/opt/eventflow/format-storage.sh");
        assertThat(service.get("volumes").toString()).contains("./deploy/kafka/format-storage.sh:/opt/eventflow/format-storage.sh:ro",
                "kafka-data:/var/lib/kafka/data");
        Path home = dir.resolve("kafka-home");
        Files.createDirectories(home.resolve("bin"));
        Path storageTool = home.resolve("bin/kafka-storage.sh");
        Files.writeString(storageTool, "#!/usr/bin/env bash\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -cp '" + System.getProperty("java.class.path") + "' kafka.tools.StorageTool \"$@\"\n");
        storageTool.toFile().setExecutable(true);

        ProcessBuilder builder = new ProcessBuilder("bash", ComposeFile.ROOT.resolve("deploy/kafka/format-storage.sh").toString())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().putAll(env("kafka-format"));
        builder.environment().put("KAFKA_HOME", home.toString());
        builder.environment().put("EVENTFLOW_KAFKA_FORMAT_CONFIG", dir.resolve("format.properties").toString());
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        process.getInputStream().transferTo(output);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String text = output.toString(StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }

    /** The server properties the apache/kafka image writes from the KAFKA_* variables (KafkaDockerWrapper's rule). */
    static Map<String, String> serverProperties(Map<String, String> env) {
        Map<String, String> props = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("KAFKA_") && !NOT_PROPERTIES.contains(name)) {
                String key = name.substring("KAFKA_".length()).toLowerCase(java.util.Locale.ROOT)
                        .replace("_", ".").replace("...", "-").replace("..", "_");
                props.put(key, value);
            }
        });
        return props;
    }

    /** connect-distributed.properties with its ${env:...} references resolved from the connect service's environment. */
    static Map<String, String> workerProperties() throws IOException {
        Properties file = new Properties();
        try (var reader = Files.newBufferedReader(ComposeFile.ROOT.resolve("deploy/connect/connect-distributed.properties"))) {
            file.load(reader);
        }
        Map<String, String> env = env("connect");
        Pattern reference = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");
        Map<String, String> resolved = new HashMap<>();
        for (String key : file.stringPropertyNames()) {
            Matcher matcher = reference.matcher(file.getProperty(key));
            StringBuilder value = new StringBuilder();
            while (matcher.find()) {
                assertThat(env).as("the connect service sets " + matcher.group(1)).containsKey(matcher.group(1));
                matcher.appendReplacement(value, Matcher.quoteReplacement(env.get(matcher.group(1))));
            }
            matcher.appendTail(value);
            resolved.put(key, value.toString());
        }
        return resolved;
    }

    static Map<String, Object> clientConfig(Map<String, String> env, dev.eventflow.config.ConfigSpec spec) {
        return clientConfig(Config.load(spec, null, env));
    }

    /** The login and bootstrap servers an app's settings give its Kafka clients. */
    static Map<String, Object> clientConfig(Config config) {
        Map<String, Object> client = new HashMap<>(KafkaSecurity.from(config).clientConfig());
        client.put("bootstrap.servers", config.getString("kafka.bootstrap.servers"));
        return withTimeout(client);
    }

    static Map<String, Object> withTimeout(Map<String, Object> config) {
        Map<String, Object> copy = new HashMap<>(config);
        copy.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return copy;
    }

    static void send(Map<String, Object> config, String topic, String value) throws ExecutionException, InterruptedException {
        Map<String, Object> producer = new HashMap<>(config);
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        try (KafkaProducer<String, String> client = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
            client.send(new ProducerRecord<>(topic, "key", value)).get();
        }
    }
}
