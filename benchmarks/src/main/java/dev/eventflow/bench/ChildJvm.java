package dev.eventflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One component of the pipeline (the stream processor, the Connect worker) in its own JVM, as it
 * is deployed, so that its heap and resident memory are its own. The heap is read from the JVM's
 * GC log (the heap in use before and after every collection), the resident set from
 * {@code /proc/<pid>/status} (VmHWM, the kernel's high-water mark).
 */
final class ChildJvm implements AutoCloseable {

    /** {@code GC(3) Pause Young (Normal) (G1 Evacuation Pause) 120M->30M(512M) 3.2ms}. */
    private static final Pattern HEAP_CHANGE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    private final String name;
    private final Process process;
    private final Path gcLog;
    private final Path output;

    private ChildJvm(String name, Process process, Path gcLog, Path output) {
        this.name = name;
        this.process = process;
        this.gcLog = gcLog;
        this.output = output;
    }

    /**
     * Starts {@code mainClass} on this JVM's own class path.
     *
     * @param maxHeap {@code -Xmx} value, for example {@code 512m}
     */
    static ChildJvm start(String name, String mainClass, List<String> args, Map<String, String> environment, String maxHeap,
                          List<String> systemProperties, Path logDir) {
        Path gcLog = logDir.resolve(name + "-gc.log");
        Path output = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx" + maxHeap);
        command.add("-Xlog:gc:file=" + gcLog);
        command.addAll(systemProperties);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        try {
            return new ChildJvm(name, builder.start(), gcLog, output);
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

    /** Fails with the end of the process's output if it has exited. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("The " + name + " JVM exited with " + process.exitValue() + "; its output ends with:\n"
                    + tail(output, 30));
        }
    }

    /** Peak heap in use (before a collection), the most retained after one, the heap size, and the peak RSS. */
    record Memory(long peakHeapUsed, long peakHeapAfterGc, long heapCommitted, long peakRss, int collections) {
    }

    /** Memory figures so far; the resident set is read while the process runs, so call this before {@link #close()}. */
    Memory memory() {
        try {
            List<String> lines = Files.exists(gcLog) ? Files.readAllLines(gcLog) : List.of();
            return heap(lines, peakRss(process.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Heap figures from the lines of a {@code -Xlog:gc} log. */
    static Memory heap(List<String> gcLogLines, long peakRss) {
        long before = 0;
        long after = 0;
        long committed = 0;
        int collections = 0;
        for (String line : gcLogLines) {
            Matcher m = HEAP_CHANGE.matcher(line);
            if (m.find()) {
                collections++;
                before = Math.max(before, bytes(m.group(1), m.group(2)));
                after = Math.max(after, bytes(m.group(3), m.group(4)));
                committed = Math.max(committed, bytes(m.group(5), m.group(6)));
            }
        }
        return new Memory(before, after, committed, peakRss, collections);
    }

    /** VmHWM of a running process, in bytes (0 where /proc is not available). */
    static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static long bytes(String number, String unit) {
        long value = Long.parseLong(number);
        return switch (unit) {
            case "K" -> value << 10;
            case "M" -> value << 20;
            default -> value << 30;
        };
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then a kill after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
