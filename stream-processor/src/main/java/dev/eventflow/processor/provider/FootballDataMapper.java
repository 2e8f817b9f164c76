package dev.eventflow.processor.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.model.providers.FootballDataFormat;
import dev.eventflow.processor.normalize.Prices;
import dev.eventflow.processor.normalize.ValidationException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rows of the football-data.co.uk results archive (CSV), as objects of column name to text.
 * Columns are read by name. See {@code docs/providers.md} for the mapping and for how prices are timed.
 */
public final class FootballDataMapper implements ProviderMapper {

    public static final String PROVIDER = FootballDataFormat.PROVIDER;
    static final String SPORT = "football";
    /** When the opening prices were collected: football-data takes them a day or two before the match. */
    static final Duration OPENING_BEFORE_KICKOFF = Duration.ofHours(48);
    /** When a result is final: a football match is over about two hours after kick-off. */
    static final Duration RESULT_AFTER_KICKOFF = Duration.ofHours(2);
    /** Column prefixes of market summaries, not bookmakers (maximum and average prices, Betbrain's). */
    static final Set<String> NOT_BOOKMAKERS = Set.of("MAX", "AVG", "BBMX", "BBAV");
    /** Headers remembered; beyond this the memory starts again (a deployment sees a few dozen file layouts). */
    private static final int MAX_HEADERS = 256;
    private static final Map<String, List<Bookmaker>> BOOKMAKERS_BY_HEADER = new ConcurrentHashMap<>();


    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public MappedRecord map(RawEnvelope envelope, MappingRules rules) throws ValidationException {
        JsonNode row = Payloads.requireObject(envelope.payload());
        if (row.size() == 1 && Payloads.text(row, "Div") == null) {
            String only = row.fieldNames().next();
            String separator = only.contains(";") ? ";" : only.contains("\t") ? "tab" : null;
            if (separator != null) {
                throw new ValidationException("missing-field", "missing field Div: the row has one column, '" + only
                        + "' (a " + separator + "-separated file? football-data files are comma-separated)");
            }
        }
        String competition = Payloads.requireCode(row, "Div");
        String dateText = Payloads.requireText(row, "Date");
        LocalDate date = date(dateText);
        String timeText = Payloads.text(row, "Time");
        Instant kickoff = rules.requirePlausible("Date", kickoff(date, timeText));
        Instant resultTime = kickoff.plus(RESULT_AFTER_KICKOFF);

        Entity home = rules.entities().resolve(SPORT, "HomeTeam", Payloads.text(row, "HomeTeam"), resultTime);
        Entity away = rules.entities().resolve(SPORT, "AwayTeam", Payloads.text(row, "AwayTeam"), resultTime);
        int homeGoals = Payloads.requireScore(row, "FTHG");
        int awayGoals = Payloads.requireScore(row, "FTAG");
        Integer halfTimeHome = Payloads.score(row, "HTHG");
        Integer halfTimeAway = Payloads.score(row, "HTAG");
        checkResult("FTR", Payloads.text(row, "FTR"), homeGoals, awayGoals);
        if ((halfTimeHome == null) != (halfTimeAway == null)) {
            throw new ValidationException("invalid-score", "only one of HTHG and HTAG is given");
        }
        if (halfTimeHome != null) {
            if (halfTimeHome > homeGoals || halfTimeAway > awayGoals) {
                throw new ValidationException("invalid-score", "half-time score " + halfTimeHome + "-" + halfTimeAway
                        + " exceeds full-time score " + homeGoals + "-" + awayGoals);
            }
            checkResult("HTR", Payloads.text(row, "HTR"), halfTimeHome, halfTimeAway);
        }

        String eventId = EventIds.of(SPORT, competition, kickoff.atZone(ZoneOffset.UTC).toLocalDate(), home, away);
        String ref = PROVIDER + ":" + FootballDataFormat.naturalKey(competition, dateText, Payloads.text(row, "HomeTeam"),
                Payloads.text(row, "AwayTeam"));
        Event event = new Event(eventId, SPORT, competition, kickoff, home.id(), away.id(), home.name(), away.name(),
                EventStatus.FINISHED, homeGoals, awayGoals, halfTimeHome, halfTimeAway, List.of(ref), resultTime);

        List<ReturnRate> rates = new ArrayList<>();
        List<ValidationException> rejected = new ArrayList<>();
        int incomplete = 0;
        for (Bookmaker bookmaker : bookmakers(row)) {
            Instant openingTime = kickoff.minus(OPENING_BEFORE_KICKOFF);
            incomplete += addRate(row, rules, eventId, bookmaker.code(), bookmaker.openingPrefix(), openingTime, rates, rejected);
            if (bookmaker.closingPrefix() != null) {
                incomplete += addRate(row, rules, eventId, bookmaker.code(), bookmaker.closingPrefix(), kickoff, rates, rejected);
            }
        }
        return new MappedRecord(List.of(home, away), event, rates, rejected, incomplete);
    }

    /** See {@link FootballDataFormat#date}. */
    static LocalDate date(String text) throws ValidationException {
        try {
            return FootballDataFormat.date(text);
        } catch (FootballDataFormat.InvalidValueException e) {
            throw new ValidationException(e.code(), e.getMessage());
        }
    }

    /** See {@link FootballDataFormat#kickoff}. */
    static Instant kickoff(LocalDate date, String timeText) throws ValidationException {
        try {
            return FootballDataFormat.kickoff(date, timeText);
        } catch (FootballDataFormat.InvalidValueException e) {
            throw new ValidationException(e.code(), e.getMessage());
        }
    }

    private static void checkResult(String field, String result, int home, int away) throws ValidationException {
        if (result == null) {
            return;
        }
        String expected = home > away ? "H" : home < away ? "A" : "D";
        if (!result.equals("H") && !result.equals("D") && !result.equals("A")) {
            throw new ValidationException("invalid-result", field + " '" + result + "' is not H, D or A");
        }
        if (!result.equals(expected)) {
            throw new ValidationException("invalid-result", field + " '" + result + "' contradicts the score " + home + "-" + away);
        }
    }

    /** Bookmakers with an opening 1X2 triplet, and their closing triplet where the file has one. */
    static List<Bookmaker> bookmakers(JsonNode row) {
        // Every row of a file has the same columns: work them out once per header, not once per row.
        StringBuilder header = new StringBuilder(512);
        for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
            header.append(names.next()).append(',');
        }
        String key = header.toString();
        List<Bookmaker> known = BOOKMAKERS_BY_HEADER.get(key);
        if (known != null) {
            return known;
        }
        if (BOOKMAKERS_BY_HEADER.size() >= MAX_HEADERS) {
            BOOKMAKERS_BY_HEADER.clear();
        }
        List<Bookmaker> bookmakers = List.copyOf(bookmakersOf(row));
        BOOKMAKERS_BY_HEADER.put(key, bookmakers);
        return bookmakers;
    }

    private static List<Bookmaker> bookmakersOf(JsonNode row) {
        Set<String> columns = new LinkedHashSet<>();
        for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
            columns.add(names.next());
        }
        Set<String> triplets = new LinkedHashSet<>();
        for (String column : columns) {
            if (column.length() > 1 && column.endsWith("H")) {
                String prefix = column.substring(0, column.length() - 1);
                if (columns.contains(prefix + "D") && columns.contains(prefix + "A")) {
                    triplets.add(prefix);
                }
            }
        }
        List<Bookmaker> bookmakers = new ArrayList<>();
        for (String prefix : triplets) {
            String withoutC = prefix.endsWith("C") ? prefix.substring(0, prefix.length() - 1) : prefix;
            boolean isClosing = !withoutC.equals(prefix) && triplets.contains(withoutC);
            if (isClosing || isMarketSummary(prefix) || isMarketSummary(withoutC)) {
                continue;
            }
            String closing = triplets.contains(prefix + "C") ? prefix + "C" : null;
            bookmakers.add(new Bookmaker(prefix.toUpperCase(Locale.ROOT), prefix, closing));
        }
        return bookmakers;
    }

    private static boolean isMarketSummary(String prefix) {
        return NOT_BOOKMAKERS.contains(prefix.toUpperCase(Locale.ROOT));
    }

    /** Adds the rate of one triplet; returns 1 when it was incomplete (some price missing), else 0. */
    private static int addRate(JsonNode row, MappingRules rules, String eventId, String bookmaker, String prefix,
                               Instant quotedAt, List<ReturnRate> rates, List<ValidationException> rejected) {
        String home = Payloads.text(row, prefix + "H");
        String draw = Payloads.text(row, prefix + "D");
        String away = Payloads.text(row, prefix + "A");
        if (home == null && draw == null && away == null) {
            return 0;
        }
        if (home == null || draw == null || away == null) {
            return 1;
        }
        try {
            BigDecimal h = Prices.parse(prefix + "H", home);
            BigDecimal d = Prices.parse(prefix + "D", draw);
            BigDecimal a = Prices.parse(prefix + "A", away);
            rates.add(rules.returnRate(eventId, bookmaker, quotedAt, h, d, a, PROVIDER));
        } catch (ValidationException e) {
            rejected.add(e);
        }
        return 0;
    }

    /** A bookmaker's code and the column prefixes of its opening and (optional) closing prices. */
    record Bookmaker(String code, String openingPrefix, String closingPrefix) {
    }
}
