package dev.eventflow.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Real tools a test runs as processes (Debian's prometheus, prometheus-alertmanager and docker-compose
 * packages). A test that needs one is skipped with the reason where it is missing, and fails instead when
 * REQUIRE_TEST_TOOLS=1 (set by .ci/run, which installs them).
 */
public final class ExternalTools {

    private ExternalTools() {
    }

    /** The executable, found on the PATH under one of {@code names}. */
    public static Path require(String... names) {
        for (String name : names) {
            Optional<Path> found = find(name);
            if (found.isPresent()) {
                return found.get();
            }
        }
        String reason = "none of " + List.of(names) + " is on the PATH (apt-get install prometheus prometheus-alertmanager docker-compose)";
        if ("1".equals(System.getenv("REQUIRE_TEST_TOOLS"))) {
            fail(reason + ", and REQUIRE_TEST_TOOLS=1 asks for them");
        }
        assumeTrue(false, reason);
        throw new IllegalStateException("unreachable");
    }

    private static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** What a finished command printed, stdout and stderr together. */
    public record Result(int exit, String output) {
    }

    public static Result run(Path dir, Path tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(command + " did not finish in 2 minutes");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
