package dev.eventflow.processor.app;

import dev.eventflow.ops.OpsServer;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.topology.EventflowTopology;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.TaskAssignmentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the topology: Kafka Streams, its metrics and health endpoints, and a clean shutdown.
 * Only lifecycle lives here; the topology is {@link EventflowTopology#buildTopology}.
 */
public final class StreamProcessorApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessorApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final OpsServer health;
    private final KafkaStreamsMetrics streamsMetrics;
    private final PrometheusMeterRegistry registry;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private StreamProcessorApp(KafkaStreams streams, OpsServer health, KafkaStreamsMetrics streamsMetrics,
                               PrometheusMeterRegistry registry) {
        this.streams = streams;
        this.health = health;
        this.streamsMetrics = streamsMetrics;
        this.registry = registry;
    }

    /** Builds the topology, starts Streams and the endpoints; returns at once (Streams runs in its own threads). */
    public static StreamProcessorApp start(ProcessorConfig config) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProcessorMetrics metrics = new ProcessorMetrics(registry);
        Properties props = config.streamsProperties();
        props.put("eventflow.metrics", metrics);
        KafkaStreams streams = new KafkaStreams(EventflowTopology.buildTopology(config, metrics, Clock.systemUTC()), props);
        streams.setUncaughtExceptionHandler(StreamProcessorApp::onUncaughtException);
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        for (KafkaStreams.State state : KafkaStreams.State.values()) {
            Gauge.builder("eventflow.processor.state", streams, s -> s.state() == state ? 1 : 0)
                    .description("1 for the state Kafka Streams is in (RUNNING when healthy), 0 for the others")
                    .tag("state", state.name())
                    .register(registry);
        }
        OpsServer health = OpsServer.start(config.metricsHost(), config.metricsPort(), registry::scrape,
                () -> streams.state() != KafkaStreams.State.ERROR && streams.state() != KafkaStreams.State.NOT_RUNNING,
                () -> streams.state() == KafkaStreams.State.RUNNING,
                () -> streams.state().name());
        StreamProcessorApp app = new StreamProcessorApp(streams, health, streamsMetrics, registry);
        streams.setStateListener((now, before) -> {
            LOG.info("Kafka Streams {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                app.stopped.countDown();
            }
        });
        LOG.info("Starting stream processor {} reading {} and {}; metrics and health on port {}", config.applicationId(),
                config.topics().eventsRaw().name(), config.topics().returnRatesRaw().name(), health.port());
        streams.start();
        return app;
    }

    /**
     * A transient failure (a broker that went away, a fenced producer) replaces the stream thread;
     * anything that retrying cannot fix (bad configuration, missing topics, denied access) shuts the
     * application down with one clear log line.
     */
    static StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onUncaughtException(Throwable exception) {
        Throwable cause = exception.getCause() == null ? exception : exception.getCause();
        if (isFatal(exception) || isFatal(cause)) {
            LOG.error("Fatal error, shutting the stream processor down: {}", cause.toString(), exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.warn("Stream thread failed, replacing it: {}", cause.toString(), exception);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private static boolean isFatal(Throwable t) {
        return t instanceof MissingSourceTopicException || t instanceof AuthenticationException
                || t instanceof AuthorizationException || t instanceof InvalidConfigurationException
                || t instanceof UnsupportedVersionException || t instanceof TaskAssignmentException
                || t instanceof Error;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public int healthPort() {
        return health.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Blocks until Streams stops (shutdown, or a fatal error). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops Streams (committing what was processed) and the endpoints. The instance leaves its consumer
     * group at once (Streams' default stays a member until the session times out, 45 s): its tasks move
     * to the other instances without waiting, and {@code eventflow processor reset} can run right after.
     */
    @Override
    public void close() {
        LOG.info("Stopping stream processor");
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
        streamsMetrics.close();
        health.close();
        stopped.countDown();
    }
}
