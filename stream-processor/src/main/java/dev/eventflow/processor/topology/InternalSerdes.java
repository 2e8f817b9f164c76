package dev.eventflow.processor.topology;

import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.processor.enrich.Quote;
import dev.eventflow.processor.quality.QualityTally;
import dev.eventflow.processor.serde.BinaryReader;
import dev.eventflow.processor.serde.BinaryWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary serdes of the topology's repartition topics and stores (entities, event bundles,
 * event states). Each value starts with a format byte, so state written by another format is
 * refused with a clear error instead of being misread. Internal: downstream consumers read the
 * plain-JSON clean topics.
 */
final class InternalSerdes {

    /**
     * Format of every value written here; bump it (and say how to reprocess) when the layout changes.
     * 2: entities carry provider references and whether an alias knows them; entity sightings carry
     * their event; bundles may carry a rename; quotes carry their provider.
     */
    static final int FORMAT = 2;

    private InternalSerdes() {
    }

    static Serde<Entity> entity() {
        return serde("entity", 64, InternalSerdes::writeEntity, InternalSerdes::readEntity);
    }

    static Serde<EntitySighting> entitySighting() {
        return serde("entity sighting", 96, (out, sighting) -> {
            writeEntity(out, sighting.entity());
            out.writeNullableString(sighting.eventId());
        }, in -> new EntitySighting(readEntity(in), in.readNullableString()));
    }

    static Serde<EntityState> entityState() {
        return serde("entity state", 96, (out, state) -> {
            writeEntity(out, state.entity());
            out.writeVarLong(state.version());
            out.writeVarInt(state.eventIds().size());
            state.eventIds().forEach(out::writeString);
        }, in -> {
            Entity entity = readEntity(in);
            long version = in.readVarLong();
            return new EntityState(entity, version, readStrings(in));
        });
    }

    static Serde<EventBundle> eventBundle() {
        return serde("event bundle", 1024, (out, bundle) -> {
            out.writeString(bundle.eventId());
            out.writeBoolean(bundle.event() != null);
            if (bundle.event() != null) {
                writeEvent(out, bundle.event());
            }
            out.writeVarInt(bundle.rates().size());
            bundle.rates().forEach(rate -> writeRate(out, rate));
            out.writeBoolean(bundle.rename() != null);
            if (bundle.rename() != null) {
                out.writeString(bundle.rename().fromEntityId());
                writeEntity(out, bundle.rename().to());
            }
            out.writeVarInt(bundle.entities().size());
            bundle.entities().forEach(entity -> writeEntity(out, entity));
        }, in -> {
            String eventId = in.readString();
            Event event = in.readBoolean() ? readEvent(in) : null;
            int count = in.readVarInt();
            List<ReturnRate> rates = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                rates.add(readRate(in));
            }
            EventBundle.Rename rename = in.readBoolean() ? new EventBundle.Rename(in.readString(), readEntity(in)) : null;
            int entityCount = in.readVarInt();
            List<Entity> entities = new ArrayList<>(entityCount);
            for (int i = 0; i < entityCount; i++) {
                entities.add(readEntity(in));
            }
            return new EventBundle(eventId, event, rates, rename, entities);
        });
    }

    static Serde<EventState> eventState() {
        return serde("event state", 512, (out, state) -> {
            out.writeBoolean(state.event() != null);
            if (state.event() != null) {
                writeEvent(out, state.event());
            }
            out.writeVarLong(state.eventVersion());
            out.writeVarInt(state.rates().size());
            state.rates().forEach((id, history) -> {
                out.writeString(id);
                out.writeVarLong(history.version());
                writeQuote(out, history.current());
                out.writeVarInt(history.quotes().size());
                history.quotes().forEach(quote -> writeQuote(out, quote));
            });
            out.writeNullableString(state.enrichedFingerprint());
            out.writeVarLong(state.lastSeen());
        }, in -> {
            Event event = in.readBoolean() ? readEvent(in) : null;
            long eventVersion = in.readVarLong();
            int count = in.readVarInt();
            Map<String, RateHistory> rates = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String id = in.readString();
                long version = in.readVarLong();
                Quote current = readQuote(in);
                int quoteCount = in.readVarInt();
                List<Quote> quotes = new ArrayList<>(quoteCount);
                for (int q = 0; q < quoteCount; q++) {
                    quotes.add(readQuote(in));
                }
                rates.put(id, new RateHistory(version, current, quotes));
            }
            return new EventState(event, eventVersion, rates, in.readNullableString(), in.readVarLong());
        });
    }

    /**
     * A task's counts of one provider per window and per ingest run: the taps' stores ({@code quality-tap-*}) and the
     * repartition topics. Counts written before runs were counted (the windows only) are read with no runs.
     */
    static Serde<QualityPartial> qualityPartial() {
        return serde("quality partial", 64, (out, partial) -> {
            writeWindows(out, partial.windows());
            writeRuns(out, partial.runs());
        }, in -> {
            SortedMap<Long, QualityTally> windows = readWindows(in);
            return new QualityPartial(windows, readRuns(in));
        });
    }

    private static void writeRuns(BinaryWriter out, SortedMap<String, QualityTally> runs) {
        out.writeVarInt(runs.size());
        runs.forEach((run, tally) -> {
            out.writeString(run);
            writeTally(out, tally);
        });
    }

    /** Counts by ingest run; none when the bytes end before them (written by a version that did not count runs). */
    private static SortedMap<String, QualityTally> readRuns(BinaryReader in) {
        SortedMap<String, QualityTally> runs = new TreeMap<>();
        if (in.atEnd()) {
            return runs;
        }
        int size = in.readVarInt();
        for (int i = 0; i < size; i++) {
            runs.put(in.readString(), readTally(in));
        }
        return runs;
    }

    /** A provider's data time and counts not sent yet, by window and by run ({@code quality-providers}). */
    static Serde<QualityBacklog> qualityBacklog() {
        return serde("quality backlog", 64, (out, backlog) -> {
            out.writeLong(backlog.dataTime());
            writeWindows(out, backlog.unsent());
            writeRuns(out, backlog.unsentRuns());
        }, in -> new QualityBacklog(in.readLong(), readWindows(in), readRuns(in)));
    }

    private static void writeWindows(BinaryWriter out, SortedMap<Long, QualityTally> windows) {
        out.writeVarInt(windows.size());
        for (Map.Entry<Long, QualityTally> window : windows.entrySet()) {
            out.writeLong(window.getKey());
            writeTally(out, window.getValue());
        }
    }

    private static SortedMap<Long, QualityTally> readWindows(BinaryReader in) {
        int size = in.readVarInt();
        SortedMap<Long, QualityTally> windows = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            windows.put(in.readLong(), readTally(in));
        }
        return windows;
    }

    static Serde<QualityWindow> qualityWindow() {
        return serde("quality window", 48, (out, window) -> {
            writeTally(out, window.tally());
            out.writeVarLong(window.version());
            out.writeBoolean(window.closed());
            out.writeBoolean(window.pending());
        }, in -> new QualityWindow(readTally(in), in.readVarLong(), in.readBoolean(), in.readBoolean()));
    }

    private static void writeTally(BinaryWriter out, QualityTally tally) {
        long[] counts = tally.counts();
        out.writeVarInt(counts.length);
        for (long count : counts) {
            out.writeVarLong(count);
        }
        out.writeLong(tally.maxDataTime());
    }

    private static QualityTally readTally(BinaryReader in) {
        int length = in.readVarInt();
        if (length != QualityTally.COUNTS) {
            throw new SerializationException("Cannot read a quality tally of " + length + " counts (this version has "
                    + QualityTally.COUNTS + ")");
        }
        long[] counts = new long[length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = in.readVarLong();
        }
        return QualityTally.of(counts, in.readLong());
    }

    private static <T> Serde<T> serde(String what, int sizeHint, BiConsumer<BinaryWriter, T> write, Function<BinaryReader, T> read) {
        Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            BinaryWriter out = new BinaryWriter(sizeHint).writeByte(FORMAT);
            write.accept(out, value);
            return out.toByteArray();
        };
        Deserializer<T> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            BinaryReader in = new BinaryReader(bytes);
            int format = in.readByte();
            if (format != FORMAT) {
                throw new SerializationException("Cannot read " + what + " of format " + format + " (this version reads format "
                        + FORMAT + "): state written by another version of the topology; reprocess as docs/stream-processor.md says");
            }
            T value = read.apply(in);
            if (!in.atEnd()) {
                throw new SerializationException("Trailing bytes after " + what);
            }
            return value;
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static void writeEntity(BinaryWriter out, Entity entity) {
        out.writeString(entity.id());
        out.writeString(entity.sport());
        out.writeString(entity.name());
        out.writeString(entity.normalizedName());
        out.writeVarInt(entity.providerRefs().size());
        entity.providerRefs().forEach(out::writeString);
        out.writeBoolean(entity.aliased());
        out.writeInstant(entity.updatedAt());
    }

    private static Entity readEntity(BinaryReader in) {
        return new Entity(in.readString(), in.readString(), in.readString(), in.readString(), readStrings(in), in.readBoolean(),
                in.readInstant());
    }

    private static List<String> readStrings(BinaryReader in) {
        int count = in.readVarInt();
        List<String> strings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            strings.add(in.readString());
        }
        return strings;
    }

    private static void writeEvent(BinaryWriter out, Event event) {
        out.writeString(event.id());
        out.writeString(event.sport());
        out.writeString(event.competition());
        out.writeInstant(event.kickoff());
        out.writeString(event.homeEntityId());
        out.writeString(event.awayEntityId());
        out.writeNullableString(event.homeName());
        out.writeNullableString(event.awayName());
        out.writeString(event.status().name());
        out.writeNullableInt(event.homeScore());
        out.writeNullableInt(event.awayScore());
        out.writeNullableInt(event.halfTimeHomeScore());
        out.writeNullableInt(event.halfTimeAwayScore());
        out.writeVarInt(event.providerRefs().size());
        event.providerRefs().forEach(out::writeString);
        out.writeInstant(event.updatedAt());
    }

    private static Event readEvent(BinaryReader in) {
        String id = in.readString();
        String sport = in.readString();
        String competition = in.readString();
        java.time.Instant kickoff = in.readInstant();
        String home = in.readString();
        String away = in.readString();
        String homeName = in.readNullableString();
        String awayName = in.readNullableString();
        EventStatus status = status(in.readString());
        Integer homeScore = in.readNullableInt();
        Integer awayScore = in.readNullableInt();
        Integer halfTimeHome = in.readNullableInt();
        Integer halfTimeAway = in.readNullableInt();
        List<String> refs = readStrings(in);
        return new Event(id, sport, competition, kickoff, home, away, homeName, awayName, status, homeScore, awayScore,
                halfTimeHome, halfTimeAway, refs, in.readInstant());
    }

    private static EventStatus status(String name) {
        try {
            return EventStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("Unknown event status '" + name + "'", e);
        }
    }

    private static void writeRate(BinaryWriter out, ReturnRate rate) {
        out.writeString(rate.id());
        out.writeString(rate.eventId());
        out.writeString(rate.bookmaker());
        out.writeString(rate.market());
        out.writeInstant(rate.quotedAt());
        out.writeDecimal(rate.home());
        out.writeDecimal(rate.draw());
        out.writeDecimal(rate.away());
        out.writeNullableDecimal(rate.impliedHome());
        out.writeNullableDecimal(rate.impliedDraw());
        out.writeNullableDecimal(rate.impliedAway());
        out.writeDecimal(rate.payout());
        out.writeString(rate.provider());
    }

    private static ReturnRate readRate(BinaryReader in) {
        return new ReturnRate(in.readString(), in.readString(), in.readString(), in.readString(), in.readInstant(),
                in.readDecimal(), in.readDecimal(), in.readDecimal(), in.readNullableDecimal(), in.readNullableDecimal(),
                in.readNullableDecimal(), in.readDecimal(), in.readString());
    }

    private static void writeQuote(BinaryWriter out, Quote quote) {
        out.writeInstant(quote.quotedAt());
        out.writeDecimal(quote.home());
        out.writeDecimal(quote.draw());
        out.writeDecimal(quote.away());
        out.writeDecimal(quote.payout());
        out.writeString(quote.provider());
    }

    private static Quote readQuote(BinaryReader in) {
        return new Quote(in.readInstant(), in.readDecimal(), in.readDecimal(), in.readDecimal(), in.readDecimal(), in.readString());
    }
}
