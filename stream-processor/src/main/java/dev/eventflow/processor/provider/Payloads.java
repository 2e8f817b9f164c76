package dev.eventflow.processor.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventflow.processor.normalize.ValidationException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Field access on raw JSON payloads with the contract's error codes. */
final class Payloads {

    private Payloads() {
    }

    static JsonNode requireObject(JsonNode payload) throws ValidationException {
        if (payload != null && payload.isTextual()) {
            throw new ValidationException("invalid-payload", "payload is not a JSON object but text (a line that is not "
                    + "valid JSON is published as text)");
        }
        if (payload == null || !payload.isObject()) {
            throw new ValidationException("invalid-payload", "payload is not a JSON object but "
                    + (payload == null ? "missing" : payload.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return payload;
    }

    /** The trimmed text of a scalar field, or null when absent, null or blank. */
    static String text(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String text = node.asText().strip();
        return text.isEmpty() ? null : text;
    }

    static String requireText(JsonNode object, String field) throws ValidationException {
        String text = text(object, field);
        if (text == null) {
            throw new ValidationException("missing-field", "missing field " + field);
        }
        return text;
    }

    /** A non-negative integer score written as text or a JSON integer; null when absent. */
    static Integer score(JsonNode object, String field) throws ValidationException {
        return score(object, field, field);
    }

    /** The same, named {@code shownAs} in the reason ({@code score.fullTime.home} for the field {@code home}). */
    static Integer score(JsonNode object, String field, String shownAs) throws ValidationException {
        String text = text(object, field);
        if (text == null) {
            return null;
        }
        if (!text.matches("\\d{1,3}")) {
            throw new ValidationException("invalid-score", shownAs + " '" + text + "' is not a non-negative integer");
        }
        return Integer.parseInt(text);
    }

    /**
     * A code that goes into rows as it is (a competition, a bookmaker): required, and without control characters, which
     * no code has and PostgreSQL's text cannot hold (NUL), so a row with one could never be written.
     */
    static String requireCode(JsonNode object, String field) throws ValidationException {
        String code = requireText(object, field);
        if (hasControlCharacters(code)) {
            throw new ValidationException("invalid-field", field + " holds control characters");
        }
        return code;
    }

    static boolean hasControlCharacters(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    static Integer requireScore(JsonNode object, String field) throws ValidationException {
        Integer score = score(object, field);
        if (score == null) {
            throw new ValidationException("missing-field", "missing field " + field);
        }
        return score;
    }

    /** An ISO-8601 instant with a zone or offset ({@code 2026-11-28T15:00:00Z}); null when absent. */
    static Instant instant(JsonNode object, String field, String code) throws ValidationException {
        String text = text(object, field);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new ValidationException(code, field + " '" + text + "' is not an ISO-8601 time with an offset");
        }
    }
}
