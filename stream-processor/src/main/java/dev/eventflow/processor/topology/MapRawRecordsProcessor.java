package dev.eventflow.processor.topology;

import dev.eventflow.model.Entity;
import dev.eventflow.processor.ProcessorMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Maps every raw record with {@link RawRecordMapper} and forwards what it yields as one {@link MappedRaw}.
 *
 * <p>Nearly every raw record names the same few teams, so most entity records are identical to
 * the one this task sent last for that entity. Sending each through the repartition topic only for
 * {@code entities-latest} to drop it would cost a repartition write and read and a changelog write
 * per record. Instead an identical entity is held back here and counted as a duplicate; all that
 * matters of it downstream is its newer time (latest-wins advances the stored version, so a later
 * stale change is still refused), and that is sent once per {@code bumpInterval} of wall-clock time
 * (a <em>bump</em>: the entity with its newest time, marked with {@link #BUMP_HEADER} so that it is not
 * counted twice), and always before a different version of the same entity from this task, so the
 * order this task sends in is kept. Held-back times still pending when the task closes are not
 * sent: the next identical record after a restart is sent in full.
 */
final class MapRawRecordsProcessor implements Processor<byte[], byte[], byte[], MappedRaw> {

    /** Header of a bump: an entity repeated only to advance its version. */
    static final String BUMP_HEADER = "eventflow.entity.bump";
    /** Entities remembered per task; beyond this the memory is flushed and starts again. */
    private static final int MAX_REMEMBERED = 100_000;

    private final RawRecordMapper sharedMapper;
    private final String aliasStoreName;
    private RawRecordMapper mapper;
    private final ProcessorMetrics metrics;
    private final String entitiesTopic;
    private final Duration bumpInterval;
    private final Map<String, Sent> sent = new HashMap<>();
    private ProcessorContext<byte[], MappedRaw> context;

    /**
     * What this task last sent for an entity (its name, references and whether an alias knows it are all
     * its content; and, for a name no alias knows, the event it was seen in), and the newest identical
     * record held back since.
     */
    private record Sent(String name, List<String> refs, boolean aliased, String eventId, long version, Entity pending,
                        long pendingTimestamp) {

        /** Whether {@code entity}, seen in {@code event}, says nothing this task has not sent. */
        boolean covers(Entity entity, String event) {
            return name.equals(entity.name()) && aliased == entity.aliased() && refs.containsAll(entity.providerRefs())
                    && (aliased || java.util.Objects.equals(eventId, event));
        }

        long newest() {
            return pending == null ? version : Math.max(version, pending.updatedAt().toEpochMilli());
        }
    }

    /**
     * @param aliasStoreName the global store of the aliases added at run time, asked before the alias
     *                       table; null for none
     */
    MapRawRecordsProcessor(RawRecordMapper mapper, String aliasStoreName, ProcessorMetrics metrics, String entitiesTopic,
                           Duration bumpInterval) {
        this.sharedMapper = mapper;
        this.aliasStoreName = aliasStoreName;
        this.metrics = metrics;
        this.entitiesTopic = entitiesTopic;
        this.bumpInterval = bumpInterval;
    }

    @Override
    public void init(ProcessorContext<byte[], MappedRaw> context) {
        this.context = context;
        this.mapper = sharedMapper;
        if (aliasStoreName != null) {
            KeyValueStore<String, String> aliases = context.getStateStore(aliasStoreName);
            this.mapper = sharedMapper.withOverlay(aliases::get);
        }
        context.schedule(bumpInterval, PunctuationType.WALL_CLOCK_TIME, now -> sendPendingBumps());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RawRecordMapper.Source source = context.recordMetadata()
                .map(MapRawRecordsProcessor::source)
                .orElse(new RawRecordMapper.Source("unknown", -1, -1));
        MappedRaw mapped = mapper.map(record.key(), record.value(), source);
        List<Entity> entities = new ArrayList<>(mapped.entities().size());
        String eventId = mapped.bundle() == null ? null : mapped.bundle().eventId();
        for (Entity entity : mapped.entities()) {
            if (!holdBack(entity, eventId, record.timestamp())) {
                entities.add(entity);
            }
        }
        context.forward(record.withValue(entities.size() == mapped.entities().size() ? mapped
                : new MappedRaw(entities, mapped.bundle(), mapped.refused(), mapped.quality())));
    }

    /** Whether {@code entity} is identical to what this task last sent for it (then only its time is kept). */
    private boolean holdBack(Entity entity, String eventId, long timestamp) {
        String key = entity.id();
        long version = entity.updatedAt().toEpochMilli();
        Sent last = sent.get(key);
        if (last != null && last.covers(entity, eventId)) {
            metrics.duplicate(entitiesTopic);
            if (version > last.newest()) {
                sent.put(key, new Sent(last.name(), last.refs(), last.aliased(), last.eventId(), last.version(),
                        entity.withProviderRefs(last.refs()), timestamp));
            }
            return true;
        }
        if (last != null && last.pending() != null) {
            bump(key, last);
        }
        if (sent.size() >= MAX_REMEMBERED) {
            sendPendingBumps();
            sent.clear();
        }
        sent.put(key, new Sent(entity.name(), entity.providerRefs(), entity.aliased(), eventId, version, null, 0));
        return false;
    }

    private void sendPendingBumps() {
        for (Map.Entry<String, Sent> entry : sent.entrySet()) {
            Sent last = entry.getValue();
            if (last.pending() != null) {
                entry.setValue(bump(entry.getKey(), last));
            }
        }
    }

    private Sent bump(String key, Sent last) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(BUMP_HEADER, new byte[0]);
        context.forward(new Record<byte[], MappedRaw>(null, new MappedRaw(List.of(last.pending()), null, null),
                last.pendingTimestamp(), headers));
        return new Sent(last.name(), last.refs(), last.aliased(), last.eventId(), last.newest(), null, 0);
    }

    private static RawRecordMapper.Source source(RecordMetadata metadata) {
        return new RawRecordMapper.Source(metadata.topic(), metadata.partition(), metadata.offset());
    }
}
