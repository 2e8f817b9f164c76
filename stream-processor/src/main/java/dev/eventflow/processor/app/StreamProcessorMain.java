package dev.eventflow.processor.app;

import dev.eventflow.processor.ProcessorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code eventflow processor}: runs the stream processor until SIGTERM or Ctrl-C. */
@Command(name = "eventflow processor", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = ProcessorResetCommand.class,
        description = {
            "Runs eventflow's stream processor: reads the raw topics, writes entities.clean, events.clean, "
                    + "return-rates.clean, events.enriched and eventflow.dlq. Serves /metrics, /health and /ready.",
            "Every setting can also be given as an environment variable EVENTFLOW_<KEY> (key upper-cased, . and - as _), "
                    + "which overrides the --config file. SIGTERM stops it cleanly.",
            "'eventflow processor reset' makes the next start reprocess the raw topics from the beginning."
        })
public final class StreamProcessorMain implements Callable<Integer> {

    // Inherited: 'processor --config F reset' and 'processor reset --config F' mean the same.
    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Properties file with stream-processor settings.")
    private Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", scope = ScopeType.INHERIT,
            description = "Kafka bootstrap servers (default 127.0.0.1:9092).")
    private String bootstrapServers;

    public static void main(String[] args) {
        CommandLine commandLine = commandLine();
        commandLine.setOut(new java.io.PrintWriter(System.out, true, StandardCharsets.UTF_8));
        System.exit(commandLine.execute(args));
    }

    /** The command and its subcommands; a failure prints one line ("eventflow processor reset: why") and exits 1. */
    public static CommandLine commandLine() {
        return new CommandLine(new StreamProcessorMain())
                .setExecutionExceptionHandler((e, cmd, parseResult) -> {
                    cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
                    return 1;
                });
    }

    /** The settings: defaults, the --config file, EVENTFLOW_* variables, then --bootstrap-servers. */
    ProcessorConfig config() {
        ProcessorConfig config = ProcessorConfig.load(configFile, System.getenv());
        if (bootstrapServers != null) {
            config = config.with(ProcessorConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        return config;
    }

    @Override
    public Integer call() throws InterruptedException {
        ProcessorConfig config = config();
        StreamProcessorApp app = StreamProcessorApp.start(config);
        Thread hook = new Thread(app::close, "eventflow-processor-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        app.awaitStop();
        boolean failed = app.state() == org.apache.kafka.streams.KafkaStreams.State.ERROR;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            app.close();
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already running the hook, which closes the app.
        }
        return failed ? 1 : 0;
    }
}
