package dev.eventflow.processor.topology;

import dev.eventflow.processor.dedup.LatestWins;
import dev.eventflow.processor.enrich.Quote;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the topology keeps of one return rate (one bookmaker's market of one event), inside the
 * event's state: latest-wins for {@code return-rates.clean}, and the quotes the as-of join may
 * still ask for.
 *
 * <p>The join asks for the newest quote at or before the event's time, and that time only moves
 * forward. So of the quotes at or before it only the newest can ever be asked for again; the
 * older ones are dropped ({@link #prunedTo}). Quotes after it are kept until the event's time
 * passes them.
 *
 * @param version newest source time the current content was seen with (epoch ms)
 * @param current the content last sent to {@code return-rates.clean}
 * @param quotes  the quotes the join may still ask for, oldest first, at most one per time
 */
public record RateHistory(long version, Quote current, List<Quote> quotes) {

    public RateHistory {
        Objects.requireNonNull(current, "current");
        quotes = List.copyOf(quotes);
    }

    /** The history of a rate first seen with {@code quote}. */
    static RateHistory first(Quote quote) {
        return new RateHistory(quote.quotedAtMillis(), quote, List.of(quote));
    }

    /** What latest-wins makes of {@code quote} against this history. */
    LatestWins.Verdict judge(Quote quote) {
        return LatestWins.judge(true, current.samePrices(quote), version, quote.quotedAtMillis());
    }

    /**
     * The history after {@code quote} was judged {@code verdict}: a new or changed quote becomes the
     * current one; a stale one is still what the bookmaker offered at its time, so the join keeps it
     * unless a quote at that very time is known (the first wins, so an older copy of a file never
     * rewrites history); a duplicate (the current prices again) changes nothing that is sent, advances
     * the version, and is kept for the join at its time like a stale one: otherwise an older quote of
     * another source that arrives after it would be taken as the bookmaker's price at the event's time,
     * and the enriched row would depend on the order the two sources' records arrived in.
     */
    RateHistory apply(Quote quote, LatestWins.Verdict verdict) {
        long time = quote.quotedAtMillis();
        return switch (verdict) {
            case NEW, CHANGED -> new RateHistory(time, quote, with(quote));
            case DUPLICATE -> quoteAt(time) != null ? (time > version ? new RateHistory(time, current, quotes) : this)
                    : new RateHistory(Math.max(version, time), current, with(quote));
            case STALE -> quoteAt(time) != null ? this : new RateHistory(version, current, with(quote));
            case CONFLICT -> this;
        };
    }

    /** The newest quote at or before {@code asOf} (epoch ms), or null. */
    Quote asOf(long asOf) {
        Quote found = null;
        for (Quote quote : quotes) {
            if (quote.quotedAtMillis() > asOf) {
                break;
            }
            found = quote;
        }
        return found;
    }

    /** This history without the quotes older than the newest at or before {@code asOf}: no join can reach them any more. */
    RateHistory prunedTo(long asOf) {
        int newestAtOrBefore = -1;
        for (int i = 0; i < quotes.size() && quotes.get(i).quotedAtMillis() <= asOf; i++) {
            newestAtOrBefore = i;
        }
        return newestAtOrBefore <= 0 ? this : new RateHistory(version, current, quotes.subList(newestAtOrBefore, quotes.size()));
    }

    /**
     * How the quality stage sees {@code quote}, judged {@code verdict} by latest-wins: a stale quote that is the very
     * quote kept at its time (a replay of history) is a duplicate; one older than every quote kept (the history is
     * pruned to the event's time) cannot be judged, so null; any other verdict as it is.
     */
    LatestWins.Verdict qualityVerdict(Quote quote, LatestWins.Verdict verdict) {
        if (verdict != LatestWins.Verdict.STALE) {
            return verdict;
        }
        long time = quote.quotedAtMillis();
        Quote kept = quoteAt(time);
        if (kept != null) {
            return kept.samePrices(quote) ? LatestWins.Verdict.DUPLICATE : LatestWins.Verdict.CONFLICT;
        }
        return !quotes.isEmpty() && time < quotes.get(0).quotedAtMillis() ? null : verdict;
    }

    private Quote quoteAt(long time) {
        for (Quote quote : quotes) {
            if (quote.quotedAtMillis() == time) {
                return quote;
            }
        }
        return null;
    }

    private List<Quote> with(Quote quote) {
        List<Quote> next = new ArrayList<>(quotes.size() + 1);
        long time = quote.quotedAtMillis();
        boolean added = false;
        for (Quote known : quotes) {
            if (!added && time <= known.quotedAtMillis()) {
                next.add(quote);
                added = true;
                if (time == known.quotedAtMillis()) {
                    continue;
                }
            }
            next.add(known);
        }
        if (!added) {
            next.add(quote);
        }
        return next;
    }
}
