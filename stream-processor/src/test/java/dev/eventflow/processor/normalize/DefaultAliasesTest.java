package dev.eventflow.processor.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventflow.model.Event;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.RawRecords;
import dev.eventflow.processor.provider.FootballDataMapper;
import dev.eventflow.processor.provider.MappingRules;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in alias table on the spellings of real providers: football-data.co.uk's CSV files, The
 * Odds API's full names and football-data.org's {@code name} and {@code shortName}.
 */
class DefaultAliasesTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final AliasTable TABLE = AliasTable.builtIn();
    static final EntityResolver RESOLVER = new EntityResolver(TABLE);

    /**
     * Spellings the built-in table deliberately leaves out because each names two clubs in the files:
     * "Leipzig" is VfB Leipzig in the 1990s (RB Leipzig was founded in 2009), "Airdrie" the
     * Airdrieonians dissolved in 2002, "Kayseri" (1994-98) a name Kayserispor and Kayseri Erciyesspor
     * swapped, "Madeira" (1994-95) a club not identified for sure.
     */
    static final Set<String> LEFT_OUT = Set.of("Leipzig", "Airdrie", "Kayseri", "Madeira");

    static String id(String name) throws ValidationException {
        return RESOLVER.resolve("football", "team", name, NOW).id();
    }

    /** Expected entity id, then football-data.co.uk, The Odds API and football-data.org spellings of the club. */
    static Stream<Arguments> sameClub() {
        return Stream.of(
                club("middlesbrough", "Middlesboro", "Middlesbrough", "Middlesbrough FC"),
                club("manchester-united", "Man United", "Manchester United", "Manchester United FC", "Man Utd"),
                club("manchester-city", "Man City", "Manchester City", "Manchester City FC"),
                club("wolverhampton-wanderers", "Wolves", "Wolverhampton Wanderers", "Wolverhampton Wanderers FC", "Wolverhampton"),
                club("brighton-and-hove-albion", "Brighton", "Brighton and Hove Albion", "Brighton & Hove Albion FC", "Brighton Hove"),
                club("tottenham-hotspur", "Tottenham", "Tottenham Hotspur", "Tottenham Hotspur FC"),
                club("nottingham-forest", "Nott'm Forest", "Nottingham Forest", "Nottingham Forest FC", "Nottingham"),
                club("sheffield-wednesday", "Sheffield Weds", "Sheffield Wednesday", "Sheffield Wednesday FC"),
                club("sheffield-united", "Sheffield United", "Sheffield Utd", "Sheffield United FC"),
                club("peterborough-united", "Peterboro", "Peterborough United", "Peterborough United FC"),
                club("dagenham-and-redbridge", "Dag and Red", "Dagenham and Redbridge", "Dagenham & Redbridge FC"),
                club("west-bromwich-albion", "West Brom", "West Bromwich Albion", "West Bromwich Albion FC"),
                club("west-ham-united", "West Ham", "West Ham United", "West Ham United FC"),
                club("queens-park-rangers", "QPR", "Queens Park Rangers", "Queens Park Rangers FC"),
                club("afc-bournemouth", "Bournemouth", "AFC Bournemouth"),
                club("newcastle-united", "Newcastle", "Newcastle United", "Newcastle United FC"),
                club("leicester-city", "Leicester", "Leicester City", "Leicester City FC"),
                club("luton-town", "Luton", "Luton Town", "Luton Town FC"),
                club("ipswich-town", "Ipswich", "Ipswich Town", "Ipswich Town FC"),
                club("huddersfield-town", "Huddersfield", "Huddersfield Town", "Huddersfield Town AFC"),
                club("swansea-city", "Swansea", "Swansea City", "Swansea City AFC"),
                club("preston-north-end", "Preston", "Preston North End", "Preston North End FC"),
                club("milton-keynes-dons", "Milton Keynes Dons", "MK Dons"),
                club("ebbsfleet-united", "Gravesend", "Ebbsfleet", "Ebbsfleet United"),
                club("king-s-lynn-town", "King’s Lynn", "King's Lynn", "Kings Lynn"),
                club("heart-of-midlothian", "Hearts", "Heart of Midlothian"),
                club("inverness-caledonian-thistle", "Inverness C", "Inverness Caledonian Thistle"),
                club("borussia-monchengladbach", "M'gladbach", "M'Gladbach", "Borussia Monchengladbach", "Borussia Mönchengladbach"),
                club("bayern-munich", "Bayern Munich", "FC Bayern München", "Bayern"),
                club("borussia-dortmund", "Dortmund", "Borussia Dortmund"),
                club("bayer-leverkusen", "Leverkusen", "Bayer Leverkusen", "Bayer 04 Leverkusen"),
                club("eintracht-frankfurt", "Ein Frankfurt", "Eintracht Frankfurt", "Frankfurt"),
                club("fc-koln", "FC Koln", "F Koln", "1. FC Köln", "FC Köln"),
                club("tsg-hoffenheim", "Hoffenheim", "TSG Hoffenheim", "TSG 1899 Hoffenheim"),
                club("mainz-05", "Mainz", "FSV Mainz 05", "1. FSV Mainz 05"),
                club("werder-bremen", "Werder Bremen", "SV Werder Bremen", "Bremen"),
                club("union-berlin", "Union Berlin", "1. FC Union Berlin"),
                club("vfl-bochum", "Bochum", "VfL Bochum", "VfL Bochum 1848"),
                club("st-pauli", "St Pauli", "St. Pauli", "FC St. Pauli", "FC St. Pauli 1910"),
                club("1860-munich", "Munich 1860", "TSV 1860 München"),
                club("atletico-madrid", "Ath Madrid", "Atlético Madrid", "Club Atlético de Madrid", "Atleti"),
                club("athletic-bilbao", "Ath Bilbao", "Athletic Bilbao", "Athletic Club", "Athletic"),
                club("barcelona", "Barcelona", "FC Barcelona", "Barça"),
                club("real-madrid", "Real Madrid", "Real Madrid CF"),
                club("real-sociedad", "Sociedad", "Real Sociedad", "Real Sociedad de Fútbol"),
                club("real-betis", "Betis", "Real Betis", "Real Betis Balompié"),
                club("celta-vigo", "Celta", "Celta Vigo", "RC Celta de Vigo"),
                club("espanyol", "Espanol", "Espanyol", "RCD Espanyol de Barcelona"),
                club("sporting-gijon", "Sp Gijon", "Sporting Gijón", "Real Sporting de Gijón"),
                club("villarreal", "Villareal", "Villarreal", "Villarreal CF"),
                club("deportivo-la-coruna", "La Coruna", "Deportivo La Coruna", "RC Deportivo La Coruña"),
                club("alaves", "Alaves", "Alavés", "Deportivo Alavés"),
                club("osasuna", "Osasuna", "CA Osasuna"),
                club("lleida", "Lerida", "Lleida", "UE Lleida"),
                club("inter-milan", "Inter", "Inter Milan", "FC Internazionale Milano"),
                club("ac-milan", "Milan", "AC Milan"),
                club("napoli", "Napoli", "SSC Napoli"),
                club("roma", "Roma", "AS Roma"),
                club("lazio", "Lazio", "SS Lazio"),
                club("fiorentina", "Fiorentina", "ACF Fiorentina"),
                club("hellas-verona", "Verona", "Hellas Verona", "Hellas Verona FC"),
                club("atalanta", "Atalanta", "Atalanta BC"),
                club("bologna", "Bologna", "Bologna FC 1909"),
                club("parma", "Parma", "Parma Calcio 1913"),
                club("sassuolo", "Sassuolo", "US Sassuolo Calcio"),
                club("genoa", "Genoa", "Genoa CFC"),
                club("paris-saint-germain", "Paris SG", "Paris Saint Germain", "Paris Saint-Germain FC", "PSG"),
                club("marseille", "Marseille", "Olympique de Marseille"),
                club("lyon", "Lyon", "Olympique Lyonnais"),
                club("saint-etienne", "St Etienne", "Saint Etienne", "AS Saint-Étienne"),
                club("monaco", "Monaco", "AS Monaco FC"),
                club("rennes", "Rennes", "Stade Rennais FC 1901"),
                club("lille", "Lille", "Lille OSC"),
                club("lens", "Lens", "RC Lens"),
                club("brest", "Brest", "Stade Brestois 29"),
                club("psv-eindhoven", "PSV Eindhoven", "PSV"),
                club("ajax", "Ajax", "AFC Ajax"),
                club("fc-twente", "Twente", "FC Twente", "FC Twente '65"),
                club("nec-nijmegen", "Nijmegen", "NEC Nijmegen", "NEC"),
                club("fortuna-sittard", "For Sittard", "Fortuna Sittard"),
                club("pec-zwolle", "Zwolle", "PEC Zwolle"),
                club("sporting-cp", "Sp Lisbon", "Sporting Lisbon", "Sporting Clube de Portugal", "Sporting CP"),
                club("porto", "Porto", "FC Porto"),
                club("benfica", "Benfica", "SL Benfica"),
                club("braga", "Sp Braga", "Sporting Braga", "SC Braga"),
                club("vitoria-guimaraes", "Guimaraes", "Vitória SC"),
                club("vitoria-setubal", "Setubal", "Vitória FC"),
                club("chaves", "Desp. Chaves", "Chaves", "GD Chaves"),
                club("club-brugge", "Club Brugge", "Club Brugge KV"),
                club("standard-liege", "Standard", "Standard Liege"),
                club("sint-truiden", "St Truiden", "Sint-Truiden"),
                club("istanbul-basaksehir", "Buyuksehyr", "Istanbul Basaksehir", "İstanbul Başakşehir FK"),
                club("kasimpasa", "Kasimpasa", "Kasımpaşa", "Kasimpasa SK"),
                club("besiktas", "Besiktas", "Besiktas JK"),
                club("fenerbahce", "Fenerbahce", "Fenerbahçe"),
                club("olympiacos", "Olympiakos", "Olympiacos", "Olympiacos Piraeus"),
                club("aek-athens", "AEK", "AEK Athens"),
                club("pas-giannina", "Giannina", "Yiannina", "PAS Giannina"));
    }

    static Arguments club(String id, String... spellings) {
        return arguments("football:" + id, List.of(spellings));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sameClub")
    void shouldResolveEveryProvidersSpellingOfAClubToOneEntity(String expectedId, List<String> spellings) throws ValidationException {
        for (String spelling : spellings) {
            assertThat(id(spelling)).as(spelling).isEqualTo(expectedId);
        }
    }

    /** Pairs of different clubs, many of them a word apart. */
    static Stream<Arguments> differentClubs() {
        return Stream.of(
                arguments("AC Milan", "Inter"), arguments("Milan", "Inter Milan"), arguments("AC Milan", "FC Internazionale Milano"),
                arguments("Sporting CP", "Sporting Gijon"), arguments("Sp Lisbon", "Sp Gijon"), arguments("Sporting Braga", "Sporting CP"),
                arguments("Real Madrid", "Real Sociedad"), arguments("Real Madrid", "Real Madrid B"), arguments("Atletico Madrid", "Ath Madrid B"),
                arguments("Ath Madrid", "Ath Bilbao"), arguments("Sevilla", "Sevilla B"), arguments("Barcelona", "Barcelona B"),
                arguments("Manchester City", "Manchester United"), arguments("Man City", "Man United"),
                arguments("Sheffield United", "Sheffield Weds"), arguments("Bristol City", "Bristol Rvs"),
                arguments("Dundee", "Dundee United"), arguments("Rangers", "QPR"), arguments("Rangers", "Berwick"),
                arguments("Celtic", "Farsley"), arguments("Oxford", "Oxford City"),
                arguments("AFC Wimbledon", "Wimbledon"), arguments("AFC Wimbledon", "Milton Keynes Dons"),
                arguments("Wimbledon", "Milton Keynes Dons"),
                arguments("Bastia", "CA Bastia"), arguments("Ajaccio", "Ajaccio GFCO"), arguments("AC Ajaccio", "GFC Ajaccio"),
                arguments("FSV Frankfurt", "Eintracht Frankfurt"), arguments("Frankfurt FSV", "Ein Frankfurt"),
                arguments("Munich 1860", "Bayern Munich"), arguments("TSV 1860 München", "FC Bayern München"),
                arguments("Stuttgart", "Stuttgarter K"), arguments("Hamburg", "St Pauli"), arguments("Dortmund", "M'gladbach"),
                arguments("Leipzig", "RB Leipzig"), arguments("VfB Leipzig", "RB Leipzig"),
                arguments("Vitória SC", "Vitória FC"), arguments("Guimaraes", "Setubal"),
                arguments("Gaziantepspor", "Gaziantep FK"), arguments("Malatyaspor", "Yeni Malatyaspor"),
                arguments("Ankaraspor", "Istanbul Basaksehir"), arguments("Erciyesspor", "Kayserispor"),
                arguments("Olympiakos", "Olympiakos Volou"), arguments("Ethnikos", "Eth Asteras"),
                arguments("Verona", "Chievo"), arguments("Beveren", "Waasland-Beveren"), arguments("Cercle Brugge", "Club Brugge"),
                arguments("Airdrie", "Airdrie Utd"), arguments("Granada", "Granada 74"), arguments("Murcia", "Ciudad de Murcia"));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("differentClubs")
    void shouldKeepDifferentClubsApart(String one, String other) throws ValidationException {
        assertThat(id(one)).isNotEqualTo(id(other));
    }

    @Test
    void shouldGiveEachAliasOneCanonicalNameAndNoCanonicalNameToAnotherClub() throws IOException {
        // Read independently of the parser: every spelling (canonical or alias) on exactly one line
        Map<String, String> canonicalBySlug = new HashMap<>();
        Map<String, List<String>> clashes = new TreeMap<>();
        Set<String> canonicals = new TreeSet<>();
        for (String line : resourceLines("/aliases/default-aliases.txt")) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#") || text.startsWith("[")) {
                continue;
            }
            String canonical = text.substring(0, text.indexOf('=')).strip();
            assertThat(canonicals.add(canonical)).as("canonical name on two lines: " + canonical).isTrue();
            List<String> spellings = new ArrayList<>(List.of(canonical));
            for (String alias : text.substring(text.indexOf('=') + 1).split(",")) {
                if (!alias.isBlank()) {
                    spellings.add(alias.strip());
                }
            }
            for (String spelling : spellings) {
                String previous = canonicalBySlug.putIfAbsent(Names.slug(spelling), canonical);
                if (previous != null && !previous.equals(canonical)) {
                    clashes.put(spelling, List.of(previous, canonical));
                }
            }
        }
        assertThat(clashes).as("spellings of two clubs").isEmpty();
        // No canonical name is an alias of another club, and the parsed table agrees
        for (String canonical : canonicals) {
            assertThat(TABLE.canonical("football", canonical)).as(canonical).contains(canonical);
        }
        assertThat(TABLE.entries("football")).isEqualTo(canonicalBySlug);
        assertThat(canonicals).hasSizeGreaterThan(700);
    }

    @Test
    void shouldNotLetTheClubFormRuleTakeAnAliasToAnotherClub() {
        // Every spelling in the table, were it missing, would find its own club or none by the rule
        Map<String, String> entries = TABLE.entries("football");
        Map<String, String> elsewhere = new TreeMap<>();
        entries.forEach((slug, canonical) -> {
            for (String shorter : EntityResolver.withoutClubForm(slug)) {
                String found = entries.get(shorter);
                if (found != null) {
                    if (!found.equals(canonical)) {
                        elsewhere.put(slug, found);
                    }
                    break;
                }
            }
        });
        // the few that would: found as they are, they never reach the rule
        assertThat(elsewhere).isEqualTo(Map.of("afc-wimbledon", "Wimbledon"));
    }

    @Test
    void shouldRemoveClubFormWordsFromTheEndsFewestFirst() {
        assertThat(EntityResolver.withoutClubForm("1. FC Köln")).containsExactly("fc-koln", "koln");
        assertThat(EntityResolver.withoutClubForm("Parma Calcio 1913")).containsExactly("parma-calcio", "parma");
        assertThat(EntityResolver.withoutClubForm("AC Pisa 1909")).containsExactly("ac-pisa", "pisa-1909", "pisa");
        assertThat(EntityResolver.withoutClubForm("Club Atlético de Madrid")).containsExactly("atletico-de-madrid");
        assertThat(EntityResolver.withoutClubForm("FC Schalke 04")).containsExactly("schalke-04");
        assertThat(EntityResolver.withoutClubForm("Real Madrid")).isEmpty();
        assertThat(EntityResolver.withoutClubForm("Sporting CP")).isEmpty();
        assertThat(EntityResolver.withoutClubForm("FC")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"FC Arsenal", "FC Liverpool", "Torino Calcio", "AC Fiorentina", "Everton FC 1878", "SC Paderborn 07 FC"})
    void shouldFindAClubByTheClubFormRuleWhenTheSpellingIsNotInTheTable(String spelling) throws ValidationException {
        assertThat(TABLE.canonical("football", spelling)).isEmpty();
        assertThat(RESOLVER.canonical("football", spelling)).isPresent();
        assertThat(id(spelling)).isNotEqualTo("football:" + Names.slug(spelling));
    }

    @Test
    void shouldKeepAnUnknownNameAsItsOwnEntityUnderItsOwnSpelling() throws ValidationException {
        assertThat(RESOLVER.resolve("football", "team", "FC  Nowhere United", NOW))
                .isEqualTo(new dev.eventflow.model.Entity("football:fc-nowhere-united", "football", "FC Nowhere United",
                        "fc-nowhere-united", List.of(), false, NOW));
        assertThat(id("Leipzig")).isEqualTo("football:leipzig");
        assertThat(id("VfB Leipzig")).isEqualTo("football:vfb-leipzig");
    }

    @Test
    void shouldKnowEveryTeamOfTheSampleSeasons() throws ValidationException {
        Set<String> canonicals = new TreeSet<>(TABLE.entries("football").values());
        Map<String, String> unknown = new TreeMap<>();
        int teams = 0;
        for (String file : List.of("E0_2019-20.csv", "E0_2004-05.csv", "SP1_2012-13.csv")) {
            for (RawRecords.Keyed row : RawRecords.footballData(RawRecords.DATA.resolve(file))) {
                JsonNode payload = row.envelope().payload();
                for (String column : List.of("HomeTeam", "AwayTeam")) {
                    String team = payload.path(column).asText();
                    teams++;
                    String name = RESOLVER.resolve("football", column, team, NOW).name();
                    if (TABLE.canonical("football", team).isEmpty() || !canonicals.contains(name)) {
                        unknown.put(team, file);
                    }
                }
            }
        }
        assertThat(teams).isEqualTo(2 * 1140);
        assertThat(unknown).as("team names of the sample seasons missing from the alias table").isEmpty();
    }

    @Test
    void shouldKnowEveryFootballDataSpellingOfThePublishedLeaguesFrom1993To2021() throws IOException {
        Map<String, String> unknown = new TreeMap<>();
        Set<String> divisions = new TreeSet<>();
        int spellings = 0;
        for (String line : resourceLines("/aliases/football-data-team-names.txt")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t");
            divisions.add(fields[0]);
            spellings++;
            if (TABLE.canonical("football", fields[1]).isEmpty()) {
                unknown.put(fields[1], fields[0]);
            }
        }
        assertThat(divisions).containsExactlyInAnyOrder("E0", "E1", "E2", "E3", "EC", "SC0", "SC1", "SC2", "SC3", "D1", "D2",
                "I1", "I2", "SP1", "SP2", "F1", "F2", "N1", "B1", "P1", "T1", "G1");
        assertThat(spellings).isGreaterThan(1100);
        assertThat(unknown.keySet()).isEqualTo(LEFT_OUT);
    }

    @Test
    void shouldMakeOneEntityOfAClubAcrossSeasonsInRealRows() throws Exception {
        // Real rows of several seasons, in the format of the 1995-96 files (src/test/resources/aliases/README.md)
        Path file = Path.of(DefaultAliasesTest.class.getResource("/aliases/football-data-spellings.csv").toURI());
        MappingRules rules = ProcessorConfig.defaults().mappingRules();
        FootballDataMapper mapper = new FootballDataMapper();
        Map<String, List<String>> idsBySpelling = new LinkedHashMap<>();
        List<Event> events = new ArrayList<>();
        for (RawRecords.Keyed row : RawRecords.footballData(file)) {
            Event event = mapper.map(row.envelope(), rules).event();
            events.add(event);
            JsonNode payload = row.envelope().payload();
            idsBySpelling.computeIfAbsent(payload.path("HomeTeam").asText(), k -> new ArrayList<>()).add(event.homeEntityId());
            idsBySpelling.computeIfAbsent(payload.path("AwayTeam").asText(), k -> new ArrayList<>()).add(event.awayEntityId());
        }
        assertThat(events).hasSize(12);
        // Middlesbrough in 1995 and 2019 and Middlesboro in 2002: one entity, the one the APIs' names give
        assertThat(idsBySpelling.get("Middlesbrough")).containsOnly("football:middlesbrough").hasSize(2);
        assertThat(idsBySpelling.get("Middlesboro")).containsExactly("football:middlesbrough");
        assertThat(events.get(1).id()).isEqualTo("football:e0:2002-08-17:southampton:middlesbrough");
        assertThat(events.get(1).awayName()).isEqualTo("Middlesbrough");
        Map<String, String> apiNames = new LinkedHashMap<>();
        apiNames.put("Middlesboro", "Middlesbrough FC");
        apiNames.put("Sheffield Weds", "Sheffield Wednesday");
        apiNames.put("Nott'm Forest", "Nottingham Forest FC");
        apiNames.put("Dag and Red", "Dagenham & Redbridge FC");
        apiNames.put("Peterboro", "Peterborough United");
        apiNames.put("Luton", "Luton Town FC");
        apiNames.put("M'gladbach", "Borussia Mönchengladbach");
        apiNames.put("Ein Frankfurt", "Eintracht Frankfurt");
        apiNames.put("Leverkusen", "Bayer 04 Leverkusen");
        apiNames.put("Hoffenheim", "TSG 1899 Hoffenheim");
        apiNames.put("Ath Madrid", "Club Atlético de Madrid");
        apiNames.put("Villarreal", "Villarreal CF");
        apiNames.put("Inter", "FC Internazionale Milano");
        apiNames.put("Genoa", "Genoa CFC");
        apiNames.put("Paris SG", "Paris Saint-Germain FC");
        apiNames.put("Marseille", "Olympique de Marseille");
        apiNames.put("Sp Lisbon", "Sporting Clube de Portugal");
        for (Map.Entry<String, String> spelling : apiNames.entrySet()) {
            assertThat(idsBySpelling.get(spelling.getKey())).as(spelling.getKey()).isNotEmpty()
                    .containsOnly(id(spelling.getValue()));
        }
        // Sheffield Weds in 1996 and in 2010, Dag and Red away and at home: one entity each
        assertThat(idsBySpelling.get("Sheffield Weds")).containsOnly("football:sheffield-wednesday").hasSize(2);
        assertThat(idsBySpelling.get("Dag and Red")).containsOnly("football:dagenham-and-redbridge").hasSize(2);
    }

    static List<String> resourceLines(String resource) throws IOException {
        try (InputStream in = DefaultAliasesTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        }
    }
}
