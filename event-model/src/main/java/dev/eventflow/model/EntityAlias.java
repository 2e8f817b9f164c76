package dev.eventflow.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One alias of an entity name, added at run time (value of {@code entities.aliases}; the key is
 * {@code sport:slug(alias)}, and a null value removes the alias). The stream processor resolves
 * {@code alias} to {@code canonical} from then on, and moves what it already holds under the alias's
 * own entity to the canonical one: the events are re-keyed, the old rows deleted.
 *
 * @param sport     sport, lower case, for example {@code football}
 * @param alias     the spelling to resolve, for example {@code Man Utd FC}
 * @param canonical the canonical name it resolves to, for example {@code Manchester United}
 * @param addedAt   when the alias was added (UTC)
 */
public record EntityAlias(String sport, String alias, String canonical, Instant addedAt) {

    public EntityAlias {
        Objects.requireNonNull(sport, "sport");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(canonical, "canonical");
        Objects.requireNonNull(addedAt, "addedAt");
    }
}
