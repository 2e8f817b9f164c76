package dev.eventflow.processor.app;

import dev.eventflow.processor.ProcessorConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.tools.StreamsResetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code eventflow processor reset}: makes the next start of the stream processor reprocess its raw
 * topics from the beginning. Kafka's own {@link StreamsResetter} (the class behind
 * {@code kafka-streams-application-reset.sh}) moves the application's committed offsets on the raw
 * topics to the earliest ones and deletes its internal topics (repartition and changelog); then the
 * local state directory of the application ({@code state.dir/<application.id>}) is removed. The clean
 * (output) topics are left alone.
 *
 * <p>It refuses while the application's consumer group has members: a running instance would go on
 * with the state the reset throws away.
 */
public final class ProcessorReset {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorReset.class);
    private static final int ADMIN_TIMEOUT_MS = 30_000;
    private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** StreamsResetter prints to System.out and System.err; one reset at a time may borrow them. */
    private static final Object SYSTEM_STREAMS = new Object();

    /** Why a reset did not run, or did not finish: a message for one line, no stack trace. */
    public static final class ResetException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ResetException(String message) {
            super(message);
        }
    }

    /**
     * What was done (or, on a dry run, would be).
     *
     * @param inputTopics     the raw topics whose committed offsets went back to the earliest ones
     * @param internalTopics  the internal topics deleted
     * @param stateDir        the application's local state directory
     * @param stateDirRemoved whether that directory existed and was removed
     */
    public record Result(String applicationId, boolean dryRun, List<String> inputTopics, List<String> internalTopics,
                         Path stateDir, boolean stateDirRemoved) {
    }

    private ProcessorReset() {
    }

    /** Resets the application of {@code config}; see the class comment. */
    public static Result run(ProcessorConfig config, boolean dryRun) {
        Properties streams = config.streamsProperties();
        String applicationId = config.applicationId();
        String bootstrapServers = streams.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
        Map<String, String> client = clientProperties(streams);
        List<String> inputTopics = List.of(config.topics().eventsRaw().name(), config.topics().returnRatesRaw().name());
        Path stateDir = Path.of(streams.getProperty(StreamsConfig.STATE_DIR_CONFIG)).resolve(applicationId);

        List<String> internalTopics;
        Properties adminConfig = new Properties();
        adminConfig.putAll(client);
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        Admin admin = Admin.create(adminConfig);
        try {
            refuseWhileLive(admin, applicationId);
            Set<String> topics = admin.listTopics(new ListTopicsOptions().timeoutMs(ADMIN_TIMEOUT_MS))
                    .names().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            for (String input : inputTopics) {
                if (!topics.contains(input)) {
                    throw new ResetException("the raw topic " + input + " does not exist on " + bootstrapServers
                            + ": nothing to reprocess there (is it the right cluster?)");
                }
            }
            internalTopics = new ArrayList<>(new TreeSet<>(topics.stream()
                    .filter(topic -> topic.startsWith(applicationId + "-") && StreamsResetter.matchesInternalTopicFormat(topic))
                    .filter(topic -> !inputTopics.contains(topic))
                    .toList()));
        } catch (ExecutionException e) {
            throw new ResetException("Kafka at " + bootstrapServers + " answered with an error: " + e.getCause());
        } catch (TimeoutException e) {
            throw new ResetException("Kafka at " + bootstrapServers + " did not answer within " + ADMIN_TIMEOUT_MS / 1000 + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResetException("interrupted");
        } finally {
            // Not the default close, which waits for calls that cannot complete when Kafka is unreachable.
            admin.close(ADMIN_CLOSE_TIMEOUT);
        }

        resetter(applicationId, bootstrapServers, inputTopics, client, dryRun);

        boolean removed = false;
        if (!dryRun && Files.exists(stateDir)) {
            deleteRecursively(stateDir);
            removed = true;
        }
        return new Result(applicationId, dryRun, inputTopics, List.copyOf(internalTopics), stateDir,
                dryRun ? Files.exists(stateDir) : removed);
    }

    /**
     * The settings the application's own admin client gets (security settings, for example), for the
     * resetter's admin client and consumer; bootstrap servers, the client id and metrics push are the
     * resetter's own.
     */
    static Map<String, String> clientProperties(Properties streams) {
        Map<String, Object> admin = new StreamsConfig(streams).getAdminConfigs("unused");
        Map<String, String> client = new TreeMap<>();
        admin.forEach((key, value) -> {
            if (value != null && !key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                    && !key.equals(CommonClientConfigs.CLIENT_ID_CONFIG)
                    && !key.equals(AdminClientConfig.ENABLE_METRICS_PUSH_CONFIG)) {
                client.put(key, value instanceof Password password ? password.value() : value.toString());
            }
        });
        return client;
    }

    private static void refuseWhileLive(Admin admin, String applicationId)
            throws ExecutionException, InterruptedException, TimeoutException {
        Optional<GroupListing> group = admin.listGroups(new ListGroupsOptions().timeoutMs(ADMIN_TIMEOUT_MS)).all()
                .get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS).stream()
                .filter(listing -> listing.groupId().equals(applicationId)).findFirst();
        if (group.isEmpty()) {
            return;
        }
        if (group.get().type().filter(type -> type != GroupType.CLASSIC && type != GroupType.CONSUMER).isPresent()) {
            throw new ResetException("the application " + applicationId + " is a group of type "
                    + group.get().type().get() + "; the reset handles classic consumer groups only");
        }
        int members = liveMembers(admin, applicationId);
        if (members > 0) {
            throw new ResetException(liveMembersMessage(applicationId, members));
        }
    }

    private static int liveMembers(Admin admin, String applicationId)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            return admin.describeConsumerGroups(Set.of(applicationId), new DescribeConsumerGroupsOptions().timeoutMs(ADMIN_TIMEOUT_MS))
                    .describedGroups().get(applicationId).get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS).members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
    }

    static String liveMembersMessage(String applicationId, int members) {
        return "the application " + applicationId + " still has " + members + " live member" + (members == 1 ? "" : "s")
                + ": stop every instance first";
    }

    /**
     * Runs {@link StreamsResetter#execute(String[], Properties)}: input offsets to the earliest, the
     * internal topics deleted. Its report (System.out and System.err) goes to the log; a failure becomes
     * one line.
     */
    private static void resetter(String applicationId, String bootstrapServers, List<String> inputTopics,
                                 Map<String, String> client, boolean dryRun) {
        List<String> args = new ArrayList<>(List.of("--application-id", applicationId, "--bootstrap-server", bootstrapServers,
                "--input-topics", String.join(",", inputTopics), "--to-earliest"));
        if (dryRun) {
            args.add("--dry-run");
        }
        Properties consumer = new Properties();
        consumer.putAll(client);
        Path commandConfig = null;
        try {
            if (!client.isEmpty()) {
                // The config Properties reach only the resetter's consumer; its admin client (group check,
                // topic deletion) reads the --command-config file. Owner-only: it may hold credentials.
                commandConfig = Files.createTempFile("eventflow-reset-", ".properties",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try (OutputStream out = Files.newOutputStream(commandConfig)) {
                    consumer.store(out, "eventflow processor reset: client settings of " + applicationId);
                }
                args.add("--command-config");
                args.add(commandConfig.toString());
            }
            ByteArrayOutputStream report = new ByteArrayOutputStream();
            int exit;
            synchronized (SYSTEM_STREAMS) {
                PrintStream out = System.out;
                PrintStream err = System.err;
                PrintStream captured = new PrintStream(report, true, StandardCharsets.UTF_8);
                System.setOut(captured);
                System.setErr(captured);
                try {
                    exit = new StreamsResetter().execute(args.toArray(String[]::new), consumer);
                } finally {
                    System.setOut(out);
                    System.setErr(err);
                }
            }
            String text = report.toString(StandardCharsets.UTF_8);
            LOG.debug("StreamsResetter {}:\n{}", args, text);
            if (exit != 0) {
                throw new ResetException(failure(text, applicationId));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the client settings for the reset: " + e.getMessage(), e);
        } finally {
            if (commandConfig != null) {
                try {
                    Files.deleteIfExists(commandConfig);
                } catch (IOException e) {
                    LOG.warn("Cannot delete {}: {}", commandConfig, e.toString());
                }
            }
        }
    }

    /** The one line that says why StreamsResetter failed. */
    private static String failure(String report, String applicationId) {
        if (report.contains("is still active and has following members")) {
            // An instance joined between our check and the resetter's.
            int members = report.split("MemberDescription", -1).length - 1;
            return liveMembersMessage(applicationId, Math.max(members, 1));
        }
        for (String line : report.split("\\R")) {
            if (line.startsWith("ERROR: ")) {
                return "Kafka's StreamsResetter failed: " + line.substring("ERROR: ".length());
            }
        }
        return "Kafka's StreamsResetter failed: " + report.strip().replaceAll("\\R", " ");
    }

    private static void deleteRecursively(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new ResetException("the offsets were reset and the internal topics deleted, but the local state directory "
                    + dir + " could not be removed (" + e + "): remove it before the processor starts again");
        }
    }
}
