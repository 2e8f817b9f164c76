package dev.eventflow.processor.enrich;

import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Event;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.processor.normalize.Prices;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/**
 * A summary of several bookmakers' 1X2 prices for one event: best and mean price per outcome,
 * the payout of the best prices combined, the mean of the bookmakers' own payouts.
 * All fields but {@code bookmakers} are null when there are no prices.
 */
public record OddsSummary(
        int bookmakers,
        BigDecimal bestHome,
        BigDecimal bestDraw,
        BigDecimal bestAway,
        BigDecimal avgHome,
        BigDecimal avgDraw,
        BigDecimal avgAway,
        BigDecimal bestPayout,
        BigDecimal avgPayout) {

    private static final MathContext DIVISION = new MathContext(20, RoundingMode.HALF_EVEN);
    public static final OddsSummary EMPTY = new OddsSummary(0, null, null, null, null, null, null, null, null);

    /** Summarizes one rate per bookmaker. */
    public static OddsSummary of(List<ReturnRate> rates) {
        return ofQuotes(rates.stream().map(Quote::of).toList());
    }

    /** Summarizes one quote per bookmaker. */
    public static OddsSummary ofQuotes(List<Quote> rates) {
        if (rates.isEmpty()) {
            return EMPTY;
        }
        BigDecimal bestHome = BigDecimal.ZERO;
        BigDecimal bestDraw = BigDecimal.ZERO;
        BigDecimal bestAway = BigDecimal.ZERO;
        BigDecimal sumHome = BigDecimal.ZERO;
        BigDecimal sumDraw = BigDecimal.ZERO;
        BigDecimal sumAway = BigDecimal.ZERO;
        BigDecimal sumPayout = BigDecimal.ZERO;
        for (Quote rate : rates) {
            bestHome = bestHome.max(rate.home());
            bestDraw = bestDraw.max(rate.draw());
            bestAway = bestAway.max(rate.away());
            sumHome = sumHome.add(rate.home());
            sumDraw = sumDraw.add(rate.draw());
            sumAway = sumAway.add(rate.away());
            sumPayout = sumPayout.add(rate.payout());
        }
        BigDecimal count = BigDecimal.valueOf(rates.size());
        return new OddsSummary(rates.size(),
                Prices.tidy(bestHome), Prices.tidy(bestDraw), Prices.tidy(bestAway),
                mean(sumHome, count), mean(sumDraw, count), mean(sumAway, count),
                Prices.payout(bestHome, bestDraw, bestAway), mean(sumPayout, count));
    }

    /** The enriched record of {@code event} with this summary, valid as of {@code ratesAsOf}. */
    public EnrichedEvent enrich(Event event, Instant ratesAsOf) {
        return new EnrichedEvent(event.id(), event.sport(), event.competition(), event.kickoff(), event.homeEntityId(),
                event.awayEntityId(), event.status(), event.homeScore(), event.awayScore(), bookmakers,
                bestHome, bestDraw, bestAway, avgHome, avgDraw, avgAway, bestPayout, avgPayout, ratesAsOf);
    }

    private static BigDecimal mean(BigDecimal sum, BigDecimal count) {
        return Prices.tidy(sum.divide(count, DIVISION));
    }
}
