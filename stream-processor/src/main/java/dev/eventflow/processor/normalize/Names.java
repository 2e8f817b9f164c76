package dev.eventflow.processor.normalize;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Name canonicalization. Display names keep the provider's letters and case, in Unicode NFC with
 * whitespace trimmed and collapsed. Matching keys ({@link #slug}) are case- and accent-insensitive:
 * lower case (locale-independent), diacritics removed, every run of other characters one {@code -}.
 */
public final class Names {

    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}]+");
    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");
    public static final int MAX_LENGTH = 100;

    private Names() {
    }

    /**
     * The display form of a name: NFC, trimmed, inner whitespace collapsed to one space.
     *
     * @throws ValidationException when the name is missing, blank, too long or holds control characters
     */
    public static String display(String field, String raw) throws ValidationException {
        if (raw == null) {
            throw new ValidationException("missing-field", "missing field " + field);
        }
        String name = WHITESPACE.matcher(Normalizer.normalize(raw, Normalizer.Form.NFC)).replaceAll(" ").trim();
        if (name.isEmpty()) {
            throw new ValidationException("missing-field", "missing field " + field);
        }
        if (CONTROL.matcher(name).find()) {
            throw new ValidationException("invalid-name", field + " holds control characters");
        }
        if (name.length() > MAX_LENGTH) {
            throw new ValidationException("invalid-name", field + " is longer than " + MAX_LENGTH + " characters");
        }
        if (slug(name).isEmpty()) {
            throw new ValidationException("invalid-name", field + " '" + name + "' has no letters or digits");
        }
        return name;
    }

    /** The matching key of a name: {@code "Atlético  Madrid"} and {@code "ATLETICO MADRID"} both give {@code atletico-madrid}. */
    public static String slug(String name) {
        String decomposed = Normalizer.normalize(name, Normalizer.Form.NFKD);
        String ascii = COMBINING_MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT);
        String slug = NON_ALPHANUMERIC.matcher(ascii).replaceAll("-");
        int start = 0;
        int end = slug.length();
        while (start < end && slug.charAt(start) == '-') {
            start++;
        }
        while (end > start && slug.charAt(end - 1) == '-') {
            end--;
        }
        return slug.substring(start, end);
    }
}
