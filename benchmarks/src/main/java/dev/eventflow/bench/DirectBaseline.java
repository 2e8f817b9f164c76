package dev.eventflow.bench;

import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.model.providers.FootballDataFormat;
import dev.eventflow.ingest.files.ProviderFile;
import dev.eventflow.ingest.files.ReadReport;
import dev.eventflow.ingest.files.RowReader;
import dev.eventflow.ingest.files.SourceRow;
import dev.eventflow.processor.enrich.OddsSummary;
import dev.eventflow.processor.normalize.ValidationException;
import dev.eventflow.processor.provider.MappedRecord;
import dev.eventflow.processor.provider.MappingRules;
import dev.eventflow.processor.provider.ProviderMapper;
import dev.eventflow.processor.provider.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The program a user would write instead of the pipeline: read the files, map each row to the rows
 * of {@code entities}, {@code events}, {@code return_rates} and {@code events_enriched}, keep the
 * newest row per primary key in memory (a dict per table), and upsert them with JDBC batches, no
 * Kafka. It reuses the project's own reading ({@link RowReader}) and mapping (the football-data
 * mapper, {@link OddsSummary}) so its rows are the pipeline's rows, and writes into copies of the
 * tables ({@code <table>_baseline}, same columns, keys and indexes) so the pipeline's rows stay as they are.
 */
final class DirectBaseline {

    /** What the baseline tables' names add to the pipeline's. */
    static final String TABLE_SUFFIX = "_baseline";

    private static final ContractRows<Entity> ENTITIES = ContractRows.of("entity", Entity.class);
    private static final ContractRows<Event> EVENTS = ContractRows.of("event", Event.class);
    private static final ContractRows<ReturnRate> RATES = ContractRows.of("return-rate", ReturnRate.class);
    private static final ContractRows<EnrichedEvent> ENRICHED = ContractRows.of("enriched-event", EnrichedEvent.class);

    /**
     * One run.
     *
     * @param seconds     from the first byte read to the commit of the last batch
     * @param rowsRead    data rows read
     * @param rowsRefused rows the mapper refused (the pipeline dead-letters them)
     * @param written     rows upserted per table
     */
    record Result(double seconds, long rowsRead, long rowsRefused, Map<String, Long> written) {
    }

    /** The newest row per key of each table, after mapping every row. */
    record Latest(Map<String, Entity> entities, Map<String, Event> events, Map<String, ReturnRate> rates, long read, long refused) {
    }

    private DirectBaseline() {
    }

    /** Creates empty {@code <table>_baseline} copies of the four tables (dropping earlier ones). */
    static void createTables(Connection db) throws SQLException {
        try (Statement sql = db.createStatement()) {
            for (String table : CompetitionRows.TABLES) {
                sql.execute("DROP TABLE IF EXISTS " + table + TABLE_SUFFIX);
                sql.execute("CREATE TABLE " + table + TABLE_SUFFIX + " (LIKE " + table + " INCLUDING ALL)");
            }
        }
    }

    static void dropTables(Connection db) throws SQLException {
        try (Statement sql = db.createStatement()) {
            for (String table : CompetitionRows.TABLES) {
                sql.execute("DROP TABLE IF EXISTS " + table + TABLE_SUFFIX);
            }
        }
    }

    /** Reads, maps and upserts {@code files} into the baseline tables ({@link #createTables} first). */
    static Result run(String jdbcUrl, String user, String password, List<Path> files, MappingRules rules, int batchSize)
            throws IOException, SQLException {
        long start = System.nanoTime();
        Latest latest = map(files, rules);
        Map<String, Long> written = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection(BatchUpsert.rewriteBatchedInserts(jdbcUrl), user, password)) {
            written.put("entities", upsert(db, ENTITIES, "entities", latest.entities().values(), batchSize));
            written.put("events", upsert(db, EVENTS, "events", latest.events().values(), batchSize));
            written.put("return_rates", upsert(db, RATES, "return_rates", latest.rates().values(), batchSize));
            written.put("events_enriched", upsert(db, ENRICHED, "events_enriched", enrich(latest.events(), latest.rates()), batchSize));
        }
        return new Result((System.nanoTime() - start) / 1e9, latest.read(), latest.refused(), written);
    }

    /** Every data row of {@code files} mapped as the stream processor maps it, the newest row per key kept. */
    static Latest map(List<Path> files, MappingRules rules) throws IOException {
        ProviderMapper mapper = ProviderRegistry.builtIn().mapper(FootballDataFormat.PROVIDER).orElseThrow();
        Map<String, Entity> entities = new LinkedHashMap<>();
        Map<String, Event> events = new LinkedHashMap<>();
        Map<String, ReturnRate> rates = new LinkedHashMap<>();
        long read = 0;
        long refused = 0;
        Instant now = Instant.now();
        for (Path path : files) {
            try (RowReader rows = RowReader.open(ProviderFile.open(path), new ReadReport())) {
                while (rows.hasNext()) {
                    SourceRow row = rows.next();
                    read++;
                    RawEnvelope envelope = new RawEnvelope(FootballDataFormat.PROVIDER, path.toString(), row.line(),
                            row.contentHash(), "direct-baseline", now, null, row.payload());
                    MappedRecord mapped;
                    try {
                        mapped = mapper.map(envelope, rules);
                    } catch (ValidationException e) {
                        refused++;
                        continue;
                    }
                    for (Entity entity : mapped.entities()) {
                        keepNewest(entities, entity.id(), entity, Entity::updatedAt);
                    }
                    if (mapped.event() != null) {
                        keepNewest(events, mapped.event().id(), mapped.event(), Event::updatedAt);
                    }
                    for (ReturnRate rate : mapped.rates()) {
                        keepNewest(rates, rate.id(), rate, ReturnRate::quotedAt);
                    }
                }
            }
        }
        return new Latest(entities, events, rates, read, refused);
    }

    /**
     * Each event with the summary of its bookmakers' quotes at or before the event's time, as the
     * topology joins them. Only the newest quote per rate is kept here: football-data quotes (opening
     * and closing prices) are all at or before kick-off, so the newest is the one the join picks.
     */
    static List<EnrichedEvent> enrich(Map<String, Event> events, Map<String, ReturnRate> rates) {
        Map<String, List<ReturnRate>> byEvent = new HashMap<>();
        for (ReturnRate rate : rates.values()) {
            byEvent.computeIfAbsent(rate.eventId(), id -> new ArrayList<>()).add(rate);
        }
        List<EnrichedEvent> enriched = new ArrayList<>(events.size());
        for (Event event : events.values()) {
            List<ReturnRate> asOf = byEvent.getOrDefault(event.id(), List.of()).stream()
                    .filter(rate -> !rate.quotedAt().isAfter(event.updatedAt())).toList();
            enriched.add(OddsSummary.of(asOf).enrich(event, event.updatedAt()));
        }
        return enriched;
    }

    private static <T> void keepNewest(Map<String, T> latest, String key, T value, Function<T, Instant> time) {
        latest.merge(key, value, (old, candidate) -> time.apply(candidate).isAfter(time.apply(old)) ? candidate : old);
    }

    private static <T extends Record> long upsert(Connection db, ContractRows<T> rows, String table, Collection<T> records,
                                                  int batchSize) throws SQLException {
        return BatchUpsert.upsert(db, rows.table(table + TABLE_SUFFIX), records.stream().map(rows::values).iterator(), batchSize);
    }
}
