package dev.eventflow.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * log4j2-local.xml, the logging of {@code eventflow local} and {@code eventflow stack}: the file gets
 * the full log, the console only real problems; the warnings every healthy run logs and that mean
 * nothing is wrong stay off the console, matched by logger and text, and nothing else does.
 */
class LocalLoggingConfigTest {

    static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";

    @TempDir
    Path dir;

    record Line(String logger, Level level, String message) {
    }

    /** Every harmless warning seen in healthy runs of the local stack, as Kafka logs it. */
    static final List<Line> HARMLESS = List.of(
            new Line("org.apache.kafka.controller.QuorumController", Level.WARN, "[QuorumController id=1] Performing controller "
                    + "activation. The metadata log appears to be empty. Appending 6 bootstrap record(s) in metadata transaction at "
                    + "metadata.version 4.3-IV0 from bootstrap source 'the binary bootstrap metadata file: /tmp/x/kafka/bootstrap.checkpoint'."),
            new Line("org.apache.kafka.streams.processor.internals.StateDirectory", Level.WARN, "Using an OS temp directory in the "
                    + "state.dir property can cause failures with writing the checkpoint file due to the fact that this directory can "
                    + "be cleared by the OS. Resolved state.dir: [/tmp/eventflow-stack-1/streams]"),
            new Line("org.apache.kafka.streams.StreamsConfig", Level.WARN, "Processing exception handler is not enabled for the "
                    + "GlobalThread. It's recommended to set `processing.exception.handler.global.enabled` to true to enable it."),
            new Line(NETWORK_CLIENT, Level.WARN, "[Consumer clientId=eventflow-stream-processor-3a1a-StreamThread-1-consumer, "
                    + "groupId=eventflow-stream-processor] The metadata response from the cluster reported a recoverable issue with "
                    + "correlation id 2 : {eventflow-stream-processor-event-bundles-by-event-id-repartition=UNKNOWN_TOPIC_OR_PARTITION, "
                    + "eventflow-stream-processor-entities-by-id-repartition=UNKNOWN_TOPIC_OR_PARTITION}"),
            new Line(NETWORK_CLIENT, Level.WARN, "[NodeToControllerChannelManager id=1 name=registration] Attempting to close "
                    + "NetworkClient that has already been closed."),
            new Line("org.apache.kafka.clients.consumer.internals.OffsetFetcherUtils", Level.WARN, "[Consumer clientId=eventflow-"
                    + "stream-processor-5bf7-global-consumer, groupId=null] Not updating last stable offset for partition "
                    + "entities.aliases-0 as it is no longer assigned"),
            new Line("kafka.server.DefaultAutoTopicCreationManager", Level.WARN, "Auto topic creation failed for __transaction_state "
                    + "with error 'TOPIC_ALREADY_EXISTS': Topic '__transaction_state' already exists."),
            new Line("org.apache.kafka.connect.runtime.distributed.WorkerCoordinator", Level.WARN, "[Worker clientId=connect-127.0.0.1:8083, "
                    + "groupId=eventflow-connect] Close timed out with 1 pending requests to coordinator, terminating client connections"));

    /** Real problems, some from the same loggers as the harmless ones. */
    static final List<Line> REAL = List.of(
            new Line(NETWORK_CLIENT, Level.WARN, "[Producer clientId=producer-1] Connection to node 1 (/127.0.0.1:9092) could not be "
                    + "established. Node may not be available."),
            new Line(NETWORK_CLIENT, Level.WARN, "[Consumer clientId=c, groupId=g] The metadata response from the cluster reported a "
                    + "recoverable issue with correlation id 7 : {provider.events.raw=UNKNOWN_TOPIC_OR_PARTITION}"),
            new Line(NETWORK_CLIENT, Level.WARN, "[Consumer clientId=c, groupId=g] The metadata response from the cluster reported a "
                    + "recoverable issue with correlation id 8 : {x-repartition=UNKNOWN_TOPIC_OR_PARTITION, events.clean=UNKNOWN_TOPIC_OR_PARTITION}"),
            new Line("org.apache.kafka.connect.runtime.distributed.WorkerCoordinator", Level.WARN, "[Worker clientId=connect-1, "
                    + "groupId=eventflow-connect] Close timed out with 3 pending requests to coordinator, terminating client connections"),
            new Line("org.apache.kafka.controller.QuorumController", Level.ERROR, "[QuorumController id=1] Performing controller "
                    + "activation. The metadata log appears to be empty. (logged as an error, it would be one)"),
            new Line("dev.eventflow.ingest.replay.Replayer", Level.WARN, "data.csv: published with anomalies {row wider than header=45}"),
            new Line("dev.eventflow.cli.LocalPipeline", Level.ERROR, "The live feed stopped: java.lang.IllegalStateException: broken"),
            new Line("io.debezium.connector.jdbc.JdbcSinkConnectorTask", Level.ERROR, "Failed to process record: Failed to check for existence of table"),
            new Line("org.apache.kafka.connect.runtime.WorkerSinkTask", Level.ERROR, "WorkerSinkTask{id=eventflow-events-sink-0} Task threw an uncaught exception"));

    /** What only the file gets. */
    static final List<Line> INFO = List.of(
            new Line("dev.eventflow.localstack.LocalStack", Level.INFO, "Local stack stopped; deleted /tmp/eventflow-stack-1"),
            new Line("io.debezium.connector.jdbc.JdbcSinkConnectorTask", Level.INFO, "Starting JdbcSinkConnectorConfig with configuration:"));

    /** What no one gets. */
    static final List<Line> BELOW = List.of(
            new Line("org.apache.kafka.clients.consumer.ConsumerConfig", Level.INFO, "ConsumerConfig values: ..."),
            new Line("dev.eventflow.localstack.LocalStack", Level.DEBUG, "debugging"),
            new Line("kafka.server.ReplicaManager", Level.INFO, "[ReplicaManager broker=1] an info line"));

    @Test
    void shouldWriteEverythingToTheFileAndToTheConsoleOnlyTheRealProblems() throws Exception {
        Path file = dir.resolve("eventflow-local.log");
        ByteArrayOutputStream console = log(file, concat(HARMLESS, REAL, INFO, BELOW));

        List<String> consoleLines = console.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(consoleLines).hasSize(REAL.size());
        for (int i = 0; i < REAL.size(); i++) {
            Line line = REAL.get(i);
            String simpleName = line.logger().substring(line.logger().lastIndexOf('.') + 1);
            assertThat(consoleLines.get(i)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} " + line.level() + " +" + simpleName + " - .*")
                    .endsWith(" - " + line.message());
        }
        List<String> fileLines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Line> expectedInFile = concat(HARMLESS, REAL, INFO);
        assertThat(fileLines).hasSize(expectedInFile.size());
        for (int i = 0; i < expectedInFile.size(); i++) {
            Line line = expectedInFile.get(i);
            assertThat(fileLines.get(i)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} " + line.level() + " +\\[main] .*")
                    .endsWith(" " + line.logger() + " - " + line.message());
        }
    }

    @Test
    void shouldClearTheStatusLineBeforeAProblemOnATerminal() throws Exception {
        ByteArrayOutputStream console = log(dir.resolve("terminal.log"), REAL.subList(0, 1), LocalLogging.CLEAR_LINE);

        assertThat(console.toString(StandardCharsets.UTF_8)).startsWith("\r\033[K").contains(" WARN  NetworkClient - [Producer");
    }

    private ByteArrayOutputStream log(Path file, List<Line> lines) throws Exception {
        return log(file, lines, "");
    }

    /** Logs {@code lines} through a logger context of log4j2-local.xml whose console is captured. */
    private ByteArrayOutputStream log(Path file, List<Line> lines, String consolePrefix) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        String previousFile = System.getProperty(LocalLogging.LOG_FILE_PROPERTY);
        String previousPrefix = System.getProperty(LocalLogging.CONSOLE_PREFIX_PROPERTY);
        System.setProperty(LocalLogging.LOG_FILE_PROPERTY, file.toString());
        System.setProperty(LocalLogging.CONSOLE_PREFIX_PROPERTY, consolePrefix);
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        LoggerContext context = new LoggerContext("local-logging-test", null, getClass().getResource("/log4j2-local.xml").toURI());
        try {
            context.start();
            assertThat(context.getConfiguration().getName()).isNotEqualTo("Default");
            assertThat(context.getConfiguration().isShutdownHookEnabled()).as("log4j2's own shutdown hook").isFalse();
            for (Line line : lines) {
                context.getLogger(line.logger()).log(line.level(), line.message());
            }
        } finally {
            context.stop();
            System.setErr(stderr);
            restore(LocalLogging.LOG_FILE_PROPERTY, previousFile);
            restore(LocalLogging.CONSOLE_PREFIX_PROPERTY, previousPrefix);
        }
        return console;
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @SafeVarargs
    private static List<Line> concat(List<Line>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
