package dev.eventflow.testing;

import dev.eventflow.localstack.LocalStack;
import dev.eventflow.localstack.LocalStackConfig;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class one running {@link LocalStack} (broker, Connect worker and PostgreSQL on
 * free ports), started before the first test and stopped after the last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalStackExtension STACK = LocalStackExtension.full();
 * }</pre>
 */
public final class LocalStackExtension implements BeforeAllCallback, AfterAllCallback {

    private final UnaryOperator<LocalStackConfig> customizer;
    private LocalStack stack;

    private LocalStackExtension(UnaryOperator<LocalStackConfig> customizer) {
        this.customizer = customizer;
    }

    /** Broker, Connect worker with the JDBC sink, and PostgreSQL. */
    public static LocalStackExtension full() {
        return new LocalStackExtension(UnaryOperator.identity());
    }

    /** A stack adjusted by {@code customizer}, applied after the free-port defaults. */
    public static LocalStackExtension configured(UnaryOperator<LocalStackConfig> customizer) {
        return new LocalStackExtension(customizer);
    }

    /** The running stack; only valid inside tests of the class. */
    public LocalStack stack() {
        if (stack == null) {
            throw new IllegalStateException("The local stack is not running: register the extension as a static field");
        }
        return stack;
    }

    /** The stack's Kafka as a {@link KafkaCluster}. */
    public KafkaCluster cluster() {
        LocalStack running = stack();
        return new KafkaCluster() {
            @Override
            public String bootstrapServers() {
                return running.bootstrapServers();
            }

            @Override
            public String kind() {
                return "embedded";
            }
        };
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        stack = LocalStack.start(customizer.apply(LocalStackConfig.defaults().withFreePorts()));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }
}
