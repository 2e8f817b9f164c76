package dev.eventflow.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A participant (a team), identified across providers by its canonical id.
 * Value of {@code entities.clean}; the key is {@link #id()}. A tombstone (null value) retires an
 * entity: its name became an alias of another entity, whose id its events now carry.
 *
 * @param id             canonical entity id, derived from the sport and the normalized name after
 *                       alias resolution, for example {@code football:manchester-united}
 * @param sport          sport, lower case, for example {@code football}
 * @param name           display name (the canonical spelling)
 * @param normalizedName the normalized name the id was derived from
 * @param providerRefs   the providers' own ids of this entity, {@code provider:id} (for example
 *                       {@code football-data-org:66}), sorted; empty when no provider gives one
 * @param aliased        whether an alias table knows the name (as a canonical name or an alias); false
 *                       for a name no alias resolves, which is an entity of its own until an alias
 *                       for it arrives (the {@code unresolved_names} view lists these)
 * @param updatedAt      source time of the version that produced this record (UTC)
 */
public record Entity(String id, String sport, String name, String normalizedName, List<String> providerRefs,
                     boolean aliased, Instant updatedAt) {

    public Entity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sport, "sport");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(normalizedName, "normalizedName");
        Objects.requireNonNull(updatedAt, "updatedAt");
        providerRefs = providerRefs == null ? List.of() : List.copyOf(providerRefs);
    }

    /**
     * From JSON. Entities written before {@code providerRefs} and {@code aliased} existed lack them: they
     * read as no references and known (those versions did not tell).
     */
    @JsonCreator
    static Entity fromJson(@JsonProperty("id") String id, @JsonProperty("sport") String sport, @JsonProperty("name") String name,
                           @JsonProperty("normalizedName") String normalizedName,
                           @JsonProperty("providerRefs") List<String> providerRefs, @JsonProperty("aliased") Boolean aliased,
                           @JsonProperty("updatedAt") Instant updatedAt) {
        return new Entity(id, sport, name, normalizedName, providerRefs, aliased == null || aliased, updatedAt);
    }

    /** An entity no provider gives an id for, whose name an alias table knows. */
    public Entity(String id, String sport, String name, String normalizedName, Instant updatedAt) {
        this(id, sport, name, normalizedName, List.of(), true, updatedAt);
    }

    /** This entity with {@code refs} as its provider references. */
    public Entity withProviderRefs(List<String> refs) {
        return new Entity(id, sport, name, normalizedName, refs, aliased, updatedAt);
    }
}
