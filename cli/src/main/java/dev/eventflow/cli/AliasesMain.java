package dev.eventflow.cli;

import dev.eventflow.config.Config;
import dev.eventflow.config.ConfigSpec;
import dev.eventflow.model.EntityAlias;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicDefinition;
import dev.eventflow.processor.normalize.Names;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code eventflow aliases add|remove|list}: entity aliases at run time, on {@code entities.aliases}. The
 * stream processor resolves an added alias from then on and moves the events it already holds under
 * the alias's own entity to the canonical one (deleting the old rows), within
 * {@code aliases.recheck-interval}; no restart and no reprocessing by hand.
 */
@Command(name = "eventflow aliases", mixinStandardHelpOptions = true,
        description = {
            "Entity aliases at run time (topic entities.aliases). 'add' makes a name resolve to a canonical one: the running "
                    + "stream processor moves the events it holds under the name to the canonical entity and deletes the old "
                    + "rows. 'remove' stops resolving a name (events already moved stay). 'list' prints the aliases added.",
            "Names no alias knows are in PostgreSQL's view unresolved_names. Built-in aliases and the processor's alias "
                    + "file (aliases.file) are not listed here.",
            "Settings: kafka.bootstrap.servers, topic.entity-aliases.name, kafka.client.<client config>; as EVENTFLOW_* too."
        },
        subcommands = {AliasesMain.Add.class, AliasesMain.Remove.class, AliasesMain.ListAliases.class})
public final class AliasesMain implements Runnable {

    static Map<String, String> environment = System.getenv();
    static Clock clock = Clock.systemUTC();

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new AliasesMain());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            cmd.getErr().println("eventflow aliases " + cmd.getCommandName() + ": " + message);
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Choose a command: add, remove or list");
    }

    /** Options every command has. */
    static final class Common {
        @Option(names = "--config", paramLabel = "FILE", description = "Properties file; EVENTFLOW_* variables override it.")
        Path configFile;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
                description = "Kafka bootstrap servers (default 127.0.0.1:9092, the local stack).")
        String bootstrapServers;

        Config config() {
            Config config = Config.load(TopicsMain.SPEC, configFile, environment);
            return bootstrapServers == null ? config : config.with(TopicsMain.BOOTSTRAP_SERVERS, bootstrapServers);
        }

        Properties client(Config config) {
            Properties props = new Properties();
            props.putAll(TopicsMain.Common.clientConfig(config));
            return props;
        }

        /** Publishes one record on the aliases topic and waits for the broker to have it. */
        void publish(String key, EntityAlias alias) throws Exception {
            Config config = config();
            TopicDefinition<String, EntityAlias> topic = EventflowTopics.from(config).entityAliases();
            Properties props = client(config);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
            try (KafkaProducer<String, EntityAlias> producer = new KafkaProducer<>(props, new StringSerializer(),
                    topic.valueSerde().serializer())) {
                producer.send(new ProducerRecord<>(topic.name(), key, alias)).get(60, TimeUnit.SECONDS);
            }
        }
    }

    static String sport(String sport) {
        String lower = sport.strip().toLowerCase(Locale.ROOT);
        if (lower.isEmpty()) {
            throw new IllegalArgumentException("--sport is empty");
        }
        return lower;
    }

    static String key(String sport, String name) {
        String slug = Names.slug(name);
        if (slug.isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' has no letters or digits");
        }
        return sport + ":" + slug;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Make NAME resolve to CANONICAL (for example: add 'Man Utd FC' 'Manchester United').")
    static final class Add implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--sport", defaultValue = "football", description = "Sport of the names (default: ${DEFAULT-VALUE}).")
        String sport;

        @Parameters(index = "0", paramLabel = "NAME", description = "The spelling to resolve.")
        String name;

        @Parameters(index = "1", paramLabel = "CANONICAL", description = "The canonical name it resolves to.")
        String canonical;

        @Override
        public Integer call() throws Exception {
            String sport = sport(this.sport);
            String key = key(sport, name);
            key(sport, canonical);
            common.publish(key, new EntityAlias(sport, name.strip(), canonical.strip(), clock.instant()));
            spec.commandLine().getOut().println("Alias added: " + sport + " '" + name.strip() + "' is '" + canonical.strip()
                    + "'. The stream processor moves its events to that entity within aliases.recheck-interval (default 5 s).");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Stop resolving NAME by an alias added here (events already moved stay where they are).")
    static final class Remove implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--sport", defaultValue = "football", description = "Sport of the name (default: ${DEFAULT-VALUE}).")
        String sport;

        @Parameters(index = "0", paramLabel = "NAME", description = "The spelling whose alias to remove.")
        String name;

        @Override
        public Integer call() throws Exception {
            String sport = sport(this.sport);
            common.publish(key(sport, name), null);
            spec.commandLine().getOut().println("Alias removed: " + sport + " '" + name.strip() + "'.");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the aliases added (sport, name, canonical name, when).")
    static final class ListAliases implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            Config config = common.config();
            TopicDefinition<String, EntityAlias> topic = EventflowTopics.from(config).entityAliases();
            Properties props = common.client(config);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            Map<String, EntityAlias> aliases = new TreeMap<>();
            try (KafkaConsumer<String, EntityAlias> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                    topic.valueSerde().deserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("could not read " + topic.name() + " to its end within 60 s");
                    }
                    for (ConsumerRecord<String, EntityAlias> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.value() == null) {
                            aliases.remove(record.key());
                        } else {
                            aliases.put(record.key(), record.value());
                        }
                    }
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (aliases.isEmpty()) {
                out.println("No aliases added on " + topic.name() + ".");
                return 0;
            }
            aliases.values().forEach(alias -> out.println(alias.sport() + "\t" + alias.alias() + "\t" + alias.canonical()
                    + "\t" + alias.addedAt()));
            return 0;
        }
    }
}
