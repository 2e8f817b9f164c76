package dev.eventflow.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Secrets from configuration: the value of a key (set through its {@code EVENTFLOW_*} environment variable, never on
 * a command line), or the content of the file named by the same key with {@code .file} appended (a Docker or
 * Kubernetes secret). Errors name the key or the file, never the value.
 */
public final class Secrets {

    /** What a key's file variant is called: {@code kafka.sasl.password} and {@code kafka.sasl.password.file}. */
    public static final String FILE_SUFFIX = ".file";

    private Secrets() {
    }

    /**
     * The secret of {@code key}: its value, else the content of the file {@code key.file} (without its final line
     * break); empty when neither is set.
     *
     * @throws IllegalArgumentException when both are set, or the file cannot be read or is empty
     */
    public static Optional<String> resolve(Config config, String key) {
        String fileKey = key + FILE_SUFFIX;
        boolean hasValue = config.asMap().containsKey(key) && !config.asMap().get(key).isEmpty();
        if (hasValue && config.has(fileKey)) {
            throw new IllegalArgumentException("Set either '" + key + "' or '" + fileKey + "', not both");
        }
        if (hasValue) {
            // Not trimmed: a password may begin or end with a space.
            return Optional.of(config.asMap().get(key));
        }
        if (!config.has(fileKey)) {
            return Optional.empty();
        }
        Path file = Path.of(config.getString(fileKey));
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the secret file " + file + " ('" + fileKey + "'): "
                    + e.getClass().getSimpleName(), e);
        }
        String secret = content.endsWith("\r\n") ? content.substring(0, content.length() - 2)
                : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("The secret file " + file + " ('" + fileKey + "') is empty");
        }
        return Optional.of(secret);
    }

    /** The environment variable that sets {@code key}, for messages that say where a secret goes. */
    public static String envVariable(String key) {
        return Config.ENV_PREFIX + Config.envName(key);
    }
}
