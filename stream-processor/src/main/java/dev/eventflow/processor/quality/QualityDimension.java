package dev.eventflow.processor.quality;

import java.util.Locale;

/** The dimensions of data quality, in the order of {@code quality.scores}; see docs/stream-processor.md. */
public enum QualityDimension {
    VALIDITY, COMPLETENESS, UNIQUENESS, TIMELINESS, CONSISTENCY, PLAUSIBILITY;

    /** The name in configuration keys and metric tags: {@code validity}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
