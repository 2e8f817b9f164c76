package dev.eventflow.processor.dedup;

import static dev.eventflow.processor.dedup.LatestWins.Verdict.CHANGED;
import static dev.eventflow.processor.dedup.LatestWins.Verdict.CONFLICT;
import static dev.eventflow.processor.dedup.LatestWins.Verdict.DUPLICATE;
import static dev.eventflow.processor.dedup.LatestWins.Verdict.NEW;
import static dev.eventflow.processor.dedup.LatestWins.Verdict.STALE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatestWinsTest {

    static final Stamp STORED = new Stamp("a", 100);

    @Test
    void shouldJudgeEveryCase() {
        assertThat(LatestWins.judge(null, "a", 100)).isEqualTo(NEW);
        assertThat(LatestWins.judge(STORED, "a", 50)).isEqualTo(DUPLICATE);
        assertThat(LatestWins.judge(STORED, "a", 150)).isEqualTo(DUPLICATE);
        assertThat(LatestWins.judge(STORED, "b", 150)).isEqualTo(CHANGED);
        assertThat(LatestWins.judge(STORED, "b", 50)).isEqualTo(STALE);
        assertThat(LatestWins.judge(STORED, "b", 100)).isEqualTo(CONFLICT);
    }

    @Test
    void shouldAdvanceTheStoredTimeOnANewerDuplicateSoALaterStaleChangeIsStillRefused() {
        Stamp afterDuplicate = LatestWins.next(STORED, DUPLICATE, "a", 200);
        assertThat(afterDuplicate).isEqualTo(new Stamp("a", 200));
        assertThat(LatestWins.judge(afterDuplicate, "b", 150)).isEqualTo(STALE);
        assertThat(LatestWins.next(STORED, DUPLICATE, "a", 50)).isNull();
        assertThat(LatestWins.next(STORED, STALE, "b", 50)).isNull();
        assertThat(LatestWins.next(STORED, CHANGED, "b", 150)).isEqualTo(new Stamp("b", 150));
    }

    @Test
    void shouldRoundTripStampsThroughTheirSerde() {
        var serde = Stamp.serde();
        Stamp stamp = new Stamp("Zm9vYmFy", -62_135_596_800_000L);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", stamp))).isEqualTo(stamp);
    }
}
