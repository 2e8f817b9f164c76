package dev.eventflow.processor.normalize;

import dev.eventflow.model.Entity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Turns a provider's spelling of a participant into the canonical {@link Entity}. */
public final class EntityResolver {

    /**
     * Words (as {@link Names#slug} tokens) that only say what form of club a name is, such as
     * {@code FC} in {@code Arsenal FC}; the club-form rule removes them from the start and end of a
     * name. Words that tell clubs apart (Real, Sporting, Inter, City, United...) are not here.
     */
    static final Set<String> CLUB_FORM_WORDS = Set.of(
            "fc", "afc", "cf", "cfc", "sc", "sv", "ac", "acf", "ssc", "ss", "us", "as", "uc", "bc", "cd", "ud", "sd", "rcd",
            "fk", "sk", "jk", "kv", "ogc", "vfl", "vfb", "tsg", "bsc", "calcio", "club", "de", "1");

    private final AliasTable aliases;
    private final Overlay overlay;

    /**
     * Aliases added at run time (the stream processor's view of {@code entities.aliases}), asked before
     * the alias table: the canonical name of a {@code sport:slug} key, or null.
     */
    @FunctionalInterface
    public interface Overlay {
        String canonical(String sportAndSlug);
    }

    public EntityResolver(AliasTable aliases) {
        this(aliases, null);
    }

    private EntityResolver(AliasTable aliases, Overlay overlay) {
        this.aliases = aliases;
        this.overlay = overlay;
    }

    /** This resolver asking {@code overlay} before its alias table. */
    public EntityResolver withOverlay(Overlay overlay) {
        return new EntityResolver(aliases, overlay);
    }

    /** The alias table (built-in and file aliases), without the overlay. */
    public AliasTable aliases() {
        return aliases;
    }

    /**
     * Resolves a name: the canonical name the overlay or the alias table gives it, else (the club-form
     * rule) the canonical name of the name without club-form words at its start and end, fewest removed
     * first, else the provider's spelling in display form (an entity of its own, not {@link Entity#aliased}).
     * The id is {@code sport:slug(canonical name)}.
     */
    public Entity resolve(String sport, String field, String rawName, Instant updatedAt) throws ValidationException {
        String display = Names.display(field, rawName);
        Optional<String> canonical = canonical(sport, display);
        String name = canonical.orElse(display);
        String slug = Names.slug(name);
        return new Entity(sport + ":" + slug, sport, name, slug, List.of(), canonical.isPresent(), updatedAt);
    }

    /** The canonical name of {@code name}: as it is, else by the club-form rule; empty when neither finds it. */
    public Optional<String> canonical(String sport, String name) {
        String slug = Names.slug(name);
        Optional<String> found = lookup(sport, slug);
        if (found.isPresent()) {
            return found;
        }
        for (String shorter : withoutClubForm(name)) {
            found = lookup(sport, shorter);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<String> lookup(String sport, String slug) {
        if (overlay != null) {
            String added = overlay.canonical(sport + ":" + slug);
            if (added != null) {
                return Optional.of(added);
            }
        }
        return aliases.canonicalOfSlug(sport, slug);
    }

    /**
     * The slugs of {@code name} with club-form words (and founding years) removed from its start and
     * end, fewest words removed first and, for as many, the end's before the start's; at least one
     * word is always left. {@code "1. FC Köln"} gives {@code fc-koln}, {@code koln}.
     */
    static List<String> withoutClubForm(String name) {
        String[] words = Names.slug(name).split("-");
        int n = words.length;
        int leading = 0;
        while (leading < n - 1 && isClubForm(words[leading])) {
            leading++;
        }
        int trailing = 0;
        while (trailing < n - 1 && isClubForm(words[n - 1 - trailing])) {
            trailing++;
        }
        List<String> slugs = new ArrayList<>();
        for (int removed = 1; removed <= leading + trailing; removed++) {
            for (int start = Math.max(0, removed - trailing); start <= Math.min(removed, leading); start++) {
                int end = n - (removed - start);
                if (start < end) {
                    slugs.add(String.join("-", Arrays.asList(words).subList(start, end)));
                }
            }
        }
        return slugs;
    }

    private static boolean isClubForm(String word) {
        if (CLUB_FORM_WORDS.contains(word)) {
            return true;
        }
        if (word.length() == 4 && word.chars().allMatch(Character::isDigit)) {
            int year = Integer.parseInt(word);
            return year >= 1850 && year <= 2029;
        }
        return false;
    }
}
