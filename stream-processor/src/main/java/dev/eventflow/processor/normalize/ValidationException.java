package dev.eventflow.processor.normalize;

import java.util.Objects;

/**
 * A record breaks a rule of the contract. Carries a short, stable {@code code} for metrics
 * (for example {@code missing-field}) and a one-line human-readable reason for the dead letter.
 */
public final class ValidationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    public ValidationException(String code, String reason) {
        super(Objects.requireNonNull(reason, "reason"), null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** Stable reason code, low cardinality, for metrics and queries. */
    public String code() {
        return code;
    }

    /** One-line reason. */
    public String reason() {
        return getMessage();
    }
}
