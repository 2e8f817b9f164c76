package dev.eventflow.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One component of the pipeline in a JVM of its own, started as it is deployed (its main class, its
 * settings as {@code EVENTFLOW_*} variables), so that it can be killed as production kills it:
 * {@link #kill()} is {@code SIGKILL} ({@link Process#destroyForcibly()} on Linux), no shutdown hook runs.
 * Its output is appended to {@code <name>.log} in the run's directory (one file across restarts).
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass} on this JVM's class path, with {@code environment} added to this one's. */
    static ChildJvm start(String name, String mainClass, Map<String, String> environment, String maxHeap, Path logDir,
                          String... systemProperties) {
        Path log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.addAll(List.of(systemProperties));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        try {
            Files.createDirectories(logDir);
            Files.writeString(log, "---- " + java.time.Instant.now() + " start " + mainClass + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // Only the settings given here: an EVENTFLOW_* variable of the test's own environment must not leak in.
            builder.environment().keySet().removeIf(key -> key.startsWith("EVENTFLOW_"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            // Never an orphan: if the test JVM ends without stopping it (a timeout, a kill), it goes too.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-" + name + "-" + process.pid()));
            return new ChildJvm(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the " + name + " JVM: " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** Fails with the end of the process's output if it has exited. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("The " + name + " JVM (pid " + process.pid() + ") exited with " + process.exitValue()
                    + "; its output ends with:\n" + tail(40));
        }
    }

    /** SIGKILL: the process ends at once, without its shutdown hooks; returns once it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The " + name + " JVM (pid " + process.pid() + ") survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing " + name, e);
        }
    }

    /** The last {@code lines} lines of the process's output. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM (a clean stop), then SIGKILL after 60 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
