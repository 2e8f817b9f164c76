package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.processor.enrich.Quote;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class InternalSerdesTest {

    private static final Instant KICKOFF = Instant.parse("2019-08-09T19:00:00.123456789Z");
    private static final String EVENT_ID = "football:e0:2019-08-09:liverpool:norwich-city";

    private static Event event(Integer homeScore) {
        return new Event(EVENT_ID, "football", "E0", KICKOFF, "football:liverpool", "football:norwich-city", "Liverpool",
                null, EventStatus.FINISHED, homeScore, 1, null, 0, List.of("football-data:E0/09/08/2019/Liverpool/Norwich", "x"),
                KICKOFF.plusSeconds(7200));
    }

    private static ReturnRate rate(String home) {
        return new ReturnRate(EVENT_ID + "|B365|1X2", EVENT_ID, "B365", "1X2", KICKOFF, new BigDecimal(home), new BigDecimal("9.50"),
                new BigDecimal("123456789012345678901234567890.5"), new BigDecimal("0.877193"), null, new BigDecimal("-0.1"),
                new BigDecimal("0.970803"), "football-data");
    }

    private static <T> T roundTrip(Serde<T> serde, T value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }

    @Test
    void shouldRoundTripEveryFieldOfAnEntityABundleAndAState() {
        Entity entity = new Entity("football:atletico-madrid", "football", "Atlético Madrid", "atletico-madrid", KICKOFF);
        Entity unaliased = new Entity("football:atleti-b", "football", "Atleti B", "atleti-b", List.of("football-data-org:78"),
                false, KICKOFF);
        EventBundle rename = EventBundle.rename(EVENT_ID, new EventBundle.Rename("football:atleti-b", entity));
        EventBundle moved = new EventBundle(EVENT_ID, event(4), List.of(rate("1.14")), null, List.of(entity, unaliased));
        EntityState entityState = new EntityState(unaliased, 7L, List.of(EVENT_ID, "football:sp1:2019-08-18:x:y"));
        EventBundle bundle = new EventBundle(EVENT_ID, event(4), List.of(rate("1.14"), rate("1.2")));
        EventBundle ratesOnly = new EventBundle(EVENT_ID, null, List.of());
        Map<String, RateHistory> rates = new LinkedHashMap<>();
        Quote opening = new Quote(KICKOFF.minusSeconds(3600), new BigDecimal("1.14"), new BigDecimal("10"), new BigDecimal("19"),
                new BigDecimal("0.971039"), "football-data");
        rates.put(EVENT_ID + "|B365|1X2", new RateHistory(42L, opening, List.of(opening, Quote.of(rate("1.2")))));
        EventState state = new EventState(event(null), -5L, rates, "fingerprint", Long.MAX_VALUE);

        assertThat(roundTrip(InternalSerdes.entity(), entity)).isEqualTo(entity);
        assertThat(roundTrip(InternalSerdes.entity(), unaliased)).isEqualTo(unaliased);
        assertThat(roundTrip(InternalSerdes.entitySighting(), new EntitySighting(unaliased, EVENT_ID)))
                .isEqualTo(new EntitySighting(unaliased, EVENT_ID));
        assertThat(roundTrip(InternalSerdes.entitySighting(), new EntitySighting(entity, null)))
                .isEqualTo(new EntitySighting(entity, null));
        assertThat(roundTrip(InternalSerdes.entityState(), entityState)).isEqualTo(entityState);
        assertThat(roundTrip(InternalSerdes.eventBundle(), rename)).isEqualTo(rename);
        assertThat(roundTrip(InternalSerdes.eventBundle(), moved)).isEqualTo(moved);
        assertThat(roundTrip(InternalSerdes.eventBundle(), bundle)).isEqualTo(bundle);
        assertThat(roundTrip(InternalSerdes.eventBundle(), ratesOnly)).isEqualTo(ratesOnly);
        assertThat(roundTrip(InternalSerdes.eventState(), state)).isEqualTo(state);
        assertThat(roundTrip(InternalSerdes.eventState(), EventState.empty())).isEqualTo(EventState.empty());
        assertThat(InternalSerdes.eventState().serializer().serialize("t", null)).isNull();
        assertThat(InternalSerdes.eventState().deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void shouldRefuseStateOfAnotherFormatAndTruncatedOrTrailingBytes() {
        Serde<EventBundle> serde = InternalSerdes.eventBundle();
        byte[] bytes = serde.serializer().serialize("t", new EventBundle(EVENT_ID, event(4), List.of(rate("1.14"))));
        byte[] otherFormat = bytes.clone();
        otherFormat[0] = (byte) (InternalSerdes.FORMAT + 1);
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", otherFormat))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format " + (InternalSerdes.FORMAT + 1));
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Truncated");
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", trailing))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Trailing");
        // JSON written by the topology of earlier versions is refused, not misread
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", "{\"eventId\":\"x\"}".getBytes()))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldRoundTripQualityCountsAndRefuseAnotherLayout() {
        dev.eventflow.processor.quality.QualityTally tally = dev.eventflow.processor.quality.QualityTally.of(
                new long[] {1, 2, 0, 0, 300_000, 300_001, 4, 9, 0, 1, 7, 7}, -86_400_000L);

        java.util.TreeMap<Long, dev.eventflow.processor.quality.QualityTally> windows = new java.util.TreeMap<>();
        windows.put(-3_600_000L, tally);
        windows.put(1_800_000_000_000L, dev.eventflow.processor.quality.QualityTally.of(new long[12], Long.MIN_VALUE));
        java.util.TreeMap<String, dev.eventflow.processor.quality.QualityTally> runs = new java.util.TreeMap<>();
        runs.put("replay-2026-11-30T10:00:00Z-1a2b", tally);
        QualityPartial partial = roundTrip(InternalSerdes.qualityPartial(), new QualityPartial(windows, runs));
        assertThat(partial.windows()).isEqualTo(windows);
        assertThat(partial.runs()).isEqualTo(runs);
        assertThat(roundTrip(InternalSerdes.qualityPartial(), new QualityPartial(new java.util.TreeMap<>())).windows()).isEmpty();
        QualityBacklog backlog = roundTrip(InternalSerdes.qualityBacklog(), new QualityBacklog(-86_400_000L, windows, runs));
        assertThat(backlog).isEqualTo(new QualityBacklog(-86_400_000L, windows, runs));

        // Written before runs were counted: the same bytes without the runs' count at the end, read with no runs.
        byte[] withoutRuns = InternalSerdes.qualityPartial().serializer().serialize("t", new QualityPartial(windows));
        byte[] oldPartial = java.util.Arrays.copyOf(withoutRuns, withoutRuns.length - 1);
        assertThat(InternalSerdes.qualityPartial().deserializer().deserialize("t", oldPartial))
                .isEqualTo(new QualityPartial(windows, new java.util.TreeMap<>()));
        byte[] backlogWithoutRuns = InternalSerdes.qualityBacklog().serializer()
                .serialize("t", new QualityBacklog(5L, windows, new java.util.TreeMap<>()));
        assertThat(InternalSerdes.qualityBacklog().deserializer().deserialize("t",
                java.util.Arrays.copyOf(backlogWithoutRuns, backlogWithoutRuns.length - 1)))
                .isEqualTo(new QualityBacklog(5L, windows, new java.util.TreeMap<>()));
        QualityWindow window = roundTrip(InternalSerdes.qualityWindow(), new QualityWindow(tally, 12, true, true));
        assertThat(window).isEqualTo(new QualityWindow(tally, 12, true, true));

        // One window whose tally has 2 counts, not 12.
        byte[] shorter = new dev.eventflow.processor.serde.BinaryWriter(8).writeByte(InternalSerdes.FORMAT).writeVarInt(1)
                .writeLong(0).writeVarInt(2).writeVarLong(1).writeVarLong(1).writeLong(0).toByteArray();
        assertThatThrownBy(() -> InternalSerdes.qualityPartial().deserializer().deserialize("t", shorter))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Cannot read a quality tally of 2 counts (this version has 12)");
    }
}
