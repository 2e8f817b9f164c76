package dev.eventflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml through {@code docker-compose config} (Debian's docker-compose 1.29, which needs no
 * engine): it validates the file against the Compose Specification schema it bundles (compose_spec.json),
 * resolves the variables and merges, and refuses a missing secret.
 */
class ComposeConfigIT {

    @TempDir
    Path dir;

    @Test
    void theFileIsValidWithEveryProfile() throws Exception {
        Path compose = ExternalTools.require("docker-compose");
        ExternalTools.Result result = ExternalTools.run(ComposeFile.ROOT, compose, "--env-file", ".env.example",
                "--profile", "poll", "--profile", "monitoring", "-f", "docker-compose.yml", "config");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("stream-processor:", "EVENTFLOW_SINK_PASSWORD: change-me-sink",
                "image: apache/kafka:4.3.1");
    }

    @Test
    void aMissingSecretStopsItNamingTheVariable() throws Exception {
        Path compose = ExternalTools.require("docker-compose");
        Map<String, String> env = ComposeFile.envFile(ComposeFile.ROOT.resolve(".env.example"));
        env.remove("EVENTFLOW_SINK_PASSWORD");
        Path envFile = dir.resolve("incomplete.env");
        Files.writeString(envFile, env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        ExternalTools.Result result = ExternalTools.run(ComposeFile.ROOT, compose, "--env-file", envFile.toString(),
                "-f", "docker-compose.yml", "config", "-q");
        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).contains("set EVENTFLOW_SINK_PASSWORD in .env");
    }
}
