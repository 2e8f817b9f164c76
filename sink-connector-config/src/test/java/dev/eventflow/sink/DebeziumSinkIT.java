package dev.eventflow.sink;

import dev.eventflow.testing.LocalStackExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shipped Debezium JDBC sink connectors ({@code connectors/debezium/}). */
class DebeziumSinkIT extends AbstractSinkIT {

    @RegisterExtension
    static final LocalStackExtension STACK = LocalStackExtension.full();

    @Override
    String flavour() {
        return "debezium";
    }

    @Override
    LocalStackExtension stackExtension() {
        return STACK;
    }
}
