package dev.eventflow.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The configuration keys one application accepts: exact keys with their defaults, and prefixes
 * under which any key is passed through (for example Kafka client settings under {@code kafka.}).
 * Immutable; build with {@link #builder()} and combine with {@link #and(ConfigSpec)}.
 */
public final class ConfigSpec {

    private final Map<String, String> defaults;
    private final Set<String> keys;
    private final Set<String> prefixes;
    private final Map<String, String> docs;

    private ConfigSpec(Map<String, String> defaults, Set<String> keys, Set<String> prefixes, Map<String, String> docs) {
        this.defaults = Map.copyOf(defaults);
        this.keys = Set.copyOf(keys);
        this.prefixes = Set.copyOf(prefixes);
        this.docs = Map.copyOf(docs);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Keys with a default value. */
    public Map<String, String> defaults() {
        return defaults;
    }

    /** Every exact key, with or without a default. */
    public Set<String> keys() {
        return keys;
    }

    /** Prefixes under which any key is accepted. */
    public Set<String> prefixes() {
        return prefixes;
    }

    /** One-line description of a key or prefix, or null. */
    public String doc(String keyOrPrefix) {
        return docs.get(keyOrPrefix);
    }

    /** Whether {@code key} is an exact key or lies under a prefix. */
    public boolean accepts(String key) {
        if (keys.contains(key)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                return true;
            }
        }
        return false;
    }

    /** The union of this spec and {@code other}; a key defined by both must have the same default. */
    public ConfigSpec and(ConfigSpec other) {
        Builder builder = new Builder();
        builder.defaults.putAll(defaults);
        builder.keys.addAll(keys);
        builder.prefixes.addAll(prefixes);
        builder.docs.putAll(docs);
        for (Map.Entry<String, String> entry : other.defaults.entrySet()) {
            String previous = builder.defaults.putIfAbsent(entry.getKey(), entry.getValue());
            if (previous != null && !previous.equals(entry.getValue())) {
                throw new IllegalArgumentException("Conflicting defaults for " + entry.getKey()
                        + ": '" + previous + "' and '" + entry.getValue() + "'");
            }
        }
        builder.keys.addAll(other.keys);
        builder.prefixes.addAll(other.prefixes);
        other.docs.forEach(builder.docs::putIfAbsent);
        return builder.build();
    }

    /** Builds a {@link ConfigSpec}. */
    public static final class Builder {
        private final Map<String, String> defaults = new LinkedHashMap<>();
        private final Set<String> keys = new LinkedHashSet<>();
        private final Set<String> prefixes = new LinkedHashSet<>();
        private final Map<String, String> docs = new LinkedHashMap<>();

        private Builder() {
        }

        /** A key with a default value. */
        public Builder define(String key, String defaultValue, String doc) {
            keys.add(Objects.requireNonNull(key, "key"));
            defaults.put(key, Objects.requireNonNull(defaultValue, "defaultValue"));
            docs.put(key, doc);
            return this;
        }

        /** A key without a default: absent unless set. */
        public Builder optional(String key, String doc) {
            keys.add(Objects.requireNonNull(key, "key"));
            docs.put(key, doc);
            return this;
        }

        /** A prefix under which any key is accepted; it must end with a dot. */
        public Builder prefix(String prefix, String doc) {
            if (!prefix.endsWith(".")) {
                throw new IllegalArgumentException("A prefix must end with '.': " + prefix);
            }
            prefixes.add(prefix);
            docs.put(prefix, doc);
            return this;
        }

        public ConfigSpec build() {
            return new ConfigSpec(defaults, keys, prefixes, docs);
        }
    }
}
