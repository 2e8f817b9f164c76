package dev.eventflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventflow.config.Config;
import dev.eventflow.ingest.IngestConfig;
import dev.eventflow.sink.SinkMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every password and API key an app reads can come from a file (a Docker or Kubernetes secret) named by its
 * {@code _FILE} variable, as the Kafka passwords can: PostgreSQL's owner, sink and reader roles, Connect's REST API,
 * The Odds API and football-data.org.
 */
class SecretFilesTest {

    @TempDir
    Path dir;

    @Test
    void thePostgresAndConnectPasswordsComeFromFiles() throws Exception {
        Config config = Config.load(InitMain.SPEC, null, Map.of(
                "EVENTFLOW_POSTGRES_OWNER_PASSWORD_FILE", secret("owner", "owner-from-file\n"),
                "EVENTFLOW_SINK_PASSWORD_FILE", secret("sink", "sink-from-file"),
                "EVENTFLOW_SINK_READER_PASSWORD_FILE", secret("reader", "reader-from-file\r\n"),
                "EVENTFLOW_CONNECT_USER", "eventflow",
                "EVENTFLOW_CONNECT_PASSWORD_FILE", secret("connect", "connect-from-file\n")));

        assertThat(SinkMain.secret(config, SinkMain.OWNER_PASSWORD)).isEqualTo("owner-from-file");
        assertThat(SinkMain.roles(config).sinkPassword()).isEqualTo("sink-from-file");
        assertThat(SinkMain.roles(config).readerPassword()).isEqualTo("reader-from-file");
        assertThat(SinkMain.secret(config, SinkMain.CONNECT_PASSWORD)).isEqualTo("connect-from-file");
    }

    @Test
    void theProvidersKeysComeFromFiles() throws Exception {
        IngestConfig config = IngestConfig.load(null, Map.of(
                "EVENTFLOW_THE_ODDS_API_KEY_FILE", secret("odds", "odds-key-from-file\n"),
                "EVENTFLOW_FOOTBALL_DATA_ORG_KEY_FILE", secret("fdo", "fdo-token-from-file")));

        assertThat(config.theOddsApiKey()).contains("odds-key-from-file");
        assertThat(config.footballDataOrgKey()).contains("fdo-token-from-file");
        // An empty variable (as compose passes an unset key) is no key.
        assertThat(IngestConfig.load(null, Map.of("EVENTFLOW_THE_ODDS_API_KEY", "")).theOddsApiKey()).isEmpty();
    }

    @Test
    void aSecretSetBothWaysOrAnEmptyFileIsRefusedNamingTheKeysNotTheValue() throws Exception {
        Config both = Config.load(SinkMain.SPEC, null, Map.of("EVENTFLOW_SINK_PASSWORD", "sink-in-env",
                "EVENTFLOW_SINK_PASSWORD_FILE", secret("sink", "sink-in-file")));
        assertThatThrownBy(() -> SinkMain.roles(both)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Set either 'sink.password' or 'sink.password.file', not both");

        Path empty = Path.of(secret("empty", ""));
        IngestConfig emptyFile = IngestConfig.load(null, Map.of("EVENTFLOW_THE_ODDS_API_KEY_FILE", empty.toString()));
        assertThatThrownBy(emptyFile::theOddsApiKey).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The secret file " + empty + " ('the-odds-api.key.file') is empty");
    }

    private String secret(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file.toString();
    }
}
