package dev.eventflow.processor.topology;

import dev.eventflow.model.Event;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.processor.enrich.Quote;
import dev.eventflow.processor.normalize.Prices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How an event is re-keyed when one of its entities becomes an alias of another (pure functions). */
final class EventMoves {

    private EventMoves() {
    }

    /**
     * The event id under the renamed entity: the id's home or away part ({@code sport:competition:date:home:away})
     * that is the old entity's slug becomes the new one's; null when neither is (nothing to move).
     */
    static String renamedId(String eventId, EventBundle.Rename rename) {
        String[] parts = eventId.split(":", -1);
        String fromSlug = rename.fromEntityId().substring(rename.fromEntityId().indexOf(':') + 1);
        if (parts.length != 5) {
            return null;
        }
        boolean home = parts[3].equals(fromSlug);
        boolean away = parts[4].equals(fromSlug);
        if (home == away) {
            return null;
        }
        parts[home ? 3 : 4] = rename.to().normalizedName();
        return String.join(":", parts);
    }

    /** The event under its new id and entity, at the newest time it was seen with. */
    static Event renamed(Event e, String toId, long version, EventBundle.Rename rename) {
        boolean home = e.homeEntityId().equals(rename.fromEntityId());
        boolean away = e.awayEntityId().equals(rename.fromEntityId());
        return new Event(toId, e.sport(), e.competition(), e.kickoff(),
                home ? rename.to().id() : e.homeEntityId(), away ? rename.to().id() : e.awayEntityId(),
                home ? rename.to().name() : e.homeName(), away ? rename.to().name() : e.awayName(), e.status(),
                e.homeScore(), e.awayScore(), e.halfTimeHomeScore(), e.halfTimeAwayScore(), e.providerRefs(),
                Instant.ofEpochMilli(Math.max(version, e.updatedAt().toEpochMilli())));
    }

    /**
     * Every quote the event's rates hold (the current one and those the join may still ask for), as
     * return rates of the new id, oldest first: replayed in order they rebuild each rate's history there.
     */
    static List<ReturnRate> renamedRates(Map<String, RateHistory> rates, String fromId, String toId) {
        List<ReturnRate> out = new ArrayList<>();
        for (Map.Entry<String, RateHistory> entry : rates.entrySet()) {
            String rest = entry.getKey().startsWith(fromId + ReturnRate.ID_SEPARATOR)
                    ? entry.getKey().substring(fromId.length() + 1) : null;
            int separator = rest == null ? -1 : rest.lastIndexOf(ReturnRate.ID_SEPARATOR);
            if (separator < 0) {
                continue;
            }
            String bookmaker = rest.substring(0, separator);
            String market = rest.substring(separator + 1);
            Map<Long, Quote> byTime = new LinkedHashMap<>();
            for (Quote quote : entry.getValue().quotes()) {
                byTime.put(quote.quotedAtMillis(), quote);
            }
            byTime.putIfAbsent(entry.getValue().current().quotedAtMillis(), entry.getValue().current());
            for (Quote quote : byTime.values()) {
                out.add(new ReturnRate(ReturnRate.idOf(toId, bookmaker, market), toId, bookmaker, market, quote.quotedAt(),
                        quote.home(), quote.draw(), quote.away(), Prices.implied(quote.home()), Prices.implied(quote.draw()),
                        Prices.implied(quote.away()), quote.payout(), quote.provider()));
            }
        }
        out.sort(Comparator.comparing(ReturnRate::quotedAt));
        return out;
    }
}
