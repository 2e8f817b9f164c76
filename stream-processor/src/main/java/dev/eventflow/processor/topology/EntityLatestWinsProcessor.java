package dev.eventflow.processor.topology;

import dev.eventflow.model.Entity;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.dedup.Fingerprints;
import dev.eventflow.processor.dedup.LatestWins;
import dev.eventflow.processor.dedup.Stamp;
import dev.eventflow.processor.normalize.EntityResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-entity step, on entity sightings partitioned by entity id.
 *
 * <ul>
 *   <li>Emits an entity when it is first seen or its content changes; drops repeats and refuses older
 *       versions. Provider references are merged: an entity keeps every provider's id it was ever seen with,
 *       even when the record that carries one is older (only its ids are taken then).</li>
 *   <li>Remembers, for a name no alias knows, the events it was seen in. Every {@code recheckInterval}
 *       (wall clock) it asks the resolver again for each such name, aliases added at run time included;
 *       when one now resolves to another entity, it retires the entity (a tombstone) and sends each of its
 *       events a rename, so the event step moves the event to its new id (and names the other entity
 *       there, which comes back through this step).</li>
 * </ul>
 */
final class EntityLatestWinsProcessor implements Processor<String, EntitySighting, String, EntityOutput> {

    private static final Logger LOG = LoggerFactory.getLogger(EntityLatestWinsProcessor.class);
    /** Events remembered per unaliased entity; beyond this the oldest are forgotten (and not moved). */
    static final int MAX_EVENTS_REMEMBERED = 50_000;

    private final String storeName;
    private final String aliasStoreName;
    private final EntityResolver resolver;
    private final Duration recheckInterval;
    private final String topic;
    private final Retention retention;
    private final ProcessorMetrics metrics;
    private ProcessorContext<String, EntityOutput> context;
    private KeyValueStore<String, EntityState> store;
    private EntityResolver taskResolver;

    EntityLatestWinsProcessor(String storeName, String aliasStoreName, EntityResolver resolver, Duration recheckInterval,
                              String topic, Retention retention, ProcessorMetrics metrics) {
        this.storeName = storeName;
        this.aliasStoreName = aliasStoreName;
        this.resolver = resolver;
        this.recheckInterval = recheckInterval;
        this.topic = topic;
        this.retention = retention;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, EntityOutput> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.taskResolver = resolver;
        if (aliasStoreName != null) {
            KeyValueStore<String, String> aliases = context.getStateStore(aliasStoreName);
            this.taskResolver = resolver.withOverlay(aliases::get);
        }
        retention.schedule(context, store, EntityState::version);
        context.schedule(recheckInterval, PunctuationType.WALL_CLOCK_TIME, this::recheckUnaliased);
    }

    @Override
    public void process(Record<String, EntitySighting> record) {
        Entity incoming = record.value().entity();
        EntityState stored = store.get(record.key());
        Entity candidate = stored == null ? incoming
                : incoming.withProviderRefs(union(stored.entity().providerRefs(), incoming.providerRefs()));
        long version = incoming.updatedAt().toEpochMilli();
        Stamp stamp = stored == null ? null : new Stamp(fingerprint(stored.entity()), stored.version());
        LatestWins.Verdict verdict = LatestWins.judge(stamp, fingerprint(candidate), version);
        if ((verdict == LatestWins.Verdict.STALE || verdict == LatestWins.Verdict.CONFLICT)
                && !stored.entity().providerRefs().containsAll(incoming.providerRefs())) {
            // An older record still adds the provider ids it carries (its name stays refused). The row is stamped with the
            // newest time seen for the entity, never older than any version of it already written (a sink keeps the newest).
            Entity kept = stored.entity();
            Entity filled = new Entity(kept.id(), kept.sport(), kept.name(), kept.normalizedName(), candidate.providerRefs(),
                    kept.aliased(), java.time.Instant.ofEpochMilli(Math.max(stored.version(), kept.updatedAt().toEpochMilli())));
            store.put(record.key(), new EntityState(filled, stored.version(), eventIds(stored, filled, record.value().eventId())));
            metrics.recordOut(topic);
            record.headers().remove(MapRawRecordsProcessor.BUMP_HEADER);
            context.forward(record.withValue(EntityOutput.entity(filled)));
            return;
        }
        Stamp next = LatestWins.next(stamp, verdict, fingerprint(candidate), version);
        Entity kept = verdict.emits() ? candidate : stored.entity();
        List<String> eventIds = eventIds(stored, kept, record.value().eventId());
        if (next != null || stored == null || eventIds != stored.eventIds()) {
            store.put(record.key(), new EntityState(kept, next == null ? stored.version() : next.version(), eventIds));
        }
        boolean bump = record.headers().lastHeader(MapRawRecordsProcessor.BUMP_HEADER) != null;
        switch (verdict) {
            case NEW, CHANGED -> {
                metrics.recordOut(topic);
                record.headers().remove(MapRawRecordsProcessor.BUMP_HEADER);
                context.forward(record.withValue(EntityOutput.entity(candidate)));
            }
            case DUPLICATE -> {
                // A bump repeats records already counted as duplicates where they were held back.
                if (!bump) {
                    metrics.duplicate(topic);
                }
            }
            case STALE -> metrics.refused(topic, "stale");
            case CONFLICT -> metrics.refused(topic, "conflict");
        }
    }

    /** The events to remember for the entity: those of a name no alias knows, with {@code eventId} added. */
    private static List<String> eventIds(EntityState stored, Entity kept, String eventId) {
        List<String> known = stored == null ? List.of() : stored.eventIds();
        if (kept.aliased()) {
            return known.isEmpty() ? known : List.of();
        }
        if (eventId == null || known.contains(eventId)) {
            return known;
        }
        List<String> more = new ArrayList<>(known.size() + 1);
        more.addAll(known.size() >= MAX_EVENTS_REMEMBERED ? known.subList(1, known.size()) : known);
        more.add(eventId);
        return more;
    }

    /** Moves every entity of this task whose name an alias now resolves to another entity. */
    private void recheckUnaliased(long now) {
        List<KeyValue<String, EntityState>> renamed = new ArrayList<>();
        List<KeyValue<String, EntityState>> known = new ArrayList<>();
        try (KeyValueIterator<String, EntityState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, EntityState> entry = all.next();
                Entity entity = entry.value.entity();
                if (entity.aliased()) {
                    continue;
                }
                Optional<String> canonical = taskResolver.canonical(entity.sport(), entity.name());
                if (canonical.isPresent()) {
                    (entity.normalizedName().equals(dev.eventflow.processor.normalize.Names.slug(canonical.get()))
                            ? known : renamed).add(entry);
                }
            }
        }
        for (KeyValue<String, EntityState> entry : known) {
            // An alias now names this very entity: it is known, nothing moves.
            EntityState state = entry.value;
            Entity entity = state.entity();
            Entity aliased = new Entity(entity.id(), entity.sport(), entity.name(), entity.normalizedName(),
                    entity.providerRefs(), true, entity.updatedAt());
            store.put(entry.key, new EntityState(aliased, state.version(), List.of()));
            metrics.recordOut(topic);
            context.forward(new Record<>(entry.key, EntityOutput.entity(aliased), now));
        }
        for (KeyValue<String, EntityState> entry : renamed) {
            rename(entry.key, entry.value, now);
        }
    }

    private void rename(String oldId, EntityState state, long now) {
        Entity old = state.entity();
        String name = taskResolver.canonical(old.sport(), old.name()).orElseThrow();
        String slug = dev.eventflow.processor.normalize.Names.slug(name);
        Entity to = new Entity(old.sport() + ":" + slug, old.sport(), name, slug, old.providerRefs(), true, old.updatedAt());
        store.delete(oldId);
        metrics.recordOut(topic);
        context.forward(new Record<>(oldId, new EntityOutput(null, null), now));
        // The canonical entity reaches entities.clean with the events that move to it (their bundles name it).
        for (String eventId : state.eventIds()) {
            context.forward(new Record<>(eventId, EntityOutput.rename(EventBundle.rename(eventId, new EventBundle.Rename(oldId, to))),
                    now));
        }
        metrics.renamed(state.eventIds().size());
        LOG.info("{} '{}' is now an alias of '{}': entity {} retired, {} event(s) moving to {}", old.sport(), old.name(), name,
                oldId, state.eventIds().size(), to.id());
    }

    private static String fingerprint(Entity entity) {
        return Fingerprints.of(entity);
    }

    private static List<String> union(List<String> a, List<String> b) {
        if (a.containsAll(b)) {
            return a;
        }
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
