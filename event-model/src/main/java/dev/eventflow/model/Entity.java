package dev.eventflow.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A participant (a team), identified across providers by its canonical id.
 * Value of {@code entities.clean}; the key is {@link #id()}.
 *
 * @param id             canonical entity id, derived from the sport and the normalized name after
 *                       alias resolution, for example {@code football:manchester-united}
 * @param sport          sport, lower case, for example {@code football}
 * @param name           display name (the canonical spelling)
 * @param normalizedName the normalized name the id was derived from
 * @param updatedAt      source time of the version that produced this record (UTC)
 */
public record Entity(String id, String sport, String name, String normalizedName, Instant updatedAt) {

    public Entity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sport, "sport");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(normalizedName, "normalizedName");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
