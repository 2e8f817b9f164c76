package dev.eventflow.monitoring;

import dev.eventflow.config.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eventflow monitoring render}: Prometheus' and Alertmanager's configuration from eventflow's settings. */
@Command(name = "eventflow monitoring", mixinStandardHelpOptions = true,
        description = "Monitoring and alerting: 'render' writes prometheus.yml, alerts.yml and alertmanager.yml.",
        subcommands = {MonitoringMain.Render.class})
public final class MonitoringMain implements Runnable {

    static Map<String, String> environment = System.getenv();

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new MonitoringMain());
        cli.setOut(new PrintWriter(System.out, true, StandardCharsets.UTF_8));
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println("eventflow monitoring " + cmd.getCommandName() + ": " + e.getMessage());
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Choose a command: render");
    }

    @Command(name = "render", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Writes prometheus.yml (scrape targets for --for), alerts.yml (the alert rules with their thresholds) and "
                        + "alertmanager.yml (a receiver for each channel configured: Slack, Discord, email) into --out.",
                "Settings: alert.* and monitoring.* (monitoring/README.md), from --config and EVENTFLOW_* variables, "
                        + "for example EVENTFLOW_ALERT_SLACK_WEBHOOK_URL."
            })
    static final class Render implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--for", paramLabel = "TARGET", defaultValue = "local",
                description = "local (targets on this machine, default) or compose (the docker compose services).")
        String target;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write the files into.")
        Path out;

        @Option(names = "--config", paramLabel = "FILE", description = "Properties file; EVENTFLOW_* variables override it.")
        Path configFile;

        @Override
        public Integer call() throws IOException {
            MonitoringConfig.Target where = switch (target.toLowerCase(Locale.ROOT)) {
                case "local" -> MonitoringConfig.Target.LOCAL;
                case "compose" -> MonitoringConfig.Target.COMPOSE;
                default -> throw new IllegalArgumentException("--for must be local or compose, was '" + target + "'");
            };
            MonitoringConfig monitoring = new MonitoringConfig(Config.load(MonitoringConfig.SPEC, configFile, environment));
            Files.createDirectories(out);
            Files.writeString(out.resolve("prometheus.yml"), monitoring.prometheus(where));
            Files.writeString(out.resolve("alerts.yml"), monitoring.alertRules());
            Path alertmanager = out.resolve("alertmanager.yml");
            Files.writeString(alertmanager, monitoring.alertmanager());
            // It holds the channels' secrets. Alertmanager's container runs as another user than the one
            // that renders, so in compose the file stays readable inside the private volume only.
            if (where == MonitoringConfig.Target.LOCAL && alertmanager.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(alertmanager, PosixFilePermissions.fromString("rw-------"));
            }
            PrintWriter printer = spec.commandLine().getOut();
            printer.println("Wrote prometheus.yml, alerts.yml and alertmanager.yml to " + out + " (" + target + ").");
            printer.println(monitoring.channels().isEmpty()
                    ? "No alert channel is configured: set EVENTFLOW_ALERT_SLACK_WEBHOOK_URL, EVENTFLOW_ALERT_DISCORD_WEBHOOK_URL "
                            + "or EVENTFLOW_ALERT_EMAIL_TO with EVENTFLOW_ALERT_EMAIL_SMARTHOST."
                    : "Alerts go to: " + String.join(", ", monitoring.channels()) + ".");
            return 0;
        }
    }
}
