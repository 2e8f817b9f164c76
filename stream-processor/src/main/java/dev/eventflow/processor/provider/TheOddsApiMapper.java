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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Event objects of The Odds API v4 (the-odds-api.com), as published: one object of the {@code /odds}
 * (or historical {@code /odds}) endpoint's array, which has {@code bookmakers}, or of the {@code /scores}
 * endpoint's array, which has {@code completed} and {@code scores}. The sport key becomes a
 * competition code through a configurable map (football-data.co.uk division codes by default, so a
 * match gets the same event id as in the CSV history). See {@code docs/providers.md}.
 */
public final class TheOddsApiMapper implements ProviderMapper {

    public static final String PROVIDER = "the-odds-api";
    /** The stream processor setting that maps sport keys to competition codes. */
    public static final String SPORT_MAP_SETTING = "the-odds-api.sport-map";

    /** The common football leagues, mapped to football-data.co.uk's division codes. */
    public static final Map<String, String> DEFAULT_SPORT_MAP = defaults();

    private static final Pattern ODDS_FORMAT = Pattern.compile("[?&]oddsFormat=([A-Za-z]+)");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final Map<String, String> sportMap;

    /** A mapper with the default sport map. */
    public TheOddsApiMapper() {
        this(Map.of());
    }

    /** A mapper with the default sport map extended (or overridden) by {@code overrides}. */
    public TheOddsApiMapper(Map<String, String> overrides) {
        Map<String, String> map = new LinkedHashMap<>(DEFAULT_SPORT_MAP);
        overrides.forEach((key, code) -> map.put(key.strip().toLowerCase(Locale.ROOT), code.strip()));
        this.sportMap = Map.copyOf(map);
    }

    /**
     * Parses the setting's value: a comma-separated list of {@code sport_key=CODE}, for example
     * {@code soccer_usa_mls=USA1,soccer_epl=E0}.
     */
    public static Map<String, String> parseSportMap(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return map;
        }
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals <= 0 || equals == entry.length() - 1 || entry.substring(equals + 1).isBlank()) {
                throw new IllegalArgumentException(SPORT_MAP_SETTING + " entry '" + entry.strip()
                        + "' is not sport_key=CODE (for example soccer_usa_mls=USA1)");
            }
            map.put(entry.substring(0, equals).strip().toLowerCase(Locale.ROOT), entry.substring(equals + 1).strip());
        }
        return map;
    }

    public Map<String, String> sportMap() {
        return sportMap;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public MappedRecord map(RawEnvelope envelope, MappingRules rules) throws ValidationException {
        JsonNode payload = Payloads.requireObject(envelope.payload());
        String id = Payloads.requireText(payload, "id");
        String sportKey = Payloads.requireText(payload, "sport_key").toLowerCase(Locale.ROOT);
        String competition = sportMap.get(sportKey);
        if (competition == null) {
            throw new ValidationException("unknown-sport", "sport_key '" + sportKey + "' has no competition code: add it to the "
                    + "stream processor setting " + SPORT_MAP_SETTING + " (for example " + SPORT_MAP_SETTING + "=" + sportKey + "=CODE)");
        }
        String sport = sportOf(sportKey);
        JsonNode bookmakers = payload.get("bookmakers");
        boolean isOdds = bookmakers != null && bookmakers.isArray();
        boolean isScores = payload.has("completed");
        if (!isOdds && !isScores) {
            throw new ValidationException("invalid-payload", "neither an odds object (bookmakers array) nor a scores object "
                    + "(completed)");
        }
        Instant commence = Payloads.instant(payload, "commence_time", "invalid-kickoff");
        if (commence == null) {
            throw new ValidationException("missing-field", "missing field commence_time");
        }
        rules.requirePlausible("commence_time", commence);
        Instant updatedAt = updatedAt(payload, isOdds, envelope);

        String homeName = Payloads.text(payload, "home_team");
        String awayName = Payloads.text(payload, "away_team");
        Entity home = rules.entities().resolve(sport, "home_team", homeName, updatedAt);
        Entity away = rules.entities().resolve(sport, "away_team", awayName, updatedAt);
        String eventId = EventIds.of(sport, competition, commence.atZone(ZoneOffset.UTC).toLocalDate(), home, away);

        EventStatus status;
        Integer homeScore = null;
        Integer awayScore = null;
        if (isScores) {
            JsonNode completed = payload.get("completed");
            if (!completed.isBoolean()) {
                throw new ValidationException("invalid-status", "completed '" + completed.asText() + "' is not true or false");
            }
            JsonNode scores = payload.get("scores");
            if (scores != null && !scores.isNull() && !(scores.isArray() && scores.isEmpty())) {
                int[] parsed = scores(scores, rules, sport, homeName, awayName, home, away, updatedAt);
                homeScore = parsed[0];
                awayScore = parsed[1];
            }
            if (completed.booleanValue()) {
                if (homeScore == null) {
                    throw new ValidationException("missing-field", "missing field scores of a completed event");
                }
                status = EventStatus.FINISHED;
            } else {
                status = homeScore == null ? EventStatus.SCHEDULED : EventStatus.LIVE;
            }
        } else {
            // The odds endpoints list upcoming and in-play events: a quote made at or after kick-off is in play.
            status = updatedAt.isBefore(commence) ? EventStatus.SCHEDULED : EventStatus.LIVE;
        }
        Event event = new Event(eventId, sport, competition, commence, home.id(), away.id(), home.name(), away.name(),
                status, homeScore, awayScore, null, null, List.of(PROVIDER + ":" + id), updatedAt);

        List<ReturnRate> rates = new ArrayList<>();
        List<ValidationException> rejected = new ArrayList<>();
        int incomplete = 0;
        if (isOdds) {
            Boolean american = americanBySource(envelope.source());
            for (JsonNode bookmaker : bookmakers) {
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
                    if (!"h2h".equals(Payloads.text(market, "key"))) {
                        continue;
                    }
                    try {
                        Instant quotedAt = Payloads.instant(market, "last_update", "invalid-timestamp");
                        if (quotedAt == null) {
                            quotedAt = Payloads.instant(bookmaker, "last_update", "invalid-timestamp");
                        }
                        if (quotedAt == null) {
                            throw new ValidationException("missing-field", code + " h2h has no last_update (market or bookmaker)");
                        }
                        ReturnRate rate = rate(market, rules, eventId, code, quotedAt, homeName, awayName, home, away, american);
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
        }
        return new MappedRecord(List.of(home, away), event, rates, rejected, incomplete);
    }

    /** {@code soccer_*} is football; any other group keeps its own name ({@code basketball_nba}: basketball). */
    static String sportOf(String sportKey) {
        int underscore = sportKey.indexOf('_');
        String group = underscore < 0 ? sportKey : sportKey.substring(0, underscore);
        return group.equals("soccer") ? "football" : Names.slug(group);
    }

    /**
     * The record's version: odds, the newest bookmaker or market {@code last_update}; scores, the event's
     * {@code last_update}. An object without one (no bookmakers yet, a match not started) is versioned at
     * the envelope's event time, else when the producer received it.
     */
    private static Instant updatedAt(JsonNode payload, boolean isOdds, RawEnvelope envelope) throws ValidationException {
        Instant latest = Payloads.instant(payload, "last_update", "invalid-timestamp");
        if (isOdds) {
            for (JsonNode bookmaker : payload.path("bookmakers")) {
                latest = max(latest, Payloads.instant(bookmaker, "last_update", "invalid-timestamp"));
                for (JsonNode market : bookmaker.path("markets")) {
                    latest = max(latest, Payloads.instant(market, "last_update", "invalid-timestamp"));
                }
            }
        }
        if (latest != null) {
            return latest;
        }
        return envelope.eventTime() != null ? envelope.eventTime() : envelope.receivedAt();
    }

    /** Home and away goals from {@code [{name, score}]}, matched to the teams by name. */
    private static int[] scores(JsonNode scores, MappingRules rules, String sport, String homeName, String awayName,
                                Entity home, Entity away, Instant updatedAt) throws ValidationException {
        if (!scores.isArray()) {
            throw new ValidationException("invalid-score", "scores is not an array");
        }
        Integer homeScore = null;
        Integer awayScore = null;
        for (JsonNode entry : scores) {
            String name = Payloads.text(entry, "name");
            if (name == null) {
                throw new ValidationException("invalid-score", "a score has no team name");
            }
            Integer score = Payloads.score(entry, "score", "score of " + name);
            if (score == null) {
                throw new ValidationException("invalid-score", "score of " + name + " is missing");
            }
            Side side = side(name, rules, sport, homeName, awayName, home, away, updatedAt);
            if (side == Side.HOME) {
                homeScore = score;
            } else if (side == Side.AWAY) {
                awayScore = score;
            } else {
                throw new ValidationException("invalid-score", "score for '" + name + "', neither " + homeName + " nor " + awayName);
            }
        }
        if (homeScore == null || awayScore == null) {
            throw new ValidationException("invalid-score", "scores lacks " + (homeScore == null ? homeName : awayName));
        }
        return new int[] {homeScore, awayScore};
    }

    private enum Side { HOME, DRAW, AWAY, NONE }

    /** Which side a name stands for: the payload's own team names first, then any spelling the alias table knows. */
    private static Side side(String name, MappingRules rules, String sport, String homeName, String awayName, Entity home,
                             Entity away, Instant at) throws ValidationException {
        if (name.equals(homeName)) {
            return Side.HOME;
        }
        if (name.equals(awayName)) {
            return Side.AWAY;
        }
        if (Names.slug(name).equals("draw")) {
            return Side.DRAW;
        }
        String entityId = Names.slug(name).isEmpty() ? "" : rules.entities().resolve(sport, "outcome", name, at).id();
        return entityId.equals(home.id()) ? Side.HOME : entityId.equals(away.id()) ? Side.AWAY : Side.NONE;
    }

    /** The 1X2 rate of one h2h market; null when one of the three outcomes is missing. */
    private static ReturnRate rate(JsonNode market, MappingRules rules, String eventId, String bookmaker, Instant quotedAt,
                                   String homeName, String awayName, Entity home, Entity away, Boolean americanBySource)
            throws ValidationException {
        JsonNode homePrice = null;
        JsonNode drawPrice = null;
        JsonNode awayPrice = null;
        for (JsonNode outcome : market.path("outcomes")) {
            String name = Payloads.text(outcome, "name");
            if (name == null) {
                throw new ValidationException("invalid-outcome", bookmaker + " h2h has an outcome without a name");
            }
            switch (side(name, rules, home.sport(), homeName, awayName, home, away, quotedAt)) {
                case HOME -> homePrice = outcome.get("price");
                case DRAW -> drawPrice = outcome.get("price");
                case AWAY -> awayPrice = outcome.get("price");
                case NONE -> throw new ValidationException("invalid-outcome", bookmaker + " outcome '" + name
                        + "' is neither " + homeName + ", " + awayName + " nor Draw");
            }
        }
        if (homePrice == null || drawPrice == null || awayPrice == null) {
            return null;
        }
        BigDecimal[] raw = {number(bookmaker + " " + homeName, homePrice), number(bookmaker + " Draw", drawPrice),
            number(bookmaker + " " + awayName, awayPrice)};
        boolean american = americanBySource != null ? americanBySource : looksAmerican(raw);
        String[] fields = {bookmaker + " " + homeName, bookmaker + " Draw", bookmaker + " " + awayName};
        BigDecimal[] decimal = new BigDecimal[3];
        for (int i = 0; i < 3; i++) {
            decimal[i] = american ? Prices.fromAmerican(fields[i], raw[i]) : Prices.requireAboveOne(fields[i], raw[i]);
        }
        return rules.returnRate(eventId, bookmaker, quotedAt, decimal[0], decimal[1], decimal[2], PROVIDER);
    }

    private static BigDecimal number(String field, JsonNode price) throws ValidationException {
        if (price == null || price.isNull()) {
            throw new ValidationException("invalid-odds", field + " has no price");
        }
        if (price.isNumber()) {
            return price.decimalValue();
        }
        try {
            return new BigDecimal(price.asText().strip());
        } catch (NumberFormatException e) {
            throw new ValidationException("invalid-odds", field + " '" + price.asText() + "' is not a number");
        }
    }

    /**
     * The poll setting recorded in the envelope's source URL: {@code oddsFormat=american} (true),
     * {@code oddsFormat=decimal} (false), or null when the source does not say.
     */
    static Boolean americanBySource(String source) {
        if (source == null) {
            return null;
        }
        Matcher matcher = ODDS_FORMAT.matcher(source);
        if (!matcher.find()) {
            return null;
        }
        return matcher.group(1).equalsIgnoreCase("american");
    }

    /**
     * Without the poll setting: American when every price is at least 100 in size, as every American line is (-110,
     * +250). Else decimal, so that a negative price among decimal ones is refused as what it is, a decimal price not
     * above 1.0, rather than turning the market's good prices into American lines too small to be any.
     */
    static boolean looksAmerican(BigDecimal[] prices) {
        for (BigDecimal price : prices) {
            if (price.abs().compareTo(HUNDRED) < 0) {
                return false;
            }
        }
        return true;
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static Map<String, String> defaults() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("soccer_epl", "E0");
        map.put("soccer_efl_champ", "E1");
        map.put("soccer_england_league1", "E2");
        map.put("soccer_england_league2", "E3");
        map.put("soccer_spain_la_liga", "SP1");
        map.put("soccer_spain_segunda_division", "SP2");
        map.put("soccer_germany_bundesliga", "D1");
        map.put("soccer_germany_bundesliga2", "D2");
        map.put("soccer_italy_serie_a", "I1");
        map.put("soccer_italy_serie_b", "I2");
        map.put("soccer_france_ligue_one", "F1");
        map.put("soccer_france_ligue_two", "F2");
        map.put("soccer_netherlands_eredivisie", "N1");
        map.put("soccer_portugal_primeira_liga", "P1");
        map.put("soccer_belgium_first_div", "B1");
        map.put("soccer_turkey_super_league", "T1");
        map.put("soccer_greece_super_league", "G1");
        map.put("soccer_spl", "SC0");
        return java.util.Collections.unmodifiableMap(map);
    }
}
