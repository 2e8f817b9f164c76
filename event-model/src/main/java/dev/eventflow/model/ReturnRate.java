package dev.eventflow.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One bookmaker's prices for one market of one event at one time, normalized to decimal odds.
 * Value of {@code return-rates.clean}; the key is {@link #id()}.
 *
 * @param id           {@code eventId|bookmaker|market}
 * @param eventId      id of the {@link Event}
 * @param bookmaker    bookmaker code, upper case, for example {@code B365}
 * @param market       market, for example {@code 1X2}
 * @param quotedAt     when the bookmaker quoted these prices (UTC); the version of this record
 * @param home         decimal odds for a home win
 * @param draw         decimal odds for a draw
 * @param away         decimal odds for an away win
 * @param impliedHome  implied probability of a home win, {@code 1/home}
 * @param impliedDraw  implied probability of a draw, {@code 1/draw}
 * @param impliedAway  implied probability of an away win, {@code 1/away}
 * @param payout       the return rate {@code 1 / (1/home + 1/draw + 1/away)}
 * @param provider     provider the prices came from
 */
public record ReturnRate(
        String id,
        String eventId,
        String bookmaker,
        String market,
        Instant quotedAt,
        BigDecimal home,
        BigDecimal draw,
        BigDecimal away,
        BigDecimal impliedHome,
        BigDecimal impliedDraw,
        BigDecimal impliedAway,
        BigDecimal payout,
        String provider) {

    /** Separator of the parts of {@link #id()}. */
    public static final String ID_SEPARATOR = "|";

    public ReturnRate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(bookmaker, "bookmaker");
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(quotedAt, "quotedAt");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(draw, "draw");
        Objects.requireNonNull(away, "away");
        Objects.requireNonNull(payout, "payout");
        Objects.requireNonNull(provider, "provider");
    }

    /** The key of a return rate: event id, bookmaker and market. */
    public static String idOf(String eventId, String bookmaker, String market) {
        return eventId + ID_SEPARATOR + bookmaker + ID_SEPARATOR + market;
    }
}
