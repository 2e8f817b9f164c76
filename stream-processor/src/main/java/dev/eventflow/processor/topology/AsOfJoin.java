package dev.eventflow.processor.topology;

import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.processor.enrich.OddsSummary;
import dev.eventflow.processor.enrich.Quote;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The as-of join: an event with each bookmaker's newest quote at or before the event's time
 * ({@link EventState#eventVersion()}), summarized by {@link OddsSummary}.
 */
final class AsOfJoin {

    private AsOfJoin() {
    }

    /** The enriched event of {@code state}; its event must be known. */
    static EnrichedEvent of(EventState state) {
        long asOf = state.eventVersion();
        List<Quote> quotes = new ArrayList<>(state.rates().size());
        for (RateHistory rate : state.rates().values()) {
            Quote quote = rate.asOf(asOf);
            if (quote != null) {
                quotes.add(quote);
            }
        }
        return OddsSummary.ofQuotes(quotes).enrich(state.event(), Instant.ofEpochMilli(asOf));
    }
}
