package dev.eventflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventflow.localstack.LocalStackMain;
import dev.eventflow.localstack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eventflow local} and {@code eventflow stack} as a user runs them: each in a JVM of its own,
 * with a temporary directory of its own, stopped by a signal or by {@code --once}. Afterwards nothing
 * listens, no process is left, nothing of the stack is on disk, and the log file ends with the last
 * lines of the stop; the console carries the command's output and real problems only.
 */
class CleanStopIT {

    static final Path ROOT = Stream.of(Path.of(""), Path.of(".."))
            .map(p -> p.toAbsolutePath().normalize())
            .filter(p -> Files.isDirectory(p.resolve("data").resolve("football-data")))
            .findFirst().orElseThrow();
    /** Under load (two shared cores) a run takes several times what it takes alone. */
    static final Duration RUN = Duration.ofMinutes(10);
    static final Duration STOP = Duration.ofMinutes(3);
    /** zonky's cache of the PostgreSQL binaries, which it unpacks once per temporary directory and keeps by design. */
    static final String POSTGRES_BINARIES = "embedded-pg";
    static final Pattern WORK_DIR = Pattern.compile("Local stack started in \\d+ ms: .*; data in (\\S+)");
    static final Pattern POSTMASTER = Pattern.compile("PostgreSQL ready on \\S+ \\(pid (\\d+)\\)");
    static final Pattern LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (ERROR|WARN |INFO |DEBUG|TRACE) +(.*)");

    @TempDir
    Path dir;

    @Test
    void shouldLandTheSamplesWithAQuietConsoleAndTheFullLogInTheFile() throws Exception {
        String secret = "Sink-Secret-7f3a9c";
        Child local = Child.start(dir, EventflowLocal.class, Map.of("EVENTFLOW_SINK_PASSWORD", secret), "--once", "--free-ports");

        assertThat(local.waitFor(RUN)).as("exit code; output:\n%s", local.output()).isZero();

        List<String> out = local.stdout();
        assertThat(out.get(0)).isEqualTo("Full log: " + local.logFile());
        assertThat(out).contains("| events | 1,140 |", "| return_rates | 8,732 |", "| quarantine | 0 |");
        assertQuietConsole(local);
        // The full log is in the file: eventflow's INFO lines, and the warnings of a healthy run that stay off the console
        List<String> log = local.log();
        assertThat(log).anyMatch(line -> line.contains(" INFO  [main] dev.eventflow.localstack.LocalStack - Local stack started in "));
        assertThat(log).anyMatch(line -> line.contains("org.apache.kafka.streams.processor.internals.StateDirectory - Using an OS temp directory"));
        assertThat(local.stderr()).noneMatch(line -> line.contains("Using an OS temp directory"));
        // The sink role's password (set, and used by the connectors and the supervisor) is in no line of the run.
        assertThat(out).as("stdout").noneMatch(line -> line.contains(secret));
        assertThat(local.stderr()).as("stderr").noneMatch(line -> line.contains(secret));
        assertThat(log).as("the log file").isNotEmpty().noneMatch(line -> line.contains(secret));
        assertNothingLeft(local, Set.of());
    }

    @Test
    void shouldStopTheLiveRunOnSigtermLeavingNothingListeningNorOnDisk() throws Exception {
        Child local = Child.start(dir, EventflowLocal.class, Map.of(), "--free-ports");
        Set<Integer> ports = awaitLiveStatus(local);

        local.signal("TERM");

        assertThat(local.waitFor(STOP)).as("exit code; output:\n%s", local.output()).isEqualTo(128 + 15);
        assertStoppedOnSignal(local, ports);
    }

    @Test
    void shouldStopTheLiveRunOnCtrlCLeavingNothingListeningNorOnDisk() throws Exception {
        // A shell starts background commands with SIGINT ignored, and the JVM keeps it so; perl (part of every Debian)
        // gives the command the default disposition back, as a terminal's Ctrl-C finds it.
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")), "needs /usr/bin/perl to restore SIGINT's default");
        Child local = Child.start(dir, EventflowLocal.class, Map.of(), List.of("/usr/bin/perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die"),
                "--free-ports");
        Set<Integer> ports = awaitLiveStatus(local);

        local.signal("INT");

        assertThat(local.waitFor(STOP)).as("exit code; output:\n%s", local.output()).isEqualTo(128 + 2);
        assertStoppedOnSignal(local, ports);
    }

    @Test
    void shouldSayOnTheConsoleWhyItCannotStartWhenPostgresIsUnreachableAndLeaveNothing() throws Exception {
        int closed = Ports.freePort();
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/postgres";
        Child local = Child.start(dir, EventflowLocal.class, Map.of(), "--once", "--free-ports", "--postgres-url", url);

        assertThat(local.waitFor(RUN)).as("exit code; output:\n%s", local.output()).isEqualTo(1);

        List<String> err = local.stderr();
        assertThat(err).isNotEmpty();
        assertThat(err.get(err.size() - 1)).startsWith("eventflow local: ").contains("Connection to 127.0.0.1:" + closed + " refused");
        assertNothingLeft(local, Set.of());
    }

    @Test
    void shouldRunTheStackWithTheSinkPasswordSetAndStopItOnSigterm() throws Exception {
        Child stack = Child.start(dir, LocalStackMain.class, Map.of("EVENTFLOW_SINK_PASSWORD", "stack-it-secret"), "--free-ports");
        await("the stack running").atMost(RUN).pollInterval(Duration.ofMillis(500))
                .until(() -> stack.stdout().contains("Press Ctrl-C to stop.") || !stack.process.isAlive());
        assertThat(stack.process.isAlive()).as("running; output:\n%s", stack.output()).isTrue();
        Set<Integer> ports = stack.listeningPorts();

        stack.signal("TERM");

        assertThat(stack.waitFor(STOP)).as("exit code; output:\n%s", stack.output()).isEqualTo(128 + 15);
        List<String> out = stack.stdout();
        assertThat(out.get(0)).isEqualTo("Full log: " + stack.logFile());
        assertThat(out.subList(out.size() - 2, out.size())).containsExactly("Stopping ...", "Stopped.");
        assertThat(stack.stderr()).noneMatch(line -> line.contains("ERROR"));
        assertNothingLeft(stack, ports);
    }

    /** Waits for the status line of the live feed; returns the ports the run listens on. */
    private static Set<Integer> awaitLiveStatus(Child local) throws IOException {
        await("the live status line").atMost(RUN).pollInterval(Duration.ofMillis(500))
                .until(() -> local.stdout().stream().anyMatch(line -> line.startsWith("records in ")) || !local.process.isAlive());
        assertThat(local.process.isAlive()).as("running; output:\n%s", local.output()).isTrue();
        Set<Integer> ports = local.listeningPorts();
        // broker, controller, Connect, PostgreSQL, the processor's and the supervisor's metrics
        assertThat(ports).hasSizeGreaterThanOrEqualTo(6);
        return ports;
    }

    private static void assertStoppedOnSignal(Child local, Set<Integer> ports) throws IOException {
        List<String> out = local.stdout();
        assertThat(out.subList(out.size() - 2, out.size()))
                .containsExactly("Stopping ...", "Stopped: nothing is left running, and the stack's data is deleted.");
        assertQuietConsole(local);
        assertNothingLeft(local, ports);
    }

    /** No ERROR on the console, and no WARN twice. */
    private static void assertQuietConsole(Child child) throws IOException {
        List<String> problems = new ArrayList<>();
        for (String line : child.stderr()) {
            Matcher matcher = LOG_LINE.matcher(line);
            if (matcher.matches()) {
                problems.add(matcher.group(1).strip() + " " + matcher.group(2));
            }
        }
        assertThat(problems).as("console").noneMatch(line -> line.startsWith("ERROR"));
        Map<String, Long> warnings = problems.stream().collect(Collectors.groupingBy(line -> line, Collectors.counting()));
        assertThat(warnings).as("warnings on the console, by count").allSatisfy((line, count) -> assertThat(count).as(line).isOne());
    }

    /**
     * The process has exited; nothing it listened on listens, PostgreSQL is gone, the stack's work
     * directory is deleted and nothing else is in the temporary directory, and the log ends with the
     * stop's last line.
     */
    private static void assertNothingLeft(Child child, Set<Integer> ports) throws IOException {
        assertThat(child.process.isAlive()).isFalse();
        List<String> log = child.log();
        Path workDir = log.stream().map(WORK_DIR::matcher).filter(Matcher::find).map(m -> Path.of(m.group(1))).findFirst()
                .orElseThrow(() -> new AssertionError("No work directory in the log:\n" + String.join("\n", log)));
        assertThat(workDir).startsWithRaw(child.tmp).doesNotExist();
        try (Stream<Path> left = Files.list(child.tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("left in java.io.tmpdir").isSubsetOf(POSTGRES_BINARIES);
        }
        assertThat(log.get(log.size() - 1)).as("the log's last line").contains(" INFO  [")
                .endsWith("] dev.eventflow.localstack.LocalStack - Local stack stopped; deleted " + workDir);
        log.stream().map(POSTMASTER::matcher).filter(Matcher::find).map(m -> Long.parseLong(m.group(1)))
                .forEach(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("postmaster %d", pid).isEmpty());
        assertThat(ports.stream().filter(Ports::isListening).toList()).as("still listening, of " + ports).isEmpty();
    }

    /** A command in a JVM of its own, on this test's class path, its output in files. */
    static final class Child {
        final Process process;
        final Path tmp;
        final Path stdout;
        final Path stderr;
        final Path logFile;

        private Child(Process process, Path tmp, Path stdout, Path stderr, Path logFile) {
            this.process = process;
            this.tmp = tmp;
            this.stdout = stdout;
            this.stderr = stderr;
            this.logFile = logFile;
        }

        static Child start(Path dir, Class<?> main, Map<String, String> environment, String... args) throws IOException {
            return start(dir, main, environment, List.of(), args);
        }

        static Child start(Path dir, Class<?> main, Map<String, String> environment, List<String> launcher, String... args)
                throws IOException {
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            Path logFile = dir.resolve("command.log");
            List<String> command = new ArrayList<>(launcher);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-Djava.io.tmpdir=" + tmp);
            command.add("-Deventflow.home=" + ROOT);
            command.add("-Deventflow.log.file=" + logFile);
            String pluginPath = System.getProperty("eventflow.connect.plugin.path");
            if (pluginPath != null) {
                command.add("-Deventflow.connect.plugin.path=" + pluginPath);
            }
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(main.getName());
            command.addAll(List.of(args));
            Path stdout = dir.resolve("stdout.txt");
            Path stderr = dir.resolve("stderr.txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("EVENTFLOW_"));
            builder.environment().putAll(environment);
            return new Child(builder.start(), tmp, stdout, stderr, logFile);
        }

        Path logFile() {
            return logFile;
        }

        int waitFor(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("Still running after " + timeout + "; output:\n" + output());
            }
            return process.exitValue();
        }

        /** Sends a signal to the JVM (the launcher, if any, exec'd it: same process). */
        void signal(String name) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
        }

        List<String> stdout() throws IOException {
            return Files.readAllLines(stdout, StandardCharsets.UTF_8);
        }

        List<String> stderr() throws IOException {
            return Files.readAllLines(stderr, StandardCharsets.UTF_8);
        }

        List<String> log() throws IOException {
            return Files.exists(logFile) ? Files.readAllLines(logFile, StandardCharsets.UTF_8) : List.of();
        }

        String output() {
            try {
                return "--- stdout\n" + String.join("\n", stdout()) + "\n--- stderr\n" + String.join("\n", stderr());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The TCP ports the JVM and the PostgreSQL server it started listen on, from /proc. */
        Set<Integer> listeningPorts() throws IOException {
            Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/net")), "reads listening sockets from /proc (Linux)");
            Set<Long> pids = new HashSet<>();
            pids.add(process.pid());
            log().stream().map(POSTMASTER::matcher).filter(Matcher::find).forEach(m -> pids.add(Long.parseLong(m.group(1))));
            Set<String> inodes = new HashSet<>();
            for (long pid : pids) {
                try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                    fds.forEach(fd -> link(fd).filter(target -> target.startsWith("socket:["))
                            .ifPresent(target -> inodes.add(target.substring(8, target.length() - 1))));
                }
            }
            Set<Integer> ports = new HashSet<>();
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                List<String> sockets = Files.readAllLines(Path.of(table));
                for (String line : sockets.subList(1, sockets.size())) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields[3].equals("0A") && inodes.contains(fields[9])) {
                        ports.add(Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16));
                    }
                }
            }
            return ports;
        }

        private static Optional<String> link(Path fd) {
            try {
                return Optional.of(Files.readSymbolicLink(fd).toString());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }
}
