package dev.eventflow.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A fixture, identified across providers and downloads by its canonical id.
 * Value of {@code events.clean}; the key is {@link #id()}.
 *
 * @param id                canonical event id, derived from sport, competition, kick-off date
 *                          (UTC) and the home and away entity ids
 * @param sport             sport, lower case
 * @param competition       competition code, for example {@code E0} (English Premier League)
 * @param kickoff           kick-off instant (UTC); midnight UTC when the provider gives only a date
 * @param homeEntityId      id of the home {@link Entity}
 * @param awayEntityId      id of the away {@link Entity}
 * @param homeName          display name of the home entity
 * @param awayName          display name of the away entity
 * @param status            lifecycle status
 * @param homeScore         full-time home goals; null until known
 * @param awayScore         full-time away goals; null until known
 * @param halfTimeHomeScore half-time home goals; null when unknown
 * @param halfTimeAwayScore half-time away goals; null when unknown
 * @param providerRefs      the provider references this event came from, {@code provider:natural-id}
 * @param updatedAt         source time of this version (UTC); a newer version never loses to an older one
 */
public record Event(
        String id,
        String sport,
        String competition,
        Instant kickoff,
        String homeEntityId,
        String awayEntityId,
        String homeName,
        String awayName,
        EventStatus status,
        Integer homeScore,
        Integer awayScore,
        Integer halfTimeHomeScore,
        Integer halfTimeAwayScore,
        List<String> providerRefs,
        Instant updatedAt) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sport, "sport");
        Objects.requireNonNull(competition, "competition");
        Objects.requireNonNull(kickoff, "kickoff");
        Objects.requireNonNull(homeEntityId, "homeEntityId");
        Objects.requireNonNull(awayEntityId, "awayEntityId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
        providerRefs = providerRefs == null ? List.of() : List.copyOf(providerRefs);
    }
}
