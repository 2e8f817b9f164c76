package dev.eventflow.ingest.bench;

import dev.eventflow.ingest.ProviderFormat;
import dev.eventflow.ingest.files.ProviderFile;
import dev.eventflow.ingest.files.ReadReport;
import dev.eventflow.ingest.files.RowReader;
import dev.eventflow.ingest.files.SourceRow;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.ingest.replay.Replayer;
import dev.eventflow.ingest.runs.Checkpoints;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.testing.EmbeddedKafkaCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replay throughput: the three sample seasons repeated to {@code rows} data rows (default 1,000,000)
 * in three CSV files, replayed as fast as possible into the embedded broker, beside the broker's
 * producer ceiling for the same envelopes (same producer settings, no file reading) measured in the
 * same run. Prints a table; asserts nothing.
 *
 * <pre>./mvnw -q -B install -DskipTests &amp;&amp; ./mvnw -q -B -pl ingest-producer exec:java@replay-throughput</pre>
 */
public final class ReplayThroughputBenchmark {

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        Path data = Files.isDirectory(Path.of("data", "football-data")) ? Path.of("data", "football-data") : Path.of("..", "data", "football-data");
        List<String> seasons = List.of("E0_2004-05.csv", "SP1_2012-13.csv", "E0_2019-20.csv");
        Path work = Files.createTempDirectory("eventflow-replay-bench-");
        long repeat = (rows + 1139) / 1140;
        List<Path> files = new ArrayList<>();
        for (String season : seasons) {
            files.add(repeated(data.resolve(season), work.resolve(season), repeat));
        }
        long totalRows = repeat * 1140;
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start()) {
            EventflowTopics topics = EventflowTopics.defaults();
            double ceiling = ceiling(cluster.bootstrapServers(), topics, data.resolve("E0_2019-20.csv"), totalRows);
            IngestRun run;
            long started = System.nanoTime();
            try (RawPublisher publisher = new RawPublisher(cluster.bootstrapServers(), Map.of())) {
                Checkpoints checkpoints = Checkpoints.load(cluster.bootstrapServers(), publisher, topics.ingestCheckpoints(), Clock.systemUTC());
                run = new Replayer(publisher, checkpoints, topics, Clock.systemUTC(), 10_000)
                        .replay(new Replayer.Options(files, null, 0, null, null, true));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double replayRate = run.recordsPublished() / seconds;
            System.out.printf(Locale.ROOT, "%nReplay throughput: %d rows (3 sample seasons x %d) in 3 CSV files, published %d%n",
                    totalRows, repeat, run.recordsPublished());
            System.out.printf(Locale.ROOT, "| %-52s | %10s | %6s |%n", "measure", "records/s", "ratio");
            System.out.printf(Locale.ROOT, "| %-52s | %10.0f | %6s |%n", "producer ceiling (same envelopes, same producer settings)", ceiling, "1.00");
            System.out.printf(Locale.ROOT, "| %-52s | %10.0f | %6.2f |%n", "replay (read, decode, parse CSV, wrap, publish, ack)", replayRate,
                    replayRate / ceiling);
            System.out.printf(Locale.ROOT, "replay wall time %.1f s%n", seconds);
        }
    }

    /** The file's header, then its data lines {@code repeat} times, bytes untouched (encoding and line ends kept). */
    static Path repeated(Path source, Path target, long repeat) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        int headerEnd = 0;
        while (bytes[headerEnd] != '\n') {
            headerEnd++;
        }
        byte[] body = Arrays.copyOfRange(bytes, headerEnd + 1, bytes.length);
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(bytes, 0, headerEnd + 1);
            for (long i = 0; i < repeat; i++) {
                out.write(body);
                if (body.length > 0 && body[body.length - 1] != '\n') {
                    out.write('\n');
                }
            }
        }
        return target;
    }

    /** Sends {@code total} envelopes (the season's rows, cycled) with the replay's producer settings. */
    static double ceiling(String bootstrap, EventflowTopics topics, Path season, long total) throws IOException {
        List<byte[]> values = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (RowReader rows = RowReader.open(ProviderFile.open(season), new ReadReport())) {
            while (rows.hasNext()) {
                SourceRow row = rows.next();
                RawEnvelope envelope = new RawEnvelope("football-data", season.toString(), row.line(), row.contentHash(), "ceiling",
                        Instant.now(), ProviderFormat.FOOTBALL_DATA.eventTime(row.payload()).orElse(null), row.payload());
                values.add(topics.eventsRaw().valueSerde().serializer().serialize("t", envelope));
                keys.add(ProviderFormat.FOOTBALL_DATA.key(row.payload(), row.line()));
            }
        }
        String topic = topics.eventsRaw().name();
        long started = System.nanoTime();
        try (RawPublisher publisher = new RawPublisher(bootstrap, Map.of())) {
            long now = System.currentTimeMillis();
            for (long i = 0; i < total; i++) {
                int index = (int) (i % values.size());
                publisher.send(topic, keys.get(index), values.get(index), now);
            }
            publisher.flush();
        }
        return total / ((System.nanoTime() - started) / 1e9);
    }
}
