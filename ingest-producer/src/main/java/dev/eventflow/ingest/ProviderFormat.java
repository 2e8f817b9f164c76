package dev.eventflow.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.providers.FootballDataFormat;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicDefinition;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * What the producer needs to know of a provider to publish its records untouched: which raw topic,
 * which natural id is the key, and which field holds the data's own time (for replay timestamps).
 * Nothing else is interpreted: a record whose key or time cannot be read is still published.
 */
public enum ProviderFormat {

    /** football-data.co.uk CSV rows; to {@code provider.events.raw}, keyed {@code Div/Date/HomeTeam/AwayTeam}, timed at kick-off. */
    FOOTBALL_DATA(FootballDataFormat.PROVIDER) {
        @Override
        public TopicDefinition<String, RawEnvelope> topic(EventflowTopics topics) {
            return topics.eventsRaw();
        }

        @Override
        public String key(JsonNode payload, long line) {
            String division = text(payload, "Div");
            String date = text(payload, "Date");
            String home = text(payload, "HomeTeam");
            String away = text(payload, "AwayTeam");
            if (division == null || date == null || home == null || away == null) {
                return "line-" + line;
            }
            return FootballDataFormat.naturalKey(division, date, home, away);
        }

        @Override
        public Optional<Instant> eventTime(JsonNode payload) {
            String date = text(payload, "Date");
            if (date == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(FootballDataFormat.kickoff(FootballDataFormat.date(date), text(payload, "Time")));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    },

    /**
     * eventflow's own JSON event objects, the format of the synthetic feed ({@code ingest generate}) and the
     * benchmarks, not a provider's; to {@code provider.return-rates.raw}, keyed {@code synthetic:<id>}, timed at
     * {@code last_update}.
     */
    SYNTHETIC("synthetic") {
        @Override
        public TopicDefinition<String, RawEnvelope> topic(EventflowTopics topics) {
            return topics.returnRatesRaw();
        }

        @Override
        public String key(JsonNode payload, long line) {
            String id = text(payload, "id");
            return id == null ? "synthetic:line-" + line : "synthetic:" + id;
        }

        @Override
        public Optional<Instant> eventTime(JsonNode payload) {
            String lastUpdate = text(payload, "last_update");
            if (lastUpdate == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(OffsetDateTime.parse(lastUpdate).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    },

    /**
     * The Odds API v4 event objects, one per record: odds objects (they have {@code bookmakers}) to
     * {@code provider.return-rates.raw}, timed at their newest bookmaker or market {@code last_update};
     * scores objects (they have {@code completed}) to {@code provider.events.raw}, timed at {@code last_update}.
     * Keyed {@code the-odds-api:<id>}.
     */
    THE_ODDS_API("the-odds-api") {
        @Override
        public TopicDefinition<String, RawEnvelope> topic(EventflowTopics topics) {
            return topics.returnRatesRaw();
        }

        @Override
        public TopicDefinition<String, RawEnvelope> topic(EventflowTopics topics, JsonNode payload) {
            boolean scores = payload != null && payload.has("completed") && !payload.has("bookmakers");
            return scores ? topics.eventsRaw() : topics.returnRatesRaw();
        }

        @Override
        public String key(JsonNode payload, long line) {
            String id = text(payload, "id");
            return id == null ? "the-odds-api:line-" + line : "the-odds-api:" + id;
        }

        @Override
        public Optional<Instant> eventTime(JsonNode payload) {
            Instant latest = instant(text(payload, "last_update"));
            if (payload != null) {
                for (JsonNode bookmaker : payload.path("bookmakers")) {
                    latest = later(latest, instant(text(bookmaker, "last_update")));
                    for (JsonNode market : bookmaker.path("markets")) {
                        latest = later(latest, instant(text(market, "last_update")));
                    }
                }
            }
            return Optional.ofNullable(latest);
        }
    },

    /**
     * football-data.org v4 match objects; to {@code provider.events.raw}, keyed {@code football-data-org:<id>},
     * timed at {@code lastUpdated} (else {@code utcDate}).
     */
    FOOTBALL_DATA_ORG("football-data-org") {
        @Override
        public TopicDefinition<String, RawEnvelope> topic(EventflowTopics topics) {
            return topics.eventsRaw();
        }

        @Override
        public String key(JsonNode payload, long line) {
            String id = text(payload, "id");
            return id == null ? "football-data-org:line-" + line : "football-data-org:" + id;
        }

        @Override
        public Optional<Instant> eventTime(JsonNode payload) {
            Instant updated = instant(text(payload, "lastUpdated"));
            return Optional.ofNullable(updated != null ? updated : instant(text(payload, "utcDate")));
        }
    };

    private final String id;

    ProviderFormat(String id) {
        this.id = id;
    }

    /** The provider id written in the envelope. */
    public String id() {
        return id;
    }

    /** The raw topic this provider's records go to. */
    public abstract TopicDefinition<String, RawEnvelope> topic(EventflowTopics topics);

    /** The raw topic of one record; the same for every record of a provider, except the-odds-api's. */
    public TopicDefinition<String, RawEnvelope> topic(EventflowTopics topics, JsonNode payload) {
        return topic(topics);
    }

    /** The provider's natural id of a record; {@code line} names records without one. */
    public abstract String key(JsonNode payload, long line);

    /** The data's own time, when the record holds a readable one. */
    public abstract Optional<Instant> eventTime(JsonNode payload);

    public static ProviderFormat byId(String id) {
        for (ProviderFormat format : values()) {
            if (format.id.equals(id.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new IllegalArgumentException("Unknown provider '" + id + "' (known: "
                + String.join(", ", java.util.Arrays.stream(values()).map(ProviderFormat::id).toList()) + ")");
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }

    static String text(JsonNode payload, String field) {
        JsonNode node = payload == null ? null : payload.get(field);
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String text = node.asText().strip();
        return text.isEmpty() ? null : text;
    }
}
