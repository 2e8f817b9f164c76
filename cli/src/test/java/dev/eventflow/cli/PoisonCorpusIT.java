package dev.eventflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventflow.ingest.ProviderFormat;
import dev.eventflow.localstack.LocalStackConfig;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.serde.Json;
import dev.eventflow.model.topics.TopicDefinition;
import dev.eventflow.testing.SqlRows;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, poison input: the corpus of {@code src/test/resources/poison} (its README is the list of expectations,
 * parsed here) and records no file can carry, through the real pipeline. Every input record must end in exactly one
 * place: its rows, one quarantine row with its exact reason, a skip counted on its ingest run, or (an exact repeat, a
 * same-time conflict) a count of the stream processor; after each bad file or record a good record lands; the stream
 * processor and every connector and task stay RUNNING throughout.
 */
class PoisonCorpusIT {

    static final Duration LANDED = Duration.ofMinutes(2);
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    static LocalPipeline pipeline;
    static Watcher watcher;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(new LocalPipeline.Options(LocalStackConfig.defaults().withFreePorts(), 0, "sink-secret", 500, 0));
        watcher = new Watcher(pipeline);
        watcher.start();
    }

    @AfterAll
    static void stop() {
        if (watcher != null) {
            watcher.stop();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void everyPoisonRecordEndsInExactlyOnePlaceAndThePipelineKeepsRunning() throws Exception {
        Instant started = Instant.now();
        Path corpus = Path.of(PoisonCorpusIT.class.getResource("/poison/README.md").toURI()).getParent();
        List<CorpusFile> files = CorpusFile.parse(Files.readString(corpus.resolve("README.md")));
        assertThat(files).extracting(CorpusFile::name).containsExactly("fd-values.csv", "fd-semicolon.csv", "fd-binary.csv",
                "fd-truncated.csv.gz", "synthetic-values.jsonl", "synthetic-latin1.jsonl", "synthetic-1mb.jsonl.gz",
                "the-odds-api.jsonl", "football-data-org.jsonl");
        SoftAssertions soft = new SoftAssertions();
        Set<String> goodEvents = new TreeSet<>();
        Map<String, IngestRun> runs = new LinkedHashMap<>();

        // Every file in its own run, then a good row, which must land
        for (CorpusFile file : files) {
            try {
                runs.put(file.name(), pipeline.replay(List.of(corpus.resolve(file.name())), file.provider(), true));
            } catch (RuntimeException e) {
                soft.fail("The replay of " + file.name() + " failed: " + e);
            }
            goodEvents.add(goodRowAfter(file.name(), soft));
        }

        // Records no file can carry, straight to the raw topic, each followed by a good record
        Map<String, String> direct = produceDirectRecords(goodEvents);
        pipeline.awaitLanded(LANDED);
        for (String event : goodEvents) {
            soft.assertThat(rows("SELECT count(*) FROM events WHERE id = '" + event + "'")).as("good record " + event)
                    .containsExactly(List.of("1"));
        }

        // Each file's run: every record read was published or skipped, and each skip is counted with its reason
        for (CorpusFile file : files) {
            List<List<String>> run = rows("SELECT status, records_read, records_published, records_skipped, skipped_by_reason, "
                    + "coalesce(failure, '') FROM ingest_runs WHERE source LIKE '%/" + file.name() + "'");
            Map<String, Long> skips = new TreeMap<>();
            file.records().stream().filter(r -> r.skip() != null).forEach(r -> skips.merge(r.skip(), 1L, Long::sum));
            long skipped = skips.values().stream().mapToLong(Long::longValue).sum();
            soft.assertThat(run).as("ingest run of " + file.name()).hasSize(1);
            if (run.size() == 1) {
                soft.assertThat(run.get(0).subList(0, 4)).as("status, read, published, skipped of " + file.name()).containsExactly(
                        "SUCCEEDED", Long.toString(file.records().size()), Long.toString(file.records().size() - skipped),
                        Long.toString(skipped));
                soft.assertThat(new TreeMap<>(Json.mapper().readValue(run.get(0).get(4),
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Long>>() { })))
                        .as("skipped by reason of " + file.name()).isEqualTo(skips);
                soft.assertThat(run.get(0).get(5)).as("failure of " + file.name()).isEmpty();
            }
        }

        // The quarantine: one row per refused or partly accepted record, with its exact reason, and no other row
        Map<String, List<String>> quarantined = new TreeMap<>();
        Map<String, String> directQuarantined = new TreeMap<>();
        for (List<String> row : rows("SELECT stage || ': ' || reason, value_text, source_topic, source_offset::text FROM quarantine")) {
            JsonNode envelope = envelope(row.get(1));
            if (envelope != null && envelope.path("source").asText().contains("/poison/")) {
                String file = Path.of(envelope.path("source").asText()).getFileName().toString();
                quarantined.computeIfAbsent(file + ":" + envelope.path("line").asText(), k -> new ArrayList<>()).add(row.get(0));
            } else if (direct.containsKey(row.get(2) + "/" + row.get(3))) {
                soft.assertThat(directQuarantined.put(row.get(2) + "/" + row.get(3), row.get(0))).as("second quarantine row of "
                        + row.get(2) + "/" + row.get(3)).isNull();
            } else {
                soft.fail("A quarantine row of no input record: " + row.get(0) + " " + abbreviate(row.get(1)));
            }
        }
        Map<String, List<String>> expectedQuarantine = new TreeMap<>();
        for (CorpusFile file : files) {
            for (Expected record : file.records()) {
                if (record.quarantine() != null) {
                    expectedQuarantine.put(file.name() + ":" + record.line(), List.of(record.quarantine()));
                }
            }
        }
        List<String> differences = new ArrayList<>();
        for (String record : new TreeSet<>(java.util.stream.Stream.concat(quarantined.keySet().stream(),
                expectedQuarantine.keySet().stream()).toList())) {
            if (!java.util.Objects.equals(quarantined.get(record), expectedQuarantine.get(record))) {
                differences.add(record + ": expected " + expectedQuarantine.get(record) + ", was " + quarantined.get(record));
            }
        }
        soft.assertThat(differences).as("quarantine rows of the corpus that differ from the README's, by file:line").isEmpty();
        soft.assertThat(quarantined).as("quarantined corpus records").hasSameSizeAs(expectedQuarantine);
        for (Map.Entry<String, String> record : direct.entrySet()) {
            soft.assertThat(directQuarantined.get(record.getKey())).as("quarantine row of the direct record at " + record.getKey())
                    .isNotNull().startsWith(record.getValue());
        }

        // The rows: exactly the events and rates the corpus and the good records make, and nothing else
        Set<String> events = new TreeSet<>(goodEvents);
        Set<String> rates = new TreeSet<>();
        files.forEach(file -> file.records().forEach(record -> {
            if (record.event() != null) {
                events.add(record.event());
                record.bookmakers().forEach(bookmaker -> rates.add(record.event() + "|" + bookmaker + "|1X2"));
            }
        }));
        soft.assertThat(column("SELECT id FROM events ORDER BY 1")).as("events").containsExactlyElementsOf(events);
        soft.assertThat(column("SELECT event_id FROM events_enriched ORDER BY 1")).as("events_enriched").containsExactlyElementsOf(events);
        soft.assertThat(column("SELECT id FROM return_rates ORDER BY 1")).as("return_rates").containsExactlyElementsOf(rates);
        // The names that look like SQL (and other odd ones) are entities of their own, spelled exactly as sent
        soft.assertThat(column("SELECT name FROM unresolved_names ORDER BY 1")).containsExactlyInAnyOrder(
                "'; DELETE FROM quarantine; --", "Back\\slash, Comma", "Robert'); DROP TABLE events;--", "x\" OR \"1\"=\"1",
                "Ünïcödé 🦊");

        // What produced nothing new was counted by the processor: exact repeats and same-time conflicts
        Map<String, Double> metrics = Metrics.scrape(pipeline.metricsPort());
        long duplicates = files.stream().flatMap(f -> f.records().stream()).filter(r -> r.place().equals("duplicate")).count();
        long conflicts = files.stream().flatMap(f -> f.records().stream()).filter(r -> r.place().equals("conflict")).count();
        soft.assertThat(metrics.getOrDefault("eventflow_duplicates_dropped_total{topic=\"events.clean\"}", 0.0))
                .as("events dropped as exact repeats").isEqualTo((double) duplicates);
        soft.assertThat(metrics.getOrDefault("eventflow_refused_total{reason=\"conflict\",topic=\"events.clean\"}", 0.0))
                .as("events refused as same-time conflicts").isEqualTo((double) conflicts);
        soft.assertThat(metrics.entrySet().stream().filter(m -> m.getKey().startsWith("eventflow_dead_letters_total{")
                && m.getKey().contains("stage=\"process\"")).toList()).as("dead letters of a processor failure (a bug)").isEmpty();
        double deadLetters = metrics.entrySet().stream().filter(m -> m.getKey().startsWith("eventflow_dead_letters_total{"))
                .mapToDouble(Map.Entry::getValue).sum();
        soft.assertThat(deadLetters).as("dead letters counted = quarantine rows").isEqualTo(
                Double.parseDouble(rows("SELECT count(*) FROM quarantine").get(0).get(0)));

        // Totals: every published record is in exactly one place downstream
        long published = runs.entrySet().stream().filter(r -> files.stream().anyMatch(f -> f.name().equals(r.getKey())))
                .mapToLong(r -> r.getValue().recordsPublished()).sum();
        long placed = files.stream().flatMap(f -> f.records().stream()).filter(r -> r.skip() == null).count();
        soft.assertThat(published).as("records published = records with a place downstream").isEqualTo(placed);

        // And nothing stopped: the processor and every connector and task stayed RUNNING, no task was restarted
        watcher.stop();
        soft.assertThat(watcher.observations).as("states other than RUNNING seen while the corpus ran").isEmpty();
        soft.assertThat(watcher.checks.get()).as("state checks").isGreaterThan(10);
        pipeline.supervisorPort().ifPresent(port -> {
            try {
                soft.assertThat(Metrics.scrape(port).entrySet().stream()
                                .filter(m -> m.getKey().startsWith("eventflow_sink_task_restarts_total") && m.getValue() > 0).toList())
                        .as("connector task restarts").isEmpty();
            } catch (IOException | InterruptedException e) {
                soft.fail("Cannot read the supervisor's metrics: " + e);
            }
        });
        soft.assertThat(metrics.entrySet().stream().filter(m -> m.getKey().startsWith("kafka_stream_client_failed_stream_threads")
                && m.getValue() > 0).toList()).as("failed stream threads").isEmpty();
        System.out.printf("Poison corpus: %d files, %d records, %d direct records, %d quarantine rows; %.1f s%n", files.size(),
                files.stream().mapToLong(f -> f.records().size()).sum(), direct.size() * 2L,
                Long.parseLong(rows("SELECT count(*) FROM quarantine").get(0).get(0)),
                Duration.between(started, Instant.now()).toMillis() / 1000.0);
        soft.assertAll();
    }

    /** Replays one good row, waits until everything landed, and checks the row is there; returns its event. */
    private String goodRowAfter(String what, SoftAssertions soft) throws Exception {
        int index = (int) Files.list(dir).filter(p -> p.getFileName().toString().startsWith("good-")).count();
        LocalDate day = LocalDate.of(2040, 1, 1).plusDays(index);
        Path good = dir.resolve("good-" + index + ".csv");
        Files.writeString(good, "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG\nE0," + DAY.format(day) + ",Arsenal,Chelsea,1,0\n");
        pipeline.replay(List.of(good), true);
        pipeline.awaitLanded(LANDED);
        String event = "football:e0:" + day + ":arsenal:chelsea";
        soft.assertThat(rows("SELECT count(*) FROM events WHERE id = '" + event + "'")).as("a good row after " + what)
                .containsExactly(List.of("1"));
        return event;
    }

    /**
     * Produces the records of the README's last table, each followed by a good record; returns the offsets of the bad
     * ones with the start of the quarantine reason each must get.
     */
    private static Map<String, String> produceDirectRecords(Set<String> goodEvents) throws Exception {
        TopicDefinition<String, RawEnvelope> raw = pipeline.stack().topics().eventsRaw();
        Map<String, String> expected = new LinkedHashMap<>();
        LocalDate day = LocalDate.of(2041, 1, 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                pipeline.stack().bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] noAwayTeam = envelope(raw, "football-data", row(day.minusDays(1), "Liverpool", null, ""));
            // 150 bytes under the producer's limit: its dead letter, with the reason in headers, would be over it
            byte[] small = envelope(raw, "football-data", row(day.minusDays(2), "Liverpool", null, "x"));
            byte[] nearlyOneMegabyte = envelope(raw, "football-data", row(day.minusDays(2), "Liverpool", null,
                    "x".repeat(1_048_576 - 150 - small.length + 1)));
            Object[][] records = {
                {null, envelope(raw, "football-data", row(day.minusDays(3), "Everton", "Fulham", "")), null},
                {null, noAwayTeam, "validate: missing field AwayTeam"},
                {"bad-1".getBytes(StandardCharsets.UTF_8), "not json".getBytes(StandardCharsets.UTF_8),
                    "deserialize: Malformed RawEnvelope JSON"},
                {"bad-2".getBytes(StandardCharsets.UTF_8), "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8),
                    "deserialize: Malformed RawEnvelope JSON"},
                {"bad-3".getBytes(StandardCharsets.UTF_8), new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'},
                    "deserialize: Malformed RawEnvelope JSON"},
                {"bad-4".getBytes(StandardCharsets.UTF_8), new byte[0], "deserialize: Empty value is not a RawEnvelope"},
                {"bad-5".getBytes(StandardCharsets.UTF_8), null, "deserialize: tombstone on a raw topic (raw records are never deleted)"},
                {"bad-6".getBytes(StandardCharsets.UTF_8), envelope(raw, "acme", row(day.minusDays(4), "Everton", "Fulham", "")),
                    "validate: unknown provider 'acme'"},
                {"bad-7".getBytes(StandardCharsets.UTF_8), nearlyOneMegabyte, "validate: missing field AwayTeam"},
            };
            for (Object[] record : records) {
                var sent = producer.send(new ProducerRecord<>(raw.name(), 0, (byte[]) record[0], (byte[]) record[1])).get();
                if (record[2] != null) {
                    expected.put(raw.name() + "/" + sent.offset(), (String) record[2]);
                } else {
                    goodEvents.add("football:e0:" + day.minusDays(3) + ":everton:fulham");
                }
                producer.send(new ProducerRecord<>(raw.name(), 0, null,
                        envelope(raw, "football-data", row(day, "Arsenal", "Chelsea", "")))).get();
                goodEvents.add("football:e0:" + day + ":arsenal:chelsea");
                day = day.plusDays(1);
            }
            // Prices that are valid JSON numbers no price can be: refused at once (the rest of the record lands)
            String rates = pipeline.stack().topics().returnRatesRaw().name();
            String absurd = "{\"provider\":\"synthetic\",\"source\":\"poison-direct\",\"ingestRunId\":\"poison-direct\","
                    + "\"receivedAt\":\"" + Instant.now() + "\",\"payload\":{\"id\":\"p-10\",\"sport\":\"football\",\"league\":\"E0\","
                    + "\"commence_time\":\"2031-03-11T15:00:00Z\",\"home_team\":\"Chelsea\",\"away_team\":\"Tottenham\","
                    + "\"last_update\":\"2031-03-01T10:00:00Z\",\"bookmakers\":["
                    + "{\"key\":\"B365\",\"markets\":[{\"key\":\"h2h\",\"outcomes\":[{\"name\":\"home\",\"price\":1e999999999},"
                    + "{\"name\":\"draw\",\"price\":3.3},{\"name\":\"away\",\"price\":3.6}]}]},"
                    + "{\"key\":\"WH\",\"markets\":[{\"key\":\"h2h\",\"outcomes\":[{\"name\":\"home\",\"price\":1e-999999999},"
                    + "{\"name\":\"draw\",\"price\":3.3},{\"name\":\"away\",\"price\":3.5}]}]}]}}";
            var sent = producer.send(new ProducerRecord<>(rates, 0, "synthetic:p-10".getBytes(StandardCharsets.UTF_8),
                    absurd.getBytes(StandardCharsets.UTF_8))).get();
            expected.put(rates + "/" + sent.offset(), "validate: partly accepted, refused: B365 home 1E+999999999 is not a plausible "
                    + "price; WH home 1E-999999999 is not a plausible price");
            goodEvents.add("football:e0:2031-03-11:chelsea:tottenham-hotspur");
            producer.send(new ProducerRecord<>(raw.name(), 0, null, envelope(raw, "football-data", row(day, "Arsenal", "Chelsea", "")))).get();
            goodEvents.add("football:e0:" + day + ":arsenal:chelsea");
        }
        return expected;
    }

    private static ObjectNode row(LocalDate day, String home, String away, String notes) {
        ObjectNode row = Json.mapper().createObjectNode().put("Div", "E0").put("Date", DAY.format(day)).put("HomeTeam", home);
        if (away != null) {
            row.put("AwayTeam", away);
        }
        row.put("FTHG", "1").put("FTAG", "0");
        if (!notes.isEmpty()) {
            row.put("Notes", notes);
        }
        return row;
    }

    private static byte[] envelope(TopicDefinition<String, RawEnvelope> raw, String provider, ObjectNode payload) {
        return raw.valueSerde().serializer().serialize(raw.name(),
                new RawEnvelope(provider, "poison-direct", null, null, "poison-direct", Instant.now(), null, payload));
    }

    private static JsonNode envelope(String text) {
        try {
            return text == null ? null : Json.mapper().readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        return text == null || text.length() < 200 ? text : text.substring(0, 200) + "...";
    }

    static List<List<String>> rows(String query) throws SQLException {
        var stack = pipeline.stack();
        return SqlRows.query(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), query);
    }

    static List<String> column(String query) throws SQLException {
        return rows(query).stream().map(row -> row.get(0)).toList();
    }

    /** Where one input record must end, parsed from the README's "where it ends". */
    record Expected(String line, String place, String event, List<String> bookmakers, String quarantine, String skip) {

        private static final Pattern EVENT = Pattern.compile("event (\\S+)(?:, rates ((?:\\S+ ?)+))?");

        static Expected parse(String line, String place) {
            String rows = place;
            String quarantine = null;
            int plus = place.indexOf(" + quarantine ");
            if (plus >= 0) {
                rows = place.substring(0, plus);
                quarantine = place.substring(plus + " + quarantine ".length());
            } else if (place.startsWith("quarantine ")) {
                return new Expected(line, place, null, List.of(), place.substring("quarantine ".length()), null);
            }
            if (place.startsWith("skip ")) {
                return new Expected(line, place, null, List.of(), null, place.substring("skip ".length()));
            }
            if (place.equals("duplicate") || place.equals("conflict")) {
                return new Expected(line, place, null, List.of(), null, null);
            }
            Matcher event = EVENT.matcher(rows);
            if (!event.matches()) {
                throw new IllegalArgumentException("Line " + line + ": not a place: " + place);
            }
            List<String> bookmakers = event.group(2) == null ? List.of() : List.of(event.group(2).strip().split(" "));
            return new Expected(line, place, event.group(1), bookmakers, quarantine, null);
        }
    }

    /** One file of the corpus and its records' places, from a section of the README. */
    record CorpusFile(String name, ProviderFormat provider, List<Expected> records) {

        private static final Pattern SECTION = Pattern.compile("^## `([^`]+)`$");
        private static final Pattern PROVIDER = Pattern.compile("^Replayed as `([a-z-]+)`");

        static List<CorpusFile> parse(String readme) {
            List<CorpusFile> files = new ArrayList<>();
            String name = null;
            ProviderFormat provider = null;
            List<Expected> records = null;
            for (Iterator<String> lines = readme.lines().iterator(); lines.hasNext(); ) {
                String line = lines.next();
                Matcher section = SECTION.matcher(line);
                Matcher replayed = PROVIDER.matcher(line);
                if (section.matches()) {
                    name = section.group(1);
                    records = new ArrayList<>();
                    files.add(new CorpusFile(name, null, records));
                } else if (line.startsWith("## ")) {
                    name = null;
                    records = null;
                } else if (replayed.find() && name != null) {
                    provider = ProviderFormat.byId(replayed.group(1));
                    files.set(files.size() - 1, new CorpusFile(name, provider, records));
                } else if (records != null && line.startsWith("| ") && !line.startsWith("| line") && !line.startsWith("| ---")) {
                    String[] cells = line.substring(2, line.length() - 2).split(" \\| ", -1);
                    records.add(Expected.parse(cells[0], cells[2].replace("\\|", "|")));
                }
            }
            return files;
        }
    }

    /** Prometheus text: sample name with its labels (sorted, as written) to value. */
    static final class Metrics {
        private static final HttpClient HTTP = HttpClient.newHttpClient();

        static Map<String, Double> scrape(int port) throws IOException, InterruptedException {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Map<String, Double> samples = new TreeMap<>();
            for (String line : text.lines().toList()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                String name = line.substring(0, space).replace(",}", "}");
                samples.put(name, Double.parseDouble(line.substring(space + 1)));
            }
            return samples;
        }
    }

    /**
     * Looks at the stream processor's {@code /ready} and every connector's and task's state in Connect's REST API
     * every 100 ms, and keeps every observation of a state other than RUNNING.
     */
    static final class Watcher {
        final ConcurrentLinkedQueue<String> observations = new ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicLong checks = new java.util.concurrent.atomic.AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final LocalPipeline pipeline;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private Thread thread;

        Watcher(LocalPipeline pipeline) {
            this.pipeline = pipeline;
        }

        void start() {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        check();
                        checks.incrementAndGet();
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException | URISyntaxException | RuntimeException e) {
                        observations.add(Instant.now() + " cannot check: " + e);
                    }
                }
            }, "poison-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        private void check() throws IOException, InterruptedException, URISyntaxException {
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(new URI("http://127.0.0.1:" + pipeline.metricsPort() + "/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (ready.statusCode() != 200) {
                observations.add(Instant.now() + " stream processor: " + ready.statusCode() + " " + ready.body());
            }
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(
                    new URI(pipeline.stack().connectUrl() + "/connectors?expand=status")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode connectors = Json.mapper().readTree(status.body());
            if (connectors.size() < 6) {
                observations.add(Instant.now() + " connectors: " + status.body());
            }
            for (Map.Entry<String, JsonNode> connector : connectors.properties()) {
                JsonNode state = connector.getValue().path("status");
                if (!"RUNNING".equals(state.path("connector").path("state").asText())) {
                    observations.add(Instant.now() + " " + connector.getKey() + ": " + state.path("connector"));
                }
                if (state.path("tasks").isEmpty()) {
                    observations.add(Instant.now() + " " + connector.getKey() + " has no task");
                }
                for (JsonNode task : state.path("tasks")) {
                    if (!"RUNNING".equals(task.path("state").asText())) {
                        String trace = task.path("trace").asText();
                        observations.add(Instant.now() + " " + connector.getKey() + " task " + task.path("id").asText() + ": "
                                + task.path("state").asText() + " " + trace.lines().limit(3).toList());
                    }
                }
            }
        }

        void stop() {
            running.set(false);
            if (thread != null) {
                thread.interrupt();
                try {
                    thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
