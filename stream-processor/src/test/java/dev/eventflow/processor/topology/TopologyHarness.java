package dev.eventflow.processor.topology;

import dev.eventflow.model.DeadLetter;
import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.QualityScore;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicDefinition;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.RawRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The topology in a {@link TopologyTestDriver}, with typed access to its inputs and outputs. */
final class TopologyHarness implements AutoCloseable {

    static final Instant FAILED_AT = Instant.parse("2026-11-22T12:00:00Z");

    final ProcessorConfig config;
    final ProcessorMetrics metrics = ProcessorMetrics.inMemory();
    final EventflowTopics topics;
    final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> rawEvents;
    private final TestInputTopic<byte[], byte[]> rawRates;
    private final TestOutputTopic<String, Entity> entities;
    private final TestOutputTopic<String, Event> events;
    private final TestOutputTopic<String, ReturnRate> rates;
    private final TestOutputTopic<String, EnrichedEvent> enriched;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final TestInputTopic<String, dev.eventflow.model.EntityAlias> aliases;
    private final TestOutputTopic<String, QualityScore> qualityScores;
    private final TestOutputTopic<String, dev.eventflow.model.QualityRunScore> qualityRunScores;
    private final TestInputTopic<String, dev.eventflow.model.IngestRun> ingestRuns;
    private final String applicationId;

    TopologyHarness(Path stateDir) {
        this(ProcessorConfig.defaults(), stateDir);
    }

    TopologyHarness(ProcessorConfig config, Path stateDir) {
        this.config = config;
        this.topics = config.topics();
        Properties props = config.streamsProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        this.applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        props.put("eventflow.metrics", metrics);
        // The driver has no producers to wait for: with idling on, a task whose other raw input is empty
        // would wait for it forever. The real-broker test runs with the configured idle time.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
        driver = new TopologyTestDriver(
                EventflowTopology.buildTopology(config, metrics, Clock.fixed(FAILED_AT, ZoneOffset.UTC)), props, FAILED_AT);
        ByteArraySerializer bytes = new ByteArraySerializer();
        rawEvents = driver.createInputTopic(topics.eventsRaw().name(), bytes, bytes);
        rawRates = driver.createInputTopic(topics.returnRatesRaw().name(), bytes, bytes);
        entities = output(topics.entitiesClean());
        events = output(topics.eventsClean());
        rates = output(topics.returnRatesClean());
        enriched = output(topics.eventsEnriched());
        deadLetters = output(topics.deadLetters());
        qualityScores = output(topics.qualityScores());
        qualityRunScores = output(topics.qualityRunScores());
        ingestRuns = driver.createInputTopic(topics.ingestRuns().name(), topics.ingestRuns().keySerde().serializer(),
                topics.ingestRuns().valueSerde().serializer());
        aliases = driver.createInputTopic(topics.entityAliases().name(), topics.entityAliases().keySerde().serializer(),
                topics.entityAliases().valueSerde().serializer());
    }

    /** Adds an alias as {@code ./eventflow aliases add} does. */
    void pipeAlias(dev.eventflow.model.EntityAlias alias) {
        aliases.pipeInput(alias.sport() + ":" + dev.eventflow.processor.normalize.Names.slug(alias.alias()), alias, alias.addedAt());
    }

    static TopologyHarness create() {
        try {
            return new TopologyHarness(Files.createTempDirectory("eventflow-ttd-"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void pipeEvent(String key, RawEnvelope envelope, Instant timestamp) {
        rawEvents.pipeInput(key.getBytes(StandardCharsets.UTF_8), RawRecords.bytes(envelope), timestamp);
    }

    void pipeRate(String key, RawEnvelope envelope, Instant timestamp) {
        rawRates.pipeInput(key.getBytes(StandardCharsets.UTF_8), RawRecords.bytes(envelope), timestamp);
    }

    void pipeEventBytes(byte[] key, byte[] value) {
        rawEvents.pipeInput(key, value, Instant.parse("2026-11-22T10:00:00Z"));
    }

    void pipe(List<RawRecords.Keyed> records) {
        for (RawRecords.Keyed record : records) {
            Instant timestamp = record.envelope().eventTime() == null ? RawRecords.RECEIVED_AT : record.envelope().eventTime();
            pipeEvent(record.key(), record.envelope(), timestamp);
        }
    }

    List<TestRecord<String, Entity>> entities() {
        return entities.readRecordsToList();
    }

    List<TestRecord<String, Event>> events() {
        return events.readRecordsToList();
    }

    List<TestRecord<String, ReturnRate>> rates() {
        return rates.readRecordsToList();
    }

    List<TestRecord<String, EnrichedEvent>> enriched() {
        return enriched.readRecordsToList();
    }

    List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    /** Every version of every window's quality score sent since the last call, in order. */
    List<TestRecord<String, QualityScore>> qualityScores() {
        return qualityScores.readRecordsToList();
    }

    /** Every version of every ingest run's quality score sent since the last call, in order. */
    List<TestRecord<String, dev.eventflow.model.QualityRunScore>> qualityRunScores() {
        return qualityRunScores.readRecordsToList();
    }

    /** Publishes a run's state on {@code ingest.runs}, as the ingest producer does. */
    void pipeIngestRun(dev.eventflow.model.IngestRun run) {
        ingestRuns.pipeInput(run.runId(), run, run.startedAt());
    }

    /** What was written to a repartition topic since the last call, in order (values as bytes). */
    List<TestRecord<String, byte[]>> repartition(String name) {
        return driver.createOutputTopic(applicationId + "-" + name + "-repartition", new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer()).readRecordsToList();
    }

    /** What was written to a store's changelog since the last call, in order (values as bytes; null for a deletion). */
    List<TestRecord<String, byte[]>> changelog(String store) {
        String topic = applicationId + "-" + store + "-changelog";
        return driver.createOutputTopic(topic, new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer()).readRecordsToList();
    }

    /** Lets wall-clock time pass: punctuators due in it run (the quality taps send their counts on). */
    void advanceWallClock(java.time.Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    static DeadLetter deadLetter(TestRecord<byte[], byte[]> record) {
        return DeadLetter.readFrom(record.headers());
    }

    boolean allOutputsEmpty() {
        return entities.isEmpty() && events.isEmpty() && rates.isEmpty() && enriched.isEmpty() && deadLetters.isEmpty();
    }

    private <K, V> TestOutputTopic<K, V> output(TopicDefinition<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
