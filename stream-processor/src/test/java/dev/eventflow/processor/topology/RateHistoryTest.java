package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.processor.dedup.LatestWins.Verdict;
import dev.eventflow.processor.enrich.Quote;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateHistoryTest {

    private static final Instant T0 = Instant.parse("2019-08-07T19:00:00Z");

    private static Quote quote(long hours, String home, String draw, String away) {
        return new Quote(T0.plusSeconds(hours * 3600), new BigDecimal(home), new BigDecimal(draw), new BigDecimal(away),
                new BigDecimal("0.95"), "football-data");
    }

    @Test
    void shouldJudgeTheSamePricesAtAnyTimeAsADuplicateAdvanceTheVersionAndKeepTheQuoteForTheJoin() {
        // Given a first quote
        RateHistory history = RateHistory.first(quote(0, "1.14", "10", "19"));

        // When the same prices (written differently) come two hours later
        Quote again = quote(2, "1.140", "10.0", "19");
        Verdict verdict = history.judge(again);
        RateHistory next = history.apply(again, verdict);

        // Then nothing new is sent, but the join knows the bookmaker's prices at that time too
        assertThat(verdict).isEqualTo(Verdict.DUPLICATE);
        assertThat(next.version()).isEqualTo(T0.plusSeconds(7200).toEpochMilli());
        assertThat(next.current()).isEqualTo(history.current());
        assertThat(next.quotes()).containsExactly(history.current(), again);
        // and the same duplicate again changes nothing
        assertThat(next.apply(again, next.judge(again))).isSameAs(next);
    }

    @Test
    void shouldShowTheQualityStageAReplayedOldQuoteAsADuplicateAndAQuoteOlderThanTheKeptHistoryAsNotJudged() {
        // Opening at 0 h, closing at 48 h; the history then pruned to the event's time (the closing quote only).
        Quote opening = quote(0, "2.0", "3.4", "3.8");
        Quote closing = quote(48, "1.9", "3.5", "4.2");
        RateHistory full = RateHistory.first(opening);
        full = full.apply(closing, full.judge(closing));
        RateHistory pruned = full.prunedTo(T0.plusSeconds(50 * 3600).toEpochMilli());
        assertThat(pruned.quotes()).containsExactly(closing);

        // A replay of the opening quote: stale for latest-wins either way.
        assertThat(full.judge(opening)).isEqualTo(Verdict.STALE);
        // The quote kept at its time, with the same prices: a duplicate; with other prices: a conflict.
        assertThat(full.qualityVerdict(opening, Verdict.STALE)).isEqualTo(Verdict.DUPLICATE);
        assertThat(full.qualityVerdict(quote(0, "2.2", "3.4", "3.8"), Verdict.STALE)).isEqualTo(Verdict.CONFLICT);
        // Older than every quote kept: the history cannot tell, so the quality stage does not judge it.
        assertThat(pruned.qualityVerdict(opening, Verdict.STALE)).isNull();
        // Between kept quotes and at no kept time: a stale version, as latest-wins says.
        assertThat(full.qualityVerdict(quote(24, "2.5", "3.0", "3.0"), Verdict.STALE)).isEqualTo(Verdict.STALE);
        // Any other verdict as it is.
        assertThat(full.qualityVerdict(closing, Verdict.DUPLICATE)).isEqualTo(Verdict.DUPLICATE);
    }

    @Test
    void shouldGiveTheJoinTheSameQuoteWhicheverOrderAnotherSourcesOlderQuoteArrivesIn() {
        // One bookmaker's prices from two sources of one match: source A at 0 h and the same again at 2 h,
        // source B (other prices) at 1 h. As of 2 h the bookmaker offered A's prices.
        Quote a0 = quote(0, "2.03", "4.24", "3.1");
        Quote b1 = quote(1, "1.54", "3.19", "5.5");
        Quote a2 = quote(2, "2.03", "4.24", "3.1");
        long asOf = T0.plusSeconds(2 * 3600).toEpochMilli();

        RateHistory aFirst = RateHistory.first(a0);
        aFirst = aFirst.apply(a2, aFirst.judge(a2));
        aFirst = aFirst.apply(b1, aFirst.judge(b1));
        RateHistory bFirst = RateHistory.first(b1);
        bFirst = bFirst.apply(a0, bFirst.judge(a0));
        bFirst = bFirst.apply(a2, bFirst.judge(a2));

        assertThat(aFirst.asOf(asOf)).isEqualTo(a2);
        assertThat(bFirst.asOf(asOf)).isEqualTo(a2);
        assertThat(aFirst.version()).isEqualTo(bFirst.version()).isEqualTo(asOf);
    }

    @Test
    void shouldTakeANewerDifferentQuoteAsCurrentAndKeepTheOlderForTheJoin() {
        RateHistory history = RateHistory.first(quote(0, "1.14", "10", "19"));
        Quote closing = quote(48, "1.14", "9.5", "21");

        RateHistory next = history.apply(closing, history.judge(closing));

        assertThat(history.judge(closing)).isEqualTo(Verdict.CHANGED);
        assertThat(next.current()).isEqualTo(closing);
        assertThat(next.quotes()).containsExactly(quote(0, "1.14", "10", "19"), closing);
        assertThat(next.asOf(T0.plusSeconds(3600).toEpochMilli())).isEqualTo(quote(0, "1.14", "10", "19"));
        assertThat(next.asOf(T0.plusSeconds(48 * 3600).toEpochMilli())).isEqualTo(closing);
        assertThat(next.asOf(T0.minusSeconds(1).toEpochMilli())).isNull();
    }

    @Test
    void shouldKeepAStaleQuoteForTheJoinInTimeOrderButNotAsCurrent() {
        RateHistory history = RateHistory.first(quote(10, "2", "3", "4"));
        Quote older = quote(5, "2.1", "3", "4");

        Verdict verdict = history.judge(older);
        RateHistory next = history.apply(older, verdict);

        assertThat(verdict).isEqualTo(Verdict.STALE);
        assertThat(next.current()).isEqualTo(quote(10, "2", "3", "4"));
        assertThat(next.quotes()).containsExactly(older, quote(10, "2", "3", "4"));
    }

    @Test
    void shouldLetTheFirstQuoteAtATimeWinOverALaterDifferentOneAtTheSameTime() {
        // Given a current quote at 10 h and a stale one remembered at 5 h
        RateHistory history = RateHistory.first(quote(10, "2", "3", "4"));
        history = history.apply(quote(5, "2.1", "3", "4"), Verdict.STALE);

        // When another stale quote at 5 h and a conflicting one at 10 h arrive
        RateHistory afterStale = history.apply(quote(5, "2.2", "3", "4"), history.judge(quote(5, "2.2", "3", "4")));
        Verdict conflict = history.judge(quote(10, "2.3", "3", "4"));

        // Then neither rewrites what is known
        assertThat(afterStale).isSameAs(history);
        assertThat(conflict).isEqualTo(Verdict.CONFLICT);
        assertThat(history.apply(quote(10, "2.3", "3", "4"), conflict)).isSameAs(history);
    }

    @Test
    void shouldDropOnlyTheQuotesOlderThanTheNewestAtOrBeforeTheJoinTime() {
        RateHistory history = RateHistory.first(quote(0, "2", "3", "4"));
        history = history.apply(quote(5, "2.1", "3", "4"), Verdict.CHANGED);
        history = history.apply(quote(9, "2.2", "3", "4"), Verdict.CHANGED);

        RateHistory pruned = history.prunedTo(T0.plusSeconds(6 * 3600).toEpochMilli());

        assertThat(pruned.quotes()).containsExactly(quote(5, "2.1", "3", "4"), quote(9, "2.2", "3", "4"));
        assertThat(pruned.asOf(T0.plusSeconds(6 * 3600).toEpochMilli())).isEqualTo(quote(5, "2.1", "3", "4"));
        assertThat(history.prunedTo(T0.minusSeconds(1).toEpochMilli())).isSameAs(history);
        assertThat(pruned.prunedTo(T0.plusSeconds(6 * 3600).toEpochMilli())).isSameAs(pruned);
    }
}
