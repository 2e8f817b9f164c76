package dev.eventflow.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;

/**
 * How an eventflow application authenticates to Kafka: the same keys in every application's configuration
 * ({@code kafka.security.protocol}, {@code kafka.sasl.*}, {@code kafka.ssl.truststore.*}), turned into Kafka client
 * settings. PLAINTEXT (no credentials) is the default; with {@code SASL_PLAINTEXT} or {@code SASL_SSL} the client
 * logs in with SCRAM-SHA-512 as {@code kafka.sasl.username}. Passwords come from {@code EVENTFLOW_*} variables or
 * files ({@link Secrets}), travel to the clients as {@link Password} values (which Kafka logs as {@code [hidden]}),
 * and never appear in {@link #toString()} or a message.
 */
public final class KafkaSecurity {

    public static final String PROTOCOL = "kafka.security.protocol";
    public static final String SASL_MECHANISM = "kafka.sasl.mechanism";
    public static final String SASL_USERNAME = "kafka.sasl.username";
    public static final String SASL_PASSWORD = "kafka.sasl.password";
    public static final String TRUSTSTORE_LOCATION = "kafka.ssl.truststore.location";
    public static final String TRUSTSTORE_TYPE = "kafka.ssl.truststore.type";
    public static final String TRUSTSTORE_PASSWORD = "kafka.ssl.truststore.password";

    /** The one SASL mechanism eventflow's principals use. */
    public static final String SCRAM_SHA_512 = "SCRAM-SHA-512";
    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final String SCRAM_LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

    private static final ConfigSpec SPEC = ConfigSpec.builder()
            .define(PROTOCOL, "PLAINTEXT", "PLAINTEXT (default, no credentials), SASL_PLAINTEXT, SASL_SSL or SSL")
            .define(SASL_MECHANISM, SCRAM_SHA_512, "SASL mechanism (SCRAM-SHA-512; SCRAM-SHA-256 also works)")
            .optional(SASL_USERNAME, "the principal this application logs in as (eventflow-ingest, eventflow-processor, ...)")
            .optional(SASL_PASSWORD, "its password: set it as EVENTFLOW_KAFKA_SASL_PASSWORD, never in a file you commit")
            .optional(SASL_PASSWORD + Secrets.FILE_SUFFIX, "a file holding the password instead (a Docker secret)")
            .optional(TRUSTSTORE_LOCATION, "with SSL or SASL_SSL: trust store of the broker's certificate authority "
                    + "(default: the JVM's)")
            .optional(TRUSTSTORE_TYPE, "its type (PKCS12, JKS or PEM; default: Kafka's, JKS)")
            .optional(TRUSTSTORE_PASSWORD, "its password (EVENTFLOW_KAFKA_SSL_TRUSTSTORE_PASSWORD)")
            .optional(TRUSTSTORE_PASSWORD + Secrets.FILE_SUFFIX, "a file holding the trust store's password instead")
            .build();

    private final String protocol;
    private final String mechanism;
    private final String username;
    private final String password;
    private final String truststoreLocation;
    private final String truststoreType;
    private final String truststorePassword;

    private KafkaSecurity(String protocol, String mechanism, String username, String password, String truststoreLocation,
                          String truststoreType, String truststorePassword) {
        this.protocol = protocol;
        this.mechanism = mechanism;
        this.username = username;
        this.password = password;
        this.truststoreLocation = truststoreLocation;
        this.truststoreType = truststoreType;
        this.truststorePassword = truststorePassword;
    }

    /** The keys every application accepts for its Kafka clients' security. */
    public static ConfigSpec configSpec() {
        return SPEC;
    }

    /** No security: PLAINTEXT, no credentials. */
    public static KafkaSecurity plaintext() {
        return new KafkaSecurity("PLAINTEXT", SCRAM_SHA_512, null, null, null, null, null);
    }

    /** SASL_PLAINTEXT with SCRAM-SHA-512 as {@code username}. */
    public static KafkaSecurity scram(String username, String password) {
        return new KafkaSecurity("SASL_PLAINTEXT", SCRAM_SHA_512, requireText(username, "username"),
                requireText(password, "password"), null, null, null);
    }

    /**
     * The settings of {@code config} (which must include {@link #configSpec()}).
     *
     * @throws IllegalArgumentException on an unknown protocol, or SASL without a username or password (naming the
     *                                  variable that sets it)
     */
    public static KafkaSecurity from(Config config) {
        String protocol = config.getString(PROTOCOL).toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("'" + PROTOCOL + "' must be one of PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, was '"
                    + config.getString(PROTOCOL) + "'");
        }
        String username = null;
        String password = null;
        if (protocol.startsWith("SASL_")) {
            if (!config.has(SASL_USERNAME)) {
                throw new IllegalArgumentException(PROTOCOL + "=" + protocol + " needs '" + SASL_USERNAME + "' ("
                        + Secrets.envVariable(SASL_USERNAME) + ")");
            }
            username = config.getString(SASL_USERNAME);
            password = Secrets.resolve(config, SASL_PASSWORD).orElseThrow(() -> new IllegalArgumentException(PROTOCOL + "="
                    + protocol + " needs the password of " + config.getString(SASL_USERNAME) + ": set "
                    + Secrets.envVariable(SASL_PASSWORD) + " or '" + SASL_PASSWORD + Secrets.FILE_SUFFIX + "'"));
        }
        return new KafkaSecurity(protocol, config.getString(SASL_MECHANISM).toUpperCase(Locale.ROOT), username, password,
                config.getString(TRUSTSTORE_LOCATION, null), config.getString(TRUSTSTORE_TYPE, null),
                Secrets.resolve(config, TRUSTSTORE_PASSWORD).orElse(null));
    }

    /** The same security, logging in as another principal (SASL_PLAINTEXT when this one had no SASL). */
    public KafkaSecurity as(String otherUsername, String otherPassword) {
        String saslProtocol = protocol.startsWith("SASL_") ? protocol : protocol.equals("SSL") ? "SASL_SSL" : "SASL_PLAINTEXT";
        return new KafkaSecurity(saslProtocol, mechanism, requireText(otherUsername, "username"),
                requireText(otherPassword, "password"), truststoreLocation, truststoreType, truststorePassword);
    }

    public String protocol() {
        return protocol;
    }

    /** Whether the clients log in (a SASL protocol). */
    public boolean authenticates() {
        return username != null;
    }

    /** The principal's name, when the clients log in. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /**
     * The Kafka client settings: none for PLAINTEXT; {@code security.protocol}, {@code sasl.mechanism} and
     * {@code sasl.jaas.config} (a {@link Password}) for SASL; the trust store's for SSL.
     */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        if (protocol.equals("PLAINTEXT")) {
            return config;
        }
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        if (username != null) {
            config.put(SaslConfigs.SASL_MECHANISM, mechanism);
            config.put(SaslConfigs.SASL_JAAS_CONFIG, new Password(jaasConfig(SCRAM_LOGIN_MODULE, username, password)));
        }
        if (truststoreLocation != null) {
            config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststoreLocation);
        }
        if (truststoreType != null) {
            config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, truststoreType);
        }
        if (truststorePassword != null) {
            config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, new Password(truststorePassword));
        }
        return config;
    }

    /**
     * {@link #clientConfig()} as strings, for configs that hold only strings (a Connect worker's); their holder must
     * not print them.
     */
    public Map<String, String> clientConfigStrings() {
        Map<String, String> strings = new LinkedHashMap<>();
        clientConfig().forEach((key, value) -> strings.put(key, value instanceof Password p ? p.value() : value.toString()));
        return strings;
    }

    /**
     * {@link #clientConfig()} with an application's pass-through client settings over it ({@code kafka.client.*},
     * {@code kafka.producer.*}, ...); a setting given both ways is refused, naming both keys.
     *
     * @param passthrough       client settings passed through as they are
     * @param passthroughPrefix the prefix they were configured under, for the message
     */
    public Map<String, Object> merge(Map<String, ?> passthrough, String passthroughPrefix) {
        Map<String, Object> config = clientConfig();
        for (String key : config.keySet()) {
            if (passthrough.containsKey(key)) {
                throw new IllegalArgumentException("'" + passthroughPrefix + key + "' conflicts with the " + PROTOCOL
                        + " / kafka.sasl.* / kafka.ssl.* settings: set it one way only");
            }
        }
        config.putAll(passthrough);
        return config;
    }

    /**
     * These settings as eventflow configuration keys ({@code kafka.security.protocol}, {@code kafka.sasl.*}, ...), for
     * handing to another application's configuration in this process. Holds the password: never print it.
     */
    public Map<String, String> asSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(PROTOCOL, protocol);
        settings.put(SASL_MECHANISM, mechanism);
        if (username != null) {
            settings.put(SASL_USERNAME, username);
            settings.put(SASL_PASSWORD, password);
        }
        if (truststoreLocation != null) {
            settings.put(TRUSTSTORE_LOCATION, truststoreLocation);
        }
        if (truststoreType != null) {
            settings.put(TRUSTSTORE_TYPE, truststoreType);
        }
        if (truststorePassword != null) {
            settings.put(TRUSTSTORE_PASSWORD, truststorePassword);
        }
        return settings;
    }

    /** A JAAS login module line with the credentials quoted (backslashes and quotes escaped). */
    public static String jaasConfig(String loginModule, String username, String password) {
        return loginModule + " required username=\"" + escape(username) + "\" password=\"" + escape(password) + "\";";
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("The Kafka " + what + " is empty");
        }
        return value;
    }

    @Override
    public String toString() {
        // Never the password.
        return "KafkaSecurity[" + protocol + (username == null ? "" : ", " + mechanism + " as " + username)
                + (truststoreLocation == null ? "" : ", trust store " + truststoreLocation) + "]";
    }
}
