package dev.eventflow.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * An event joined with a summary of the 1X2 return rates known at the event record's time.
 * Value of {@code events.enriched}; the key is {@link #eventId()}. Flat on purpose: it maps
 * one-to-one onto a table row. The price fields are null while {@link #bookmakers()} is 0.
 *
 * @param eventId      id of the {@link Event}
 * @param sport        sport
 * @param competition  competition code
 * @param kickoff      kick-off instant (UTC)
 * @param homeEntityId home entity id
 * @param awayEntityId away entity id
 * @param status       event status
 * @param homeScore    full-time home goals, or null
 * @param awayScore    full-time away goals, or null
 * @param bookmakers   number of bookmakers whose prices are summarized
 * @param bestHome     highest decimal home price
 * @param bestDraw     highest decimal draw price
 * @param bestAway     highest decimal away price
 * @param avgHome      mean decimal home price
 * @param avgDraw      mean decimal draw price
 * @param avgAway      mean decimal away price
 * @param bestPayout   payout of the best prices combined, {@code 1 / Σ(1/best)}
 * @param avgPayout    mean of the bookmakers' own payouts
 * @param ratesAsOf    the time the row is valid at: the newest source time the event was seen with;
 *                     each bookmaker's newest quote at or before it is summarized
 */
public record EnrichedEvent(
        String eventId,
        String sport,
        String competition,
        Instant kickoff,
        String homeEntityId,
        String awayEntityId,
        EventStatus status,
        Integer homeScore,
        Integer awayScore,
        int bookmakers,
        BigDecimal bestHome,
        BigDecimal bestDraw,
        BigDecimal bestAway,
        BigDecimal avgHome,
        BigDecimal avgDraw,
        BigDecimal avgAway,
        BigDecimal bestPayout,
        BigDecimal avgPayout,
        Instant ratesAsOf) {

    public EnrichedEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(sport, "sport");
        Objects.requireNonNull(competition, "competition");
        Objects.requireNonNull(kickoff, "kickoff");
        Objects.requireNonNull(homeEntityId, "homeEntityId");
        Objects.requireNonNull(awayEntityId, "awayEntityId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(ratesAsOf, "ratesAsOf");
        if (bookmakers < 0) {
            throw new IllegalArgumentException("bookmakers must not be negative: " + bookmakers);
        }
    }
}
