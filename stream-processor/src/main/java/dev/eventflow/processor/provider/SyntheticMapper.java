package dev.eventflow.processor.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.processor.normalize.Names;
import dev.eventflow.processor.normalize.Prices;
import dev.eventflow.processor.normalize.ValidationException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Event objects of the {@code synthetic} format: eventflow's own JSON format, the one its synthetic feed
 * ({@code ingest generate}) and the benchmarks produce, not a provider's. A fixture with its bookmakers'
 * markets; the payload is defined in {@code docs/providers.md}.
 */
public final class SyntheticMapper implements ProviderMapper {

    public static final String PROVIDER = "synthetic";
    private static final Map<String, EventStatus> STATUSES = Map.of(
            "scheduled", EventStatus.SCHEDULED,
            "live", EventStatus.LIVE,
            "finished", EventStatus.FINISHED,
            "postponed", EventStatus.POSTPONED,
            "cancelled", EventStatus.CANCELLED);

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public MappedRecord map(RawEnvelope envelope, MappingRules rules) throws ValidationException {
        JsonNode payload = Payloads.requireObject(envelope.payload());
        String id = Payloads.requireText(payload, "id");
        String sport = Names.slug(Payloads.requireText(payload, "sport"));
        String league = Payloads.requireCode(payload, "league");
        Instant commence = Payloads.instant(payload, "commence_time", "invalid-kickoff");
        if (commence == null) {
            throw new ValidationException("missing-field", "missing field commence_time");
        }
        rules.requirePlausible("commence_time", commence);
        EventStatus status = status(Payloads.text(payload, "status"));
        Instant updatedAt = lastUpdate(payload);

        Entity home = rules.entities().resolve(sport, "home_team", Payloads.text(payload, "home_team"), updatedAt);
        Entity away = rules.entities().resolve(sport, "away_team", Payloads.text(payload, "away_team"), updatedAt);
        Integer homeScore = null;
        Integer awayScore = null;
        JsonNode scores = payload.get("scores");
        if (scores != null && scores.isObject()) {
            homeScore = Payloads.score(scores, "home", "scores.home");
            awayScore = Payloads.score(scores, "away", "scores.away");
            if ((homeScore == null) != (awayScore == null)) {
                throw new ValidationException("invalid-score", "scores has only one of home and away");
            }
        } else if (scores != null && !scores.isNull()) {
            throw new ValidationException("invalid-score", "scores is not an object");
        }
        if (status == EventStatus.FINISHED && homeScore == null) {
            throw new ValidationException("missing-field", "missing field scores of a finished event");
        }

        String eventId = EventIds.of(sport, league, commence.atZone(ZoneOffset.UTC).toLocalDate(), home, away);
        Event event = new Event(eventId, sport, league, commence, home.id(), away.id(), home.name(), away.name(),
                status, homeScore, awayScore, null, null, List.of(PROVIDER + ":" + id), updatedAt);

        List<ReturnRate> rates = new ArrayList<>();
        List<ValidationException> rejected = new ArrayList<>();
        int incomplete = 0;
        for (JsonNode bookmaker : payload.path("bookmakers")) {
            String key = Payloads.text(bookmaker, "key");
            if (key == null) {
                rejected.add(new ValidationException("missing-field", "a bookmaker has no key"));
                continue;
            }
            if (Payloads.hasControlCharacters(key)) {
                rejected.add(new ValidationException("invalid-field", "a bookmaker key holds control characters"));
                continue;
            }
            String code = key.toUpperCase(Locale.ROOT);
            for (JsonNode market : bookmaker.path("markets")) {
                String marketKey = Payloads.text(market, "key");
                if (marketKey == null || !(marketKey.equalsIgnoreCase("h2h") || marketKey.equalsIgnoreCase("1x2"))) {
                    continue;
                }
                try {
                    Instant quotedAt = firstNonNull(
                            Payloads.instant(market, "last_update", "invalid-timestamp"),
                            Payloads.instant(bookmaker, "last_update", "invalid-timestamp"),
                            updatedAt);
                    ReturnRate rate = rate(market, rules, eventId, code, quotedAt, home, away);
                    if (rate == null) {
                        incomplete++;
                    } else {
                        rates.add(rate);
                    }
                } catch (ValidationException e) {
                    rejected.add(e);
                }
            }
        }
        return new MappedRecord(List.of(home, away), event, rates, rejected, incomplete);
    }

    private static EventStatus status(String text) throws ValidationException {
        if (text == null) {
            return EventStatus.SCHEDULED;
        }
        EventStatus status = STATUSES.get(text.toLowerCase(Locale.ROOT));
        if (status == null) {
            throw new ValidationException("invalid-status", "status '" + text + "' is not one of " + STATUSES.keySet().stream().sorted().toList());
        }
        return status;
    }

    /** The newest of the event's, its bookmakers' and their markets' last_update: the version of this record. */
    private static Instant lastUpdate(JsonNode payload) throws ValidationException {
        Instant latest = Payloads.instant(payload, "last_update", "invalid-timestamp");
        for (JsonNode bookmaker : payload.path("bookmakers")) {
            latest = max(latest, Payloads.instant(bookmaker, "last_update", "invalid-timestamp"));
            for (JsonNode market : bookmaker.path("markets")) {
                latest = max(latest, Payloads.instant(market, "last_update", "invalid-timestamp"));
            }
        }
        if (latest == null) {
            throw new ValidationException("missing-field", "missing field last_update (on the event or a bookmaker)");
        }
        return latest;
    }

    /**
     * The 1X2 rate of one market; null when an outcome is missing. Outcomes are named {@code home},
     * {@code draw}, {@code away}, or by team name in any spelling the alias table knows.
     */
    private static ReturnRate rate(JsonNode market, MappingRules rules, String eventId, String bookmaker, Instant quotedAt,
                                   Entity home, Entity away) throws ValidationException {
        BigDecimal homePrice = null;
        BigDecimal drawPrice = null;
        BigDecimal awayPrice = null;
        for (JsonNode outcome : market.path("outcomes")) {
            String name = Payloads.text(outcome, "name");
            String field = bookmaker + " " + (name == null ? "unnamed outcome" : name);
            if (name == null) {
                throw new ValidationException("invalid-outcome", field + " has no name");
            }
            String slug = Names.slug(name);
            String entityId = slug.isEmpty() ? "" : rules.entities().resolve(home.sport(), field, name, quotedAt).id();
            BigDecimal price = price(field, outcome.get("price"));
            if (slug.equals("draw") || slug.equals("x")) {
                drawPrice = price;
            } else if (slug.equals("home") || entityId.equals(home.id())) {
                homePrice = price;
            } else if (slug.equals("away") || entityId.equals(away.id())) {
                awayPrice = price;
            } else {
                throw new ValidationException("invalid-outcome", bookmaker + " outcome '" + name
                        + "' is neither team nor a draw");
            }
        }
        if (homePrice == null || drawPrice == null || awayPrice == null) {
            return null;
        }
        return rules.returnRate(eventId, bookmaker, quotedAt, homePrice, drawPrice, awayPrice, PROVIDER);
    }

    private static BigDecimal price(String field, JsonNode node) throws ValidationException {
        if (node == null || node.isNull()) {
            throw new ValidationException("invalid-odds", field + " has no price");
        }
        if (node.isNumber()) {
            return Prices.requireAboveOne(field, node.decimalValue());
        }
        return Prices.parse(field, node.asText());
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
