package dev.eventflow.processor.app;

import dev.eventflow.processor.ProcessorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eventflow processor}: runs the stream processor until SIGTERM or Ctrl-C. */
@Command(name = "eventflow processor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs eventflow's stream processor: reads the raw topics, writes entities.clean, events.clean, "
                    + "return-rates.clean, events.enriched and eventflow.dlq. Serves /metrics, /health and /ready.",
            "Every setting can also be given as an environment variable EVENTFLOW_<KEY> (key upper-cased, . and - as _), "
                    + "which overrides the --config file. SIGTERM stops it cleanly."
        })
public final class StreamProcessorMain implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with stream-processor settings.")
    private Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (default 127.0.0.1:9092).")
    private String bootstrapServers;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new StreamProcessorMain())
                .setExecutionExceptionHandler((e, cmd, parseResult) -> {
                    cmd.getErr().println("eventflow processor: " + e.getMessage());
                    return 1;
                });
        commandLine.setOut(new java.io.PrintWriter(System.out, true, StandardCharsets.UTF_8));
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        ProcessorConfig config = ProcessorConfig.load(configFile, System.getenv());
        if (bootstrapServers != null) {
            config = config.with(ProcessorConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }
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
