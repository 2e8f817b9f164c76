package dev.eventflow.processor.provider;

import dev.eventflow.model.Entity;
import dev.eventflow.processor.normalize.Names;
import dev.eventflow.processor.normalize.ValidationException;
import java.time.LocalDate;

/**
 * Canonical event ids: what identifies a match in the real world, so the same match from two
 * providers or two downloads gets one id: {@code sport:competition:kickoff-date:home:away}, for
 * example {@code football:e0:2019-08-09:liverpool:norwich-city}. The date is the kick-off's UTC date.
 */
public final class EventIds {

    private EventIds() {
    }

    public static String of(String sport, String competition, LocalDate kickoffDate, Entity home, Entity away)
            throws ValidationException {
        if (home.id().equals(away.id())) {
            throw new ValidationException("same-teams", "home and away are the same entity " + home.id());
        }
        String competitionSlug = Names.slug(competition);
        if (competitionSlug.isEmpty()) {
            throw new ValidationException("missing-field", "missing competition");
        }
        return sport + ":" + competitionSlug + ":" + kickoffDate + ":" + home.normalizedName() + ":" + away.normalizedName();
    }
}
