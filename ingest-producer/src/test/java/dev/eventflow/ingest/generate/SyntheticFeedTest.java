package dev.eventflow.ingest.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyntheticFeedTest {

    static final SyntheticFeed.Options OPTIONS = new SyntheticFeed.Options(10_000, 200, Instant.parse("2026-01-01T00:00:00Z"),
            Duration.ofSeconds(1), 0.02, 0.01, 0.01);

    static List<SyntheticFeed.Item> generate(long seed) {
        List<SyntheticFeed.Item> items = new ArrayList<>();
        new SyntheticFeed(seed, OPTIONS).forEachRemaining(items::add);
        return items;
    }

    @Test
    void shouldGiveTheSameRecordsForTheSameSeedAndOthersForAnother() {
        assertThat(generate(7)).isEqualTo(generate(7));
        assertThat(generate(7)).isNotEqualTo(generate(8));
    }

    @Test
    void shouldMixDuplicatesOutOfOrderAndMalformedRecordsInTheChosenProportions() {
        List<SyntheticFeed.Item> items = generate(42);
        Map<String, Long> kinds = items.stream().collect(Collectors.groupingBy(SyntheticFeed.Item::kind, Collectors.counting()));

        assertThat(items).hasSize(10_000);
        // 2 %, 1 % and 1 % of 10,000, within the spread of a binomial draw
        assertThat(kinds.get("duplicate")).isBetween(150L, 250L);
        assertThat(kinds.get("out-of-order")).isBetween(60L, 140L);
        assertThat(kinds.get("malformed")).isBetween(60L, 140L);
        // a duplicate is an exact earlier record; an out-of-order one is older than what came before it
        List<SyntheticFeed.Item> snapshots = items.stream().filter(i -> i.kind().equals("snapshot")).toList();
        items.stream().filter(i -> i.kind().equals("duplicate")).forEach(d -> assertThat(snapshots).contains(
                new SyntheticFeed.Item(d.key(), d.payload(), d.time(), "snapshot")));
        for (int i = 1; i < items.size(); i++) {
            if (items.get(i).kind().equals("out-of-order")) {
                assertThat(items.get(i).time()).isBefore(items.get(i - 1).time());
            }
        }
    }

    @Test
    void shouldProduceSyntheticEventsWithDriftingPrices() {
        SyntheticFeed.Item first = generate(42).stream().filter(i -> i.kind().equals("snapshot")).findFirst().orElseThrow();

        assertThat(first.key()).startsWith("synthetic:syn-42-");
        assertThat(first.payload().get("league").asText()).isEqualTo("E0");
        assertThat(first.payload().get("last_update").asText()).isEqualTo(first.time().toString());
        var outcomes = first.payload().get("bookmakers").get(0).get("markets").get(0).get("outcomes");
        assertThat(outcomes).hasSize(3);
        double payout = 0;
        for (var outcome : outcomes) {
            assertThat(outcome.get("price").decimalValue()).isGreaterThan(java.math.BigDecimal.ONE);
            payout += 1 / outcome.get("price").doubleValue();
        }
        assertThat(1 / payout).isBetween(0.88, 0.99);
    }

    @Test
    void shouldKeepEachBookmakersMarginWhilePricesDrift() {
        // Every snapshot of every fixture, however many times its prices drifted: the payout stays in
        // the bookmakers' range (3-8 % margin), so the processor accepts the prices.
        List<SyntheticFeed.Item> snapshots = generate(42).stream().filter(i -> i.kind().equals("snapshot")).toList();
        assertThat(snapshots).hasSizeGreaterThan(9_000);
        for (SyntheticFeed.Item item : snapshots) {
            for (var bookmaker : item.payload().get("bookmakers")) {
                double implied = 0;
                for (var outcome : bookmaker.get("markets").get(0).get("outcomes")) {
                    implied += 1 / outcome.get("price").doubleValue();
                }
                assertThat(1 / implied).as("payout of %s at %s", bookmaker.get("key"), item.time()).isBetween(0.87, 0.98);
            }
        }
    }
}
