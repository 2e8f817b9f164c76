package dev.eventflow.processor.normalize;

import dev.eventflow.model.Entity;
import java.time.Instant;

/** Turns a provider's spelling of a participant into the canonical {@link Entity}. */
public final class EntityResolver {

    private final AliasTable aliases;

    public EntityResolver(AliasTable aliases) {
        this.aliases = aliases;
    }

    /**
     * Resolves a name: the alias table's canonical name when it has one, else the provider's
     * spelling in display form. The id is {@code sport:slug(canonical name)}.
     */
    public Entity resolve(String sport, String field, String rawName, Instant updatedAt) throws ValidationException {
        String display = Names.display(field, rawName);
        String name = aliases.canonical(sport, display).orElse(display);
        String slug = Names.slug(name);
        return new Entity(sport + ":" + slug, sport, name, slug, updatedAt);
    }
}
