package dev.eventflow.ingest.cli;

import dev.eventflow.ingest.IngestConfig;
import dev.eventflow.ingest.ProviderFormat;
import dev.eventflow.ingest.files.FileDiscovery;
import dev.eventflow.ingest.generate.Generator;
import dev.eventflow.ingest.generate.SyntheticFeed;
import dev.eventflow.ingest.http.FootballDataOrgPoller;
import dev.eventflow.ingest.http.PollerMetrics;
import dev.eventflow.ingest.http.Quota;
import dev.eventflow.ingest.http.ResilientHttp;
import dev.eventflow.ingest.http.TheOddsApiPoller;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.ingest.replay.Replayer;
import dev.eventflow.ingest.runs.Checkpoints;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.IngestRunStatus;
import dev.eventflow.ops.OpsServer;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eventflow ingest}: the ingest producer's command line. */
@Command(name = "eventflow ingest", mixinStandardHelpOptions = true,
        description = "Publishes raw provider data, untouched, to eventflow's raw topics, and records every run on ingest.runs.",
        subcommands = {IngestMain.Replay.class, IngestMain.Poll.class, IngestMain.Generate.class, IngestMain.History.class})
public final class IngestMain implements Runnable {

    static Map<String, String> environment = System.getenv();

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new IngestMain());
        commandLine.setOut(new PrintWriter(System.out, true, StandardCharsets.UTF_8));
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
            cmd.getErr().println("eventflow ingest " + cmd.getCommandName() + ": " + message);
            return 1;
        });
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Choose a command: replay, poll, generate or history");
    }

    /** Options every command has. */
    static final class Common {
        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (default 127.0.0.1:9092).")
        String bootstrapServers;

        @Option(names = "--config", paramLabel = "FILE", description = "Properties file with ingest settings; EVENTFLOW_* variables override it.")
        Path configFile;

        IngestConfig config() {
            IngestConfig config = IngestConfig.load(configFile, environment);
            return bootstrapServers == null ? config : config.with(IngestConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }

        /** Runs {@code work} with a publisher, stopping it cleanly on SIGTERM or Ctrl-C. */
        int withPublisher(Work work) throws InterruptedException {
            IngestConfig config = config();
            Thread hook = stopOnSignal();
            try (RawPublisher publisher = new RawPublisher(config.bootstrapServers(), config.producerOverrides())) {
                return work.run(config, publisher);
            } finally {
                release(hook);
            }
        }

        static Checkpoints checkpoints(IngestConfig config, RawPublisher publisher) {
            return Checkpoints.load(config.clientConfig(), publisher, config.topics().ingestCheckpoints(), Clock.systemUTC());
        }
    }

    /** What a command does with its configuration and publisher; returns the exit code. */
    @FunctionalInterface
    interface Work {
        int run(IngestConfig config, RawPublisher publisher) throws InterruptedException;
    }

    /** Ends the command with the run's outcome: exit 0 on success, 1 with the reason otherwise. */
    static int report(CommandLine.Model.CommandSpec spec, IngestRun run) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s %s: read %d, published %d, skipped %d%s%n", run.runId(), run.status(), run.recordsRead(),
                run.recordsPublished(), run.recordsSkipped(), run.skippedByReason().isEmpty() ? "" : " " + run.skippedByReason());
        if (run.status() != IngestRunStatus.SUCCEEDED) {
            spec.commandLine().getErr().println("eventflow ingest " + spec.name() + ": " + run.failure());
            return 1;
        }
        return 0;
    }

    /** Interrupts the working thread on SIGTERM / Ctrl-C and waits for it to record the run. */
    static Thread stopOnSignal() {
        Thread worker = Thread.currentThread();
        Thread hook = new Thread(() -> {
            worker.interrupt();
            try {
                worker.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "eventflow-ingest-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    static void release(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for us
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Replays history from files (CSV, JSON lines, optionally .gz; files, directories or globs) "
                    + "into the raw topics, each record timestamped with the data's own time. Resumes after a "
                    + "checkpoint when a previous replay of the same files stopped midway.")
    static final class Replay implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Common common = new Common();

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files, directories or globs such as 'data/*.csv'.")
        List<String> inputs;

        @Option(names = "--provider", paramLabel = "ID", description = "Provider of every file: football-data, synthetic, the-odds-api or football-data-org "
                + "(default: football-data for .csv, synthetic for JSON lines).")
        String provider;

        @Option(names = "--speed", paramLabel = "SPEED", defaultValue = "max",
                description = "'max' (as fast as possible) or a multiple of real time such as '60x', by the data's own times.")
        String speed;

        @Option(names = "--from", paramLabel = "DATE", description = "Only data at or after this date (yyyy-mm-dd) or instant.")
        String from;

        @Option(names = "--to", paramLabel = "DATE", description = "Only data before this date (yyyy-mm-dd) or instant.")
        String to;

        @Option(names = "--from-start", description = "Ignore checkpoints: publish every file from its first record.")
        boolean fromStart;

        @Override
        public Integer call() throws InterruptedException {
            List<Path> files = FileDiscovery.resolve(inputs);
            Replayer.Options options = new Replayer.Options(files, provider == null ? null : ProviderFormat.byId(provider),
                    parseSpeed(speed), parseTime(from), parseTime(to), fromStart);
            return common.withPublisher((config, publisher) -> {
                Replayer replayer = new Replayer(publisher, Common.checkpoints(config, publisher), config.topics(), Clock.systemUTC(),
                        config.checkpointEvery());
                int exitCode = report(spec, replayer.replay(options));
                if (!replayer.upToDate().isEmpty()) {
                    spec.commandLine().getOut().println(nothingNew(replayer.upToDate(), files.size(),
                            config.topics().ingestCheckpoints().name()));
                }
                return exitCode;
            });
        }

        /** The sentence for files an earlier replay already published to their last line. */
        static String nothingNew(List<Path> upToDate, int files, String checkpointsTopic) {
            if (upToDate.size() == files) {
                return files == 1
                        ? "Nothing new: " + upToDate.get(0) + " was already replayed to its last line (its checkpoint is on "
                                + checkpointsTopic + "); --from-start replays it again."
                        : "Nothing new: all " + files + " files were already replayed to their last line (their checkpoints are on "
                                + checkpointsTopic + "); --from-start replays them again.";
            }
            return upToDate.size() + " of " + files + " files had nothing new, being already replayed to their last line: "
                    + String.join(", ", upToDate.stream().map(Path::toString).toList()) + ".";
        }
    }

    @Command(name = "poll", mixinStandardHelpOptions = true,
            description = "Polls a provider and publishes every event object: the-odds-api (The Odds API v4: odds and scores "
                    + "of the-odds-api.sports every the-odds-api.poll.interval, key from EVENTFLOW_THE_ODDS_API_KEY) or "
                    + "football-data-org (football-data.org v4: matches of football-data-org.competitions every "
                    + "football-data-org.poll.interval, token from EVENTFLOW_FOOTBALL_DATA_ORG_KEY). Keys and tokens are never "
                    + "logged. Retries, backoff, rate limit and circuit breaker: the http.* settings.")
    static final class Poll implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Common common = new Common();

        @Option(names = "--url", paramLabel = "URL", description = "The API's base URL (default: the-odds-api.url or football-data-org.url).")
        String url;

        @Option(names = "--once", description = "Run one poll cycle and exit with its outcome.")
        boolean once;

        @Option(names = "--cycles", paramLabel = "N", defaultValue = "0", description = "Stop after N cycles (default: run until stopped).")
        long cycles;

        @Option(names = "--provider", paramLabel = "ID", description = "Provider to poll: the-odds-api or football-data-org (required).")
        String provider;

        @Option(names = "--season", paramLabel = "YYYY", description = "football-data-org only: poll the whole season "
                + "starting in this year instead of the date window (a backfill; combine with --once).")
        Integer season;

        @Override
        public Integer call() throws InterruptedException {
            if (provider == null) {
                throw new IllegalArgumentException("choose the provider to poll: --provider the-odds-api or --provider football-data-org");
            }
            ProviderFormat format = ProviderFormat.byId(provider);
            if (season != null && format != ProviderFormat.FOOTBALL_DATA_ORG) {
                throw new IllegalArgumentException("--season applies to --provider football-data-org only");
            }
            if (format == ProviderFormat.THE_ODDS_API) {
                if (common.config().theOddsApiKey().isEmpty()) {
                    throw new IllegalArgumentException("The Odds API needs an API key: set EVENTFLOW_THE_ODDS_API_KEY "
                            + "(or the-odds-api.key)");
                }
                return pollTheOddsApi();
            }
            if (format == ProviderFormat.FOOTBALL_DATA_ORG) {
                token(common.config());
                return common.withPublisher(this::pollFootballDataOrg);
            }
            throw new IllegalArgumentException("--provider " + provider
                    + " cannot be polled (pollable: the-odds-api, football-data-org)");
        }

        private static String token(IngestConfig config) {
            return config.footballDataOrgKey().orElseThrow(() -> new IllegalArgumentException(
                    "football-data.org needs an API token: set EVENTFLOW_FOOTBALL_DATA_ORG_KEY (or football-data-org.key)"));
        }

        /** {@code --provider football-data-org}: the resilience settings are the http.* ones, shared by every poller. */
        private int pollFootballDataOrg(IngestConfig config, RawPublisher publisher) throws InterruptedException {
            String token = token(config);
            Integer seasonYear = season != null ? season : config.config().has(IngestConfig.FOOTBALL_DATA_ORG_SEASON)
                    ? Integer.valueOf(config.integer(IngestConfig.FOOTBALL_DATA_ORG_SEASON)) : null;
            FootballDataOrgPoller.Settings settings = new FootballDataOrgPoller.Settings(
                    URI.create(url == null ? config.string(IngestConfig.FOOTBALL_DATA_ORG_URL) : url),
                    FootballDataOrgPoller.Settings.competitionList(config.string(IngestConfig.FOOTBALL_DATA_ORG_COMPETITIONS)),
                    config.integer(IngestConfig.FOOTBALL_DATA_ORG_DAYS_BACK), config.integer(IngestConfig.FOOTBALL_DATA_ORG_DAYS_AHEAD),
                    seasonYear);
            ResilientHttp http = new ResilientHttp(ProviderFormat.FOOTBALL_DATA_ORG.id(), resilience(config, FootballDataOrgPoller.TOKEN_HEADER, token));
            PollerMetrics metrics = new PollerMetrics(ProviderFormat.FOOTBALL_DATA_ORG.id());
            FootballDataOrgPoller poller = new FootballDataOrgPoller(http, publisher, config.topics(), Clock.systemUTC(),
                    settings, metrics::quota);
            if (once) {
                return report(spec, poller.pollOnce());
            }
            try (OpsServer ops = OpsServer.start(config.string(IngestConfig.METRICS_HOST), config.integer(IngestConfig.METRICS_PORT), metrics::scrape,
                    () -> true, () -> true, () -> "POLLING")) {
                poller.pollEvery(config.duration(IngestConfig.FOOTBALL_DATA_ORG_POLL_INTERVAL), cycles, metrics::record);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }

        private int pollTheOddsApi() throws InterruptedException {
            return common.withPublisher((config, publisher) -> {
                PollerMetrics metrics = new PollerMetrics(ProviderFormat.THE_ODDS_API.id());
                TheOddsApiPoller poller = theOddsApiPoller(config, publisher, url, metrics);
                if (once) {
                    return report(spec, poller.pollOnce());
                }
                try (OpsServer ops = OpsServer.start(config.string(IngestConfig.METRICS_HOST), config.integer(IngestConfig.METRICS_PORT), metrics::scrape,
                        () -> true, () -> true, () -> poller.quota().paused() ? "PAUSED (quota)" : "POLLING")) {
                    poller.pollEvery(config.duration(IngestConfig.THE_ODDS_API_POLL_INTERVAL), cycles, metrics::record);
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
                return 0;
            });
        }
    }

    /** Every poller's retries, backoff, rate limit and breaker (the http.* settings), with its key header and key. */
    static ResilientHttp.Settings resilience(IngestConfig config, String keyHeader, String key) {
        return new ResilientHttp.Settings(config.duration(IngestConfig.HTTP_TIMEOUT), config.integer(IngestConfig.RETRY_ATTEMPTS),
                config.duration(IngestConfig.RETRY_INITIAL_BACKOFF), config.duration(IngestConfig.RETRY_MAX_BACKOFF),
                config.integer(IngestConfig.RATE_LIMIT), config.integer(IngestConfig.BREAKER_FAILURES),
                config.duration(IngestConfig.BREAKER_OPEN), keyHeader, key);
    }

    /** The-odds-api poller from the configuration; {@code url} overrides the-odds-api.url. */
    static TheOddsApiPoller theOddsApiPoller(IngestConfig config, RawPublisher publisher, String url, PollerMetrics metrics) {
        ResilientHttp http = new ResilientHttp(ProviderFormat.THE_ODDS_API.id(), resilience(config, null, null), TheOddsApiPoller.quotaSpent());
        TheOddsApiPoller.Settings settings = new TheOddsApiPoller.Settings(
                URI.create(url == null ? config.string(IngestConfig.THE_ODDS_API_URL) : url), config.theOddsApiKey().orElse(null),
                List.of(config.string(IngestConfig.THE_ODDS_API_SPORTS).split("\\s*,\\s*")), config.string(IngestConfig.THE_ODDS_API_REGIONS),
                config.string(IngestConfig.THE_ODDS_API_MARKETS), config.string(IngestConfig.THE_ODDS_API_ODDS_FORMAT),
                config.integer(IngestConfig.THE_ODDS_API_SCORES_DAYS_FROM));
        Quota quota = new Quota(ProviderFormat.THE_ODDS_API.id(), config.integer(IngestConfig.THE_ODDS_API_QUOTA_FLOOR));
        if (metrics != null) {
            quota.bindTo(metrics.registry());
        }
        return new TheOddsApiPoller(http, publisher, Common.checkpoints(config, publisher), config.topics(), Clock.systemUTC(),
                settings, quota);
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Publishes a provider's historical odds: the-odds-api's snapshots of one sport from --from, following "
                    + "each snapshot's next_timestamp until past --to, each event timed at its snapshot. Resumes after the last "
                    + "snapshot published when a previous run of the same range stopped midway.")
    static final class History implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Common common = new Common();

        @Option(names = "--provider", paramLabel = "ID", defaultValue = "the-odds-api", description = "Provider: the-odds-api.")
        String provider;

        @Option(names = "--sport", paramLabel = "KEY", required = true, description = "Sport key, for example soccer_epl.")
        String sport;

        @Option(names = "--from", paramLabel = "DATE", required = true, description = "First snapshot: a date (yyyy-mm-dd) or instant.")
        String from;

        @Option(names = "--to", paramLabel = "DATE", required = true, description = "Last snapshot: a date (yyyy-mm-dd) or instant.")
        String to;

        @Option(names = "--url", paramLabel = "URL", description = "The API's host (default: the-odds-api.url).")
        String url;

        @Option(names = "--from-start", description = "Ignore checkpoints: start at --from.")
        boolean fromStart;

        @Override
        public Integer call() throws InterruptedException {
            if (ProviderFormat.byId(provider) != ProviderFormat.THE_ODDS_API) {
                throw new IllegalArgumentException("history is available for the-odds-api only, not " + provider);
            }
            Instant first = parseTime(from);
            Instant last = parseTime(to);
            return common.withPublisher((config, publisher) ->
                    report(spec, theOddsApiPoller(config, publisher, url, null).history(sport, first, last, fromStart)));
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Publishes a synthetic feed (format synthetic): fixtures, drifting odds, and chosen fractions of exact duplicates, "
                    + "out-of-order updates and malformed records. The same seed gives the same records.")
    static final class Generate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Common common = new Common();

        @Option(names = "--records", paramLabel = "N", defaultValue = "10000", description = "Records to publish (0: until stopped).")
        long records;

        @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "0", description = "Records per second (0: as fast as possible).")
        double rate;

        @Option(names = "--fixtures", paramLabel = "N", defaultValue = "500", description = "Distinct fixtures.")
        int fixtures;

        @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42")
        long seed;

        @Option(names = "--start", paramLabel = "INSTANT", defaultValue = "2026-01-01T00:00:00Z",
                description = "Data time of the first record, or 'now'.")
        String start;

        @Option(names = "--step", paramLabel = "DURATION", defaultValue = "PT1S", description = "Data time between two records.")
        Duration step;

        @Option(names = "--duplicates", defaultValue = "0.02", description = "Fraction of exact duplicates.")
        double duplicates;

        @Option(names = "--out-of-order", defaultValue = "0.01", description = "Fraction of older snapshots sent after newer ones.")
        double outOfOrder;

        @Option(names = "--malformed", defaultValue = "0.01", description = "Fraction of malformed records.")
        double malformed;

        @Override
        public Integer call() throws InterruptedException {
            Instant first = start.equals("now") ? Instant.now() : Instant.parse(start);
            SyntheticFeed.Options options = new SyntheticFeed.Options(records, fixtures, first, step, duplicates, outOfOrder, malformed);
            return common.withPublisher((config, publisher) ->
                    report(spec, new Generator(publisher, config.topics(), Clock.systemUTC()).generate(seed, options, rate)));
        }
    }

    static double parseSpeed(String speed) {
        String text = speed.strip().toLowerCase(Locale.ROOT);
        if (text.equals("max")) {
            return 0;
        }
        try {
            double factor = Double.parseDouble(text.endsWith("x") ? text.substring(0, text.length() - 1) : text);
            if (factor <= 0) {
                throw new NumberFormatException();
            }
            return factor;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--speed must be 'max' or a positive multiple such as '60x', was '" + speed + "'");
        }
    }

    static Instant parseTime(String text) {
        if (text == null) {
            return null;
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a date (yyyy-mm-dd) nor an instant (2019-08-09T19:00:00Z)");
        }
    }
}
