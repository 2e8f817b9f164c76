package dev.eventflow.processor.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.processor.normalize.ValidationException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Match objects of football-data.org's v4 API ({@code GET /v4/competitions/{code}/matches}), one per raw
 * record: fixtures and results, no prices. The competition code is translated to eventflow's (the
 * football-data.co.uk division codes: {@code PL} is {@code E0}) so the same match from both providers is
 * one event. See {@code docs/providers.md} for the fields used, the status mapping and what is refused.
 */
public final class FootballDataOrgMapper implements ProviderMapper {

    public static final String PROVIDER = "football-data-org";
    /** The stream processor setting that extends or overrides {@link #DEFAULT_COMPETITIONS}. */
    public static final String COMPETITION_MAP_SETTING = "football-data-org.competition-map";
    static final String SPORT = "football";

    /**
     * football-data.org competition code to eventflow competition code (football-data.co.uk's {@code Div}),
     * for the leagues both providers cover.
     */
    public static final Map<String, String> DEFAULT_COMPETITIONS = Map.ofEntries(
            Map.entry("PL", "E0"),    // Premier League
            Map.entry("ELC", "E1"),   // Championship
            Map.entry("EL1", "E2"),   // League One
            Map.entry("EL2", "E3"),   // League Two
            Map.entry("ENL", "EC"),   // National League
            Map.entry("SPL", "SC0"),  // Scottish Premiership
            Map.entry("BL1", "D1"),   // Bundesliga
            Map.entry("BL2", "D2"),   // 2. Bundesliga
            Map.entry("SA", "I1"),    // Serie A
            Map.entry("SB", "I2"),    // Serie B
            Map.entry("PD", "SP1"),   // Primera División
            Map.entry("SD", "SP2"),   // Segunda División
            Map.entry("FL1", "F1"),   // Ligue 1
            Map.entry("FL2", "F2"),   // Ligue 2
            Map.entry("DED", "N1"),   // Eredivisie
            Map.entry("BJL", "B1"),   // Jupiler Pro League
            Map.entry("PPL", "P1"),   // Primeira Liga
            Map.entry("TSL", "T1"),   // Süper Lig
            Map.entry("GSL", "G1"));  // Super League (Greece)

    /** football-data.org match status to ours. */
    static final Map<String, EventStatus> STATUSES = Map.ofEntries(
            Map.entry("SCHEDULED", EventStatus.SCHEDULED),
            Map.entry("TIMED", EventStatus.SCHEDULED),
            Map.entry("IN_PLAY", EventStatus.LIVE),
            Map.entry("PAUSED", EventStatus.LIVE),
            Map.entry("LIVE", EventStatus.LIVE),
            Map.entry("EXTRA_TIME", EventStatus.LIVE),
            Map.entry("PENALTY_SHOOTOUT", EventStatus.LIVE),
            Map.entry("FINISHED", EventStatus.FINISHED),
            Map.entry("AWARDED", EventStatus.FINISHED),
            Map.entry("POSTPONED", EventStatus.POSTPONED),
            Map.entry("SUSPENDED", EventStatus.POSTPONED),
            Map.entry("CANCELLED", EventStatus.CANCELLED),
            Map.entry("CANCELED", EventStatus.CANCELLED));

    private static final Pattern SOURCE_COMPETITION = Pattern.compile("/competitions/([A-Za-z0-9]+)/matches");

    private final Map<String, String> competitions;

    /** With {@link #DEFAULT_COMPETITIONS}. */
    public FootballDataOrgMapper() {
        this(DEFAULT_COMPETITIONS);
    }

    /** With this competition map (football-data.org code to eventflow code). */
    public FootballDataOrgMapper(Map<String, String> competitions) {
        Map<String, String> upper = new TreeMap<>();
        competitions.forEach((code, ours) -> upper.put(code.strip().toUpperCase(Locale.ROOT), ours.strip()));
        this.competitions = Map.copyOf(upper);
    }

    /**
     * {@link #DEFAULT_COMPETITIONS} with the overrides of {@link #COMPETITION_MAP_SETTING}:
     * {@code CODE=OURS} pairs separated by commas ({@code CL=CL,PL=E0}); {@code CODE=} removes a default.
     */
    public static Map<String, String> competitionMap(String overrides) {
        Map<String, String> map = new LinkedHashMap<>(DEFAULT_COMPETITIONS);
        if (overrides == null || overrides.isBlank()) {
            return Map.copyOf(map);
        }
        for (String pair : overrides.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String code = equals < 0 ? "" : pair.substring(0, equals).strip().toUpperCase(Locale.ROOT);
            if (code.isEmpty() || !code.matches("[A-Z0-9]+")) {
                throw new IllegalArgumentException(COMPETITION_MAP_SETTING + ": '" + pair.strip()
                        + "' is not CODE=COMPETITION (for example CL=CL or PL=E0)");
            }
            String ours = pair.substring(equals + 1).strip();
            if (ours.isEmpty()) {
                map.remove(code);
            } else {
                map.put(code, ours);
            }
        }
        return Map.copyOf(map);
    }

    /** The competition map in use. */
    public Map<String, String> competitions() {
        return competitions;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public MappedRecord map(RawEnvelope envelope, MappingRules rules) throws ValidationException {
        JsonNode match = Payloads.requireObject(envelope.payload());
        String id = Payloads.requireText(match, "id");
        String competition = competition(match, envelope.source());
        Instant kickoff = Payloads.instant(match, "utcDate", "invalid-kickoff");
        if (kickoff == null) {
            throw new ValidationException("missing-field", "missing field utcDate");
        }
        rules.requirePlausible("utcDate", kickoff);
        EventStatus status = status(Payloads.requireText(match, "status"));
        Instant updatedAt = Payloads.instant(match, "lastUpdated", "invalid-timestamp");
        if (updatedAt == null) {
            throw new ValidationException("missing-field", "missing field lastUpdated");
        }

        Entity home = team(rules, match.path("homeTeam"), "homeTeam", updatedAt);
        Entity away = team(rules, match.path("awayTeam"), "awayTeam", updatedAt);

        JsonNode score = match.path("score");
        JsonNode regularTime = score.path("regularTime");
        boolean afterRegularTime = regularTime.isObject() && !regularTime.path("home").isNull() && !regularTime.path("home").isMissingNode();
        String fullField = afterRegularTime ? "score.regularTime" : "score.fullTime";
        Integer[] full = pair(afterRegularTime ? regularTime : score.path("fullTime"), fullField);
        Integer[] half = pair(score.path("halfTime"), "score.halfTime");
        if (status == EventStatus.FINISHED && full[0] == null) {
            throw new ValidationException("missing-field", "finished match without a score: missing "
                    + fullField + ".home and " + fullField + ".away");
        }
        if (half[0] != null && full[0] != null && (half[0] > full[0] || half[1] > full[1])) {
            throw new ValidationException("invalid-score", "half-time score " + half[0] + "-" + half[1]
                    + " exceeds the score " + full[0] + "-" + full[1]);
        }

        String eventId = EventIds.of(SPORT, competition, kickoff.atZone(ZoneOffset.UTC).toLocalDate(), home, away);
        Event event = new Event(eventId, SPORT, competition, kickoff, home.id(), away.id(), home.name(), away.name(),
                status, full[0], full[1], half[0], half[1], List.of(PROVIDER + ":" + id), updatedAt);
        return new MappedRecord(List.of(home, away), event, List.of(), List.of(), 0);
    }

    /**
     * A team by its full {@code name}; when the alias table knows neither it nor its club-form-free forms but
     * knows the {@code shortName} ({@code Man United}), by the short name. {@code tla} is never used: three
     * letters are too ambiguous across leagues. The team's {@code id} is kept as the entity's provider
     * reference {@code football-data-org:<id>}.
     */
    private static Entity team(MappingRules rules, JsonNode team, String field, Instant updatedAt) throws ValidationException {
        String name = Payloads.text(team, "name");
        String shortName = Payloads.text(team, "shortName");
        Entity entity;
        if (name != null && shortName != null && rules.entities().canonical(SPORT, name).isEmpty()
                && rules.entities().canonical(SPORT, shortName).isPresent()) {
            entity = rules.entities().resolve(SPORT, field + ".shortName", shortName, updatedAt);
        } else {
            entity = rules.entities().resolve(SPORT, field + ".name", name, updatedAt);
        }
        JsonNode id = team.path("id");
        return id.isIntegralNumber() || (id.isTextual() && !id.asText().isBlank())
                ? entity.withProviderRefs(List.of(PROVIDER + ":" + id.asText())) : entity;
    }

    /** Our competition code: the match's {@code competition.code} (else the request URL's), translated. */
    private String competition(JsonNode match, String source) throws ValidationException {
        String code = Payloads.text(match.path("competition"), "code");
        if (code == null && source != null) {
            Matcher matcher = SOURCE_COMPETITION.matcher(source);
            if (matcher.find()) {
                code = matcher.group(1);
            }
        }
        if (code == null) {
            throw new ValidationException("missing-field", "missing field competition.code");
        }
        String ours = competitions.get(code.toUpperCase(Locale.ROOT));
        if (ours == null) {
            throw new ValidationException("unmapped-competition", "football-data.org competition '" + code
                    + "' has no eventflow competition code: add " + code.toUpperCase(Locale.ROOT)
                    + "=<code> to the stream processor setting " + COMPETITION_MAP_SETTING);
        }
        return ours;
    }

    private static EventStatus status(String text) throws ValidationException {
        EventStatus status = STATUSES.get(text.toUpperCase(Locale.ROOT));
        if (status == null) {
            throw new ValidationException("invalid-status", "status '" + text + "' is not one of "
                    + STATUSES.keySet().stream().sorted().toList());
        }
        return status;
    }

    /** Home and away of a score node; both null when the node is absent or both are null. */
    private static Integer[] pair(JsonNode node, String field) throws ValidationException {
        if (!node.isObject()) {
            return new Integer[] {null, null};
        }
        Integer home = Payloads.score(node, "home", field + ".home");
        Integer away = Payloads.score(node, "away", field + ".away");
        if ((home == null) != (away == null)) {
            throw new ValidationException("invalid-score", field + " has only one of home and away");
        }
        return new Integer[] {home, away};
    }
}
