package dev.eventflow.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Resolved configuration of one application: defaults, then a properties file, then environment
 * variables, each layer overriding the one before. An environment variable
 * {@code EVENTFLOW_FOO_BAR_BAZ} sets the key whose upper-cased form with {@code .} and {@code -}
 * replaced by {@code _} is {@code FOO_BAR_BAZ}; under a prefix, the rest of the name becomes
 * lower case with {@code _} read as {@code .}. Unknown keys, in the file or in the environment,
 * are refused with the key named.
 */
public final class Config {

    /** Prefix of the environment variables that configure eventflow. */
    public static final String ENV_PREFIX = "EVENTFLOW_";

    private final Map<String, String> values;

    private Config(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** Defaults only. */
    public static Config defaults(ConfigSpec spec) {
        return load(spec, null, Map.of());
    }

    /**
     * Resolves the layers.
     *
     * @param spec the accepted keys and their defaults
     * @param file a properties file (UTF-8), or null
     * @param env  the environment, usually {@code System.getenv()}; only {@code EVENTFLOW_*} entries are read
     * @throws IllegalArgumentException on an unknown key, naming it and where it was set
     */
    public static Config load(ConfigSpec spec, Path file, Map<String, String> env) {
        Map<String, String> values = new TreeMap<>(spec.defaults());
        if (file != null) {
            values.putAll(readFile(spec, file));
        }
        values.putAll(fromEnvironment(spec, env));
        return new Config(values);
    }

    /** A config holding exactly {@code values}, after checking every key against {@code spec}. */
    public static Config of(ConfigSpec spec, Map<String, String> values) {
        Map<String, String> merged = new TreeMap<>(spec.defaults());
        values.forEach((key, value) -> {
            if (!spec.accepts(key)) {
                throw new IllegalArgumentException("Unknown configuration key '" + key + "'");
            }
            merged.put(key, value);
        });
        return new Config(merged);
    }

    /** A copy with {@code key} set to {@code value}. */
    public Config with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new Config(copy);
    }

    public Map<String, String> asMap() {
        return values;
    }

    public boolean has(String key) {
        return values.containsKey(key) && !values.get(key).isBlank();
    }

    public String getString(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("Missing configuration key '" + key + "'");
        }
        return value.trim();
    }

    public String getString(String key, String fallback) {
        return has(key) ? getString(key) : fallback;
    }

    public int getInt(String key) {
        String value = getString(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Configuration key '" + key + "' must be an integer, was '" + value + "'", e);
        }
    }

    public long getLong(String key) {
        String value = getString(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Configuration key '" + key + "' must be an integer, was '" + value + "'", e);
        }
    }

    public boolean getBoolean(String key) {
        String value = getString(key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    "Configuration key '" + key + "' must be true or false, was '" + value + "'");
        };
    }

    /** A duration in ISO-8601 ({@code PT30S}) or as milliseconds ({@code 30000}). */
    public Duration getDuration(String key) {
        String value = getString(key);
        try {
            return value.matches("-?\\d+") ? Duration.ofMillis(Long.parseLong(value)) : Duration.parse(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Configuration key '" + key
                    + "' must be a duration such as PT30S or milliseconds, was '" + value + "'", e);
        }
    }

    /** The keys under {@code prefix}, with the prefix removed. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> result = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                result.put(key.substring(prefix.length()), value);
            }
        });
        return result;
    }

    private static Map<String, String> readFile(ConfigSpec spec, Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> result = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!spec.accepts(key)) {
                throw new IllegalArgumentException("Unknown configuration key '" + key + "' in " + file);
            }
            result.put(key, properties.getProperty(key));
        }
        return result;
    }

    private static Map<String, String> fromEnvironment(ConfigSpec spec, Map<String, String> env) {
        Map<String, String> result = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                result.put(keyForEnv(spec, name), value);
            }
        });
        return result;
    }

    private static String keyForEnv(ConfigSpec spec, String name) {
        String wanted = name.substring(ENV_PREFIX.length());
        for (String key : spec.keys()) {
            if (envName(key).equals(wanted)) {
                return key;
            }
        }
        String best = null;
        for (String prefix : spec.prefixes()) {
            String envPrefix = envName(prefix);
            if (wanted.startsWith(envPrefix) && wanted.length() > envPrefix.length()
                    && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("Unknown configuration key in environment variable " + name);
        }
        String rest = wanted.substring(envName(best).length());
        return best + rest.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** The environment-variable form of a key or prefix, without {@link #ENV_PREFIX}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public String toString() {
        // Values may hold credentials: list the keys only.
        return "Config" + values.keySet();
    }
}
