package dev.eventflow.ingest.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Realistic records in the {@code synthetic} format (eventflow's own, see docs/providers.md) for load tests
 * and demos: fixtures between real team names, and snapshots of several bookmakers' 1X2 prices that drift
 * over time. A chosen fraction of the records are exact duplicates of an earlier one, older snapshots
 * sent after newer ones, or malformed (a missing team, a price below 1.0, or text that is not JSON).
 * The same seed and options give the same records.
 */
public final class SyntheticFeed implements Iterator<SyntheticFeed.Item> {

    private static final List<String> TEAMS = List.of("Arsenal", "Aston Villa", "Bournemouth", "Brighton", "Burnley",
            "Chelsea", "Crystal Palace", "Everton", "Leicester", "Liverpool", "Man City", "Man United", "Newcastle",
            "Norwich", "Sheffield United", "Southampton", "Tottenham", "Watford", "West Ham", "Wolves");
    private static final List<String> BOOKMAKERS = List.of("B365", "BW", "IW", "PS", "WH", "VC");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * @param records      how many records to produce (0: without end)
     * @param fixtures     how many distinct fixtures the snapshots are spread over
     * @param start        data time of the first snapshot
     * @param step         data time between two snapshots
     * @param duplicates   fraction of records that repeat an earlier record exactly
     * @param outOfOrder   fraction of records that are an older snapshot sent after a newer one
     * @param malformed    fraction of records that are malformed
     */
    public record Options(long records, int fixtures, Instant start, Duration step, double duplicates, double outOfOrder,
                          double malformed) {
    }

    /** One generated record: its key, its payload (a JSON string holding non-JSON text when malformed), and its data time. */
    public record Item(String key, JsonNode payload, Instant time, String kind) {
    }

    private final Options options;
    private final SplittableRandom random;
    private final List<Fixture> fixtures = new ArrayList<>();
    private final List<Item> history = new ArrayList<>();
    private long produced;
    private Instant clock;

    public SyntheticFeed(long seed, Options options) {
        this.options = options;
        this.random = new SplittableRandom(seed);
        this.clock = options.start();
        for (int i = 0; i < Math.max(1, options.fixtures()); i++) {
            int home = random.nextInt(TEAMS.size());
            int away = (home + 1 + random.nextInt(TEAMS.size() - 1)) % TEAMS.size();
            Instant kickoff = options.start().plus(Duration.ofDays(1 + random.nextInt(30))).plus(Duration.ofMinutes(15L * random.nextInt(40)));
            fixtures.add(new Fixture("syn-" + seed + "-" + i, TEAMS.get(home), TEAMS.get(away), kickoff, startingPrices()));
        }
    }

    @Override
    public boolean hasNext() {
        return options.records() <= 0 || produced < options.records();
    }

    @Override
    public Item next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        produced++;
        double roll = random.nextDouble();
        Item item;
        if (roll < options.duplicates() && !history.isEmpty()) {
            Item earlier = history.get(random.nextInt(history.size()));
            item = new Item(earlier.key(), earlier.payload(), earlier.time(), "duplicate");
        } else if (roll < options.duplicates() + options.outOfOrder() && history.size() > 1) {
            Item older = history.get(random.nextInt(Math.max(1, history.size() / 2)));
            item = new Item(older.key(), older.payload(), older.time(), "out-of-order");
        } else if (roll < options.duplicates() + options.outOfOrder() + options.malformed()) {
            item = malformed();
        } else {
            item = snapshot();
            history.add(item);
            if (history.size() > 10_000) {
                history.remove(0);
            }
        }
        return item;
    }

    private Item snapshot() {
        clock = clock.plus(options.step());
        Fixture fixture = fixtures.get(random.nextInt(fixtures.size()));
        for (double[] prices : fixture.prices()) {
            // Each price drifts by up to 2 %; then all three are scaled back to the bookmaker's own margin
            // (prices[3], the sum of the implied probabilities), as a bookmaker keeps it.
            double implied = 0;
            for (int i = 0; i < 3; i++) {
                prices[i] = Math.max(1.05, prices[i] * (1 + (random.nextDouble() - 0.5) * 0.04));
                implied += 1 / prices[i];
            }
            for (int i = 0; i < 3; i++) {
                prices[i] = Math.max(1.01, prices[i] * implied / prices[3]);
            }
        }
        return new Item("synthetic:" + fixture.id(), payload(fixture, clock, true), clock, "snapshot");
    }

    private Item malformed() {
        clock = clock.plus(options.step());
        Fixture fixture = fixtures.get(random.nextInt(fixtures.size()));
        int kind = random.nextInt(3);
        if (kind == 0) {
            return new Item("synthetic:" + fixture.id(), TextNode.valueOf("{\"id\":\"" + fixture.id() + "\",\"bookmakers\":["), clock, "malformed");
        }
        ObjectNode payload = payload(fixture, clock, true);
        if (kind == 1) {
            payload.remove("home_team");
        } else {
            ((ObjectNode) payload.withArray("bookmakers").get(0).withArray("markets").get(0).withArray("outcomes").get(0))
                    .put("price", "0.8");
        }
        return new Item("synthetic:" + fixture.id(), payload, clock, "malformed");
    }

    private ObjectNode payload(Fixture fixture, Instant time, boolean withPrices) {
        ObjectNode event = JSON.objectNode()
                .put("id", fixture.id()).put("sport", "football").put("league", "E0")
                .put("commence_time", fixture.kickoff().toString())
                .put("home_team", fixture.home()).put("away_team", fixture.away())
                .put("status", "scheduled").put("last_update", time.toString());
        ArrayNode bookmakers = event.putArray("bookmakers");
        if (withPrices) {
            for (int b = 0; b < fixture.prices().size(); b++) {
                double[] p = fixture.prices().get(b);
                ObjectNode market = JSON.objectNode().put("key", "h2h").put("last_update", time.toString());
                ArrayNode outcomes = market.putArray("outcomes");
                outcomes.addObject().put("name", fixture.home()).put("price", price(p[0]));
                outcomes.addObject().put("name", "Draw").put("price", price(p[1]));
                outcomes.addObject().put("name", fixture.away()).put("price", price(p[2]));
                ObjectNode bookmaker = bookmakers.addObject().put("key", BOOKMAKERS.get(b)).put("last_update", time.toString());
                bookmaker.putArray("markets").add(market);
            }
        }
        return event;
    }

    /**
     * Prices of one to six bookmakers around a random favourite, with a margin of 3-8 %: home, draw,
     * away, and the sum of their implied probabilities (which drifting prices keep).
     */
    private List<double[]> startingPrices() {
        double home = 0.25 + random.nextDouble() * 0.45;
        double draw = 0.2 + random.nextDouble() * 0.1;
        double away = Math.max(0.05, 1 - home - draw);
        List<double[]> books = new ArrayList<>();
        int count = 1 + random.nextInt(BOOKMAKERS.size());
        for (int b = 0; b < count; b++) {
            double margin = 1.03 + random.nextDouble() * 0.05;
            books.add(new double[] {1 / (home * margin), 1 / (draw * margin), 1 / (away * margin), margin * (home + draw + away)});
        }
        return books;
    }

    private static BigDecimal price(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN);
    }

    private record Fixture(String id, String home, String away, Instant kickoff, List<double[]> prices) {
    }
}
