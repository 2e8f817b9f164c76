package dev.eventflow.processor.normalize;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Alternative spellings of entity names, per sport, so that {@code Man United} and
 * {@code Manchester United} resolve to one entity. The file format (UTF-8):
 *
 * <pre>
 * # comment
 * [football]
 * Manchester United = Man United, Man Utd, Manchester Utd
 * </pre>
 *
 * The canonical name is on the left; matching is by {@link Names#slug}, so case, accents and
 * punctuation do not matter. Tables combine with {@link #overriddenBy}: a user's file extends the
 * built-in table and wins where both name the same alias.
 */
public final class AliasTable {

    /** The table bundled with eventflow (provider spellings seen in practice). */
    public static final String BUILT_IN_RESOURCE = "/aliases/default-aliases.txt";

    private final Map<String, String> canonicalBySportAndSlug;

    private AliasTable(Map<String, String> canonicalBySportAndSlug) {
        this.canonicalBySportAndSlug = Map.copyOf(canonicalBySportAndSlug);
    }

    public static AliasTable empty() {
        return new AliasTable(Map.of());
    }

    public static AliasTable builtIn() {
        try (InputStream in = AliasTable.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + BUILT_IN_RESOURCE);
            }
            return parse(in, BUILT_IN_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static AliasTable load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read alias file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the format above; an error names the source and line. */
    public static AliasTable parse(InputStream in, String source) throws IOException {
        Map<String, String> table = new HashMap<>();
        String sport = null;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String text = line.strip();
            if (number == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1).strip();
            }
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (text.startsWith("[") && text.endsWith("]")) {
                sport = text.substring(1, text.length() - 1).strip().toLowerCase(Locale.ROOT);
                continue;
            }
            int equals = text.indexOf('=');
            if (sport == null || equals <= 0) {
                throw new IllegalArgumentException(source + ":" + number + ": expected '[sport]' or 'Canonical = alias, alias'");
            }
            String canonical = text.substring(0, equals).strip();
            put(table, sport, canonical, canonical, source, number);
            for (String alias : text.substring(equals + 1).split(",")) {
                if (!alias.isBlank()) {
                    put(table, sport, alias.strip(), canonical, source, number);
                }
            }
        }
        return new AliasTable(table);
    }

    /** This table with {@code other}'s entries added, replacing entries for the same alias. */
    public AliasTable overriddenBy(AliasTable other) {
        Map<String, String> merged = new HashMap<>(canonicalBySportAndSlug);
        merged.putAll(other.canonicalBySportAndSlug);
        return new AliasTable(merged);
    }

    /** The canonical name for {@code name} in {@code sport}, if the table knows it. */
    public Optional<String> canonical(String sport, String name) {
        return Optional.ofNullable(canonicalBySportAndSlug.get(sport + ":" + Names.slug(name)));
    }

    /** The canonical name for a name whose {@link Names#slug} is {@code slug} in {@code sport}: no normalizing. */
    public Optional<String> canonicalOfSlug(String sport, String slug) {
        return Optional.ofNullable(canonicalBySportAndSlug.get(sport + ":" + slug));
    }

    public int size() {
        return canonicalBySportAndSlug.size();
    }

    /** Every alias of {@code sport} (canonical names included), as slug to canonical name. */
    public Map<String, String> entries(String sport) {
        String prefix = sport + ":";
        Map<String, String> entries = new TreeMap<>();
        canonicalBySportAndSlug.forEach((key, canonical) -> {
            if (key.startsWith(prefix)) {
                entries.put(key.substring(prefix.length()), canonical);
            }
        });
        return entries;
    }

    private static void put(Map<String, String> table, String sport, String alias, String canonical, String source, int line) {
        String slug = Names.slug(alias);
        if (slug.isEmpty()) {
            throw new IllegalArgumentException(source + ":" + line + ": '" + alias + "' has no letters or digits");
        }
        String previous = table.put(sport + ":" + slug, canonical);
        if (previous != null && !previous.equals(canonical)) {
            throw new IllegalArgumentException(source + ":" + line + ": '" + alias + "' is already an alias of '" + previous + "'");
        }
    }
}
