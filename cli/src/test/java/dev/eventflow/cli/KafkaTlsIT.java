package dev.eventflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventflow.config.KafkaSecurity;
import dev.eventflow.ingest.IngestConfig;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.ingest.replay.Replayer;
import dev.eventflow.ingest.runs.Checkpoints;
import dev.eventflow.localstack.EmbeddedKafkaBroker;
import dev.eventflow.localstack.Ports;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.IngestRunStatus;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicCreator;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.app.StreamProcessorApp;
import dev.eventflow.security.AccessPlan;
import dev.eventflow.security.AccessPlan.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL_SSL: the broker's client listener on TLS (a certificate made by the JDK's keytool for 127.0.0.1), and every
 * client configured only through eventflow's settings ({@code EVENTFLOW_KAFKA_SECURITY_PROTOCOL=SASL_SSL} and
 * {@code EVENTFLOW_KAFKA_SSL_TRUSTSTORE_*}): the provisioning command, a replay by the ingest producer, the real
 * stream processor (transactions, exactly-once) and a reader. A client that does not trust the certificate is refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaTlsIT {

    static final String ADMIN_PASSWORD = SecurityProvisionIT.ADMIN_PASSWORD;
    static final Map<Role, String> PASSWORDS = SecurityProvisionIT.PASSWORDS;
    static final EventflowTopics TOPICS = EventflowTopics.defaults();

    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static EmbeddedKafkaBroker.Tls tls;

    @BeforeAll
    static void start() throws Exception {
        tls = certificates(dir.resolve("tls"));
        broker = EmbeddedKafkaBroker.startSecured(Ports.freePort(), Ports.freePort(), dir.resolve("kafka"), "eventflow-admin",
                ADMIN_PASSWORD, Optional.of(tls), Map.of());
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void theProvisioningCommandLogsInOverTls() {
        Map<String, String> env = login("eventflow-admin", ADMIN_PASSWORD);
        PASSWORDS.forEach((role, password) -> env.put("EVENTFLOW_SECURITY_" + role.name() + "_PASSWORD", password));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = SecurityMain.run(new String[] {"provision"}, new PrintWriter(out, true), new PrintWriter(err, true), env);

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Users and ACLs on " + broker.bootstrapServers() + " (as eventflow-admin):\n")
                .endsWith("Set 5 users' passwords; ACLs: " + AccessPlan.defaults().bindings().size() + " created, 0 existed, 0 removed.\n");
        try (Admin admin = Admin.create(withBootstrap(broker.adminSecurity().clientConfig()))) {
            TopicCreator.createMissing(admin, TOPICS.all(), Optional.empty());
        }
    }

    @Test
    @Order(2)
    void aReplayIsCleanedByTheStreamProcessorAndReadByAReaderAllOverTls() throws Exception {
        Path season = dir.resolve("E0_tls.csv");
        Files.writeString(season, "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR,B365H,B365D,B365A\n"
                + "E0,14/08/04,Aston Villa,Southampton,2,0,H,1.9,3.1,4.33\n"
                + "E0,14/08/04,Blackburn,West Brom,1,1,D,1.8,3.1,5\n");
        IngestConfig ingest = IngestConfig.load(null, login("eventflow-ingest", PASSWORDS.get(Role.INGEST)));
        try (RawPublisher publisher = new RawPublisher(ingest.bootstrapServers(), ingest.producerOverrides())) {
            IngestRun run = new Replayer(publisher, Checkpoints.load(ingest.clientConfig(), publisher, TOPICS.ingestCheckpoints(),
                    Clock.systemUTC()), TOPICS, Clock.systemUTC(), 10_000).replay(new Replayer.Options(List.of(season), null, 0, null, null, true));
            assertThat(run.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        }

        Map<String, String> processorEnv = login("eventflow-processor", PASSWORDS.get(Role.PROCESSOR));
        processorEnv.put("EVENTFLOW_STATE_DIR", dir.resolve("streams").toString());
        processorEnv.put("EVENTFLOW_METRICS_PORT", "0");
        ProcessorConfig processorConfig = ProcessorConfig.load(null, processorEnv);
        assertThat(processorConfig.streamsProperties().getProperty("security.protocol")).isEqualTo("SASL_SSL");
        StreamProcessorApp processor = StreamProcessorApp.start(processorConfig);
        try {
            Map<String, String> events = readCommitted(login("eventflow-reader", PASSWORDS.get(Role.READER)), TOPICS.eventsClean().name(), 2);
            assertThat(events.values()).hasSize(2).allSatisfy(event -> assertThat(event).contains("\"status\":\"FINISHED\""));
            assertThat(String.join("\n", events.values())).contains("\"homeScore\":2", "\"awayScore\":0", "\"homeScore\":1");
            assertThat(processor.state()).isEqualTo(KafkaStreams.State.RUNNING);
        } finally {
            processor.close();
        }
    }

    @Test
    @Order(3)
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        Map<String, Object> config = new HashMap<>(KafkaSecurity.scram("eventflow-reader", PASSWORDS.get(Role.READER)).clientConfig());
        config.put("security.protocol", "SASL_SSL");
        try (Admin admin = Admin.create(withBootstrap(config))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SslAuthenticationException.class)
                    .hasStackTraceContaining("unable to find valid certification path to requested target");
        }
    }

    /** An app's environment logging in as {@code user} over SASL_SSL, trusting the broker's certificate. */
    static Map<String, String> login(String user, String password) {
        Map<String, String> env = new HashMap<>();
        env.put("EVENTFLOW_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("EVENTFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("EVENTFLOW_KAFKA_SASL_USERNAME", user);
        env.put("EVENTFLOW_KAFKA_SASL_PASSWORD", password);
        env.put("EVENTFLOW_KAFKA_SSL_TRUSTSTORE_LOCATION", tls.truststore().toString());
        env.put("EVENTFLOW_KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
        env.put("EVENTFLOW_KAFKA_SSL_TRUSTSTORE_PASSWORD", tls.truststorePassword());
        return env;
    }

    /** The records of {@code topic} by key, read committed with a reader's settings, once {@code expected} keys are there. */
    static Map<String, String> readCommitted(Map<String, String> env, String topic, int expected) {
        Map<String, Object> config = new HashMap<>(KafkaSecurity.from(dev.eventflow.config.Config.load(
                SecurityMain.SPEC, null, env)).clientConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "eventflow-reader-tls");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, String> byKey = new TreeMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (byKey.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    byKey.put(record.key(), record.value());
                }
            }
        }
        return byKey;
    }

    static Map<String, Object> withBootstrap(Map<String, Object> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("default.api.timeout.ms", 30_000);
        return config;
    }

    /** A key pair and self-signed certificate for 127.0.0.1 and a trust store with that certificate, by the JDK's keytool. */
    static EmbeddedKafkaBroker.Tls certificates(Path tlsDir) throws IOException, InterruptedException {
        Files.createDirectories(tlsDir);
        Path keystore = tlsDir.resolve("broker.p12");
        Path certificate = tlsDir.resolve("broker.pem");
        Path truststore = tlsDir.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "broker-ks");
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass",
                "broker-ks", "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-keystore", truststore.toString(),
                "-storetype", "PKCS12", "-storepass", "trust-ks");
        return new EmbeddedKafkaBroker.Tls(keystore, "broker-ks", truststore, "trust-ks");
    }

    static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        process.getInputStream().transferTo(output);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output.toString(StandardCharsets.UTF_8)).isZero();
    }
}
