package dev.eventflow.cli;

import dev.eventflow.config.Config;
import dev.eventflow.config.ConfigSpec;
import dev.eventflow.config.KafkaSecurity;
import dev.eventflow.security.AccessPlan;
import dev.eventflow.security.AccessPlan.Role;
import dev.eventflow.security.AccessProvisioner;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eventflow security provision|acls}: the Kafka users and ACLs of eventflow's components. {@code provision}
 * logs in as a super user and sets every component's SCRAM-SHA-512 password and exactly the ACLs of the access plan
 * ({@link AccessPlan}), idempotently, printing what it did; {@code acls} prints the plan. docker compose can run
 * {@code provision} as a one-shot service: every password comes from an {@code EVENTFLOW_*} variable or a file.
 */
@Command(name = "eventflow security", mixinStandardHelpOptions = true,
        description = {
            "Kafka users and ACLs of eventflow's components (docs/security.md): 'provision' creates or updates them, "
                    + "'acls' prints the ACLs each principal gets.",
            "Passwords only from the environment or files, never options: EVENTFLOW_KAFKA_SASL_PASSWORD (the admin that "
                    + "logs in, with EVENTFLOW_KAFKA_SASL_USERNAME and EVENTFLOW_KAFKA_SECURITY_PROTOCOL), "
                    + "EVENTFLOW_SECURITY_<INGEST|PROCESSOR|CONNECT|READER|MONITOR>_PASSWORD (or *_PASSWORD_FILE)."
        },
        subcommands = {SecurityMain.Provision.class, SecurityMain.Acls.class})
public final class SecurityMain implements Runnable {

    static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    static final String CLIENT_PREFIX = "kafka.client.";

    public static final ConfigSpec SPEC = ConfigSpec.builder()
            .define(BOOTSTRAP_SERVERS, "127.0.0.1:9092", "Kafka bootstrap servers")
            .prefix(CLIENT_PREFIX, "admin client configs, for example kafka.client.request.timeout.ms")
            .build()
            .and(KafkaSecurity.configSpec())
            .and(AccessPlan.configSpec());

    static Map<String, String> environment = System.getenv();

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), environment));
    }

    /** Runs the command with {@code env} as its environment; the exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine cli = new CommandLine(new SecurityMain());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            cmd.getErr().println("eventflow security " + cmd.getCommandName() + ": " + message);
            return 1;
        });
        Map<String, String> previous = environment;
        environment = env;
        try {
            return cli.execute(args);
        } finally {
            environment = previous;
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Choose a command: provision or acls");
    }

    /** Options both commands have. */
    static final class Common {
        @Option(names = "--config", paramLabel = "FILE", description = "Properties file; EVENTFLOW_* variables override it.")
        Path configFile;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
                description = "Kafka bootstrap servers (default 127.0.0.1:9092).")
        String bootstrapServers;

        Config config() {
            Config config = Config.load(SPEC, configFile, environment);
            return bootstrapServers == null ? config : config.with(BOOTSTRAP_SERVERS, bootstrapServers);
        }
    }

    @Command(name = "provision", mixinStandardHelpOptions = true, description = "Logs in as a super user (kafka.sasl.*) and "
            + "sets each component's SCRAM-SHA-512 password and exactly its ACLs: missing ones created, others of the same "
            + "principals removed. Idempotent; prints one line per user and ACL. Exit 1 naming what is missing or refused.")
    static final class Provision implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--dry-run", description = "Show what would change; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            Config config = common.config();
            AccessPlan plan = AccessPlan.from(config);
            KafkaSecurity login = KafkaSecurity.from(config);
            Properties props = new Properties();
            props.putAll(login.merge(config.withPrefix(CLIENT_PREFIX), CLIENT_PREFIX));
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(BOOTSTRAP_SERVERS));
            props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
            List<String> report;
            try (Admin admin = Admin.create(props)) {
                report = AccessProvisioner.provision(admin, plan, dryRun);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println((dryRun ? "Dry run: users and ACLs on " : "Users and ACLs on ") + config.getString(BOOTSTRAP_SERVERS)
                    + login.username().map(user -> " (as " + user + ")").orElse(" (no login: kafka.security.protocol is "
                    + login.protocol() + ")") + ":");
            report.forEach(line -> out.println("  " + line));
            out.println(summary(report, dryRun));
            return 0;
        }
    }

    @Command(name = "acls", mixinStandardHelpOptions = true, description = "Prints the ACLs each principal gets, as a "
            + "Markdown table (no Kafka needed).")
    static final class Acls implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            AccessPlan plan = AccessPlan.from(common.config());
            PrintWriter out = spec.commandLine().getOut();
            out.println("| principal | resource | pattern | operations |");
            out.println("| --- | --- | --- | --- |");
            for (Role role : Role.values()) {
                java.util.Map<String, java.util.List<String>> byResource = new java.util.LinkedHashMap<>();
                for (AclBinding binding : plan.bindings(role)) {
                    String resource = binding.pattern().resourceType() + " `" + binding.pattern().name() + "` | "
                            + binding.pattern().patternType().name().toLowerCase(java.util.Locale.ROOT);
                    byResource.computeIfAbsent(resource, r -> new java.util.ArrayList<>()).add(binding.entry().operation().name());
                }
                byResource.forEach((resource, operations) -> out.println("| " + plan.principal(role) + " | " + resource + " | "
                        + String.join(", ", operations) + " |"));
            }
            return 0;
        }
    }

    /** One line: users set and ACLs created, kept and removed. */
    static String summary(List<String> report, boolean dryRun) {
        long users = report.stream().filter(line -> line.startsWith("user ")).count();
        long created = report.stream().filter(line -> line.startsWith("acl ") && line.contains(": created")).count();
        long kept = report.stream().filter(line -> line.startsWith("acl ") && line.endsWith(": exists")).count();
        long removed = report.stream().filter(line -> line.startsWith("acl ") && line.contains(": removed")).count();
        return (dryRun ? "Would set " : "Set ") + users + " users' passwords; ACLs: " + created + " created, " + kept + " existed, "
                + removed + " removed" + (dryRun ? " (dry run: nothing changed)." : ".");
    }
}
