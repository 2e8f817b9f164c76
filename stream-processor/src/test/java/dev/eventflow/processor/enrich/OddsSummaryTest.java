package dev.eventflow.processor.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.model.ReturnRate;
import dev.eventflow.processor.normalize.Prices;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OddsSummaryTest {

    static ReturnRate rate(String bookmaker, String home, String draw, String away) {
        BigDecimal h = new BigDecimal(home);
        BigDecimal d = new BigDecimal(draw);
        BigDecimal a = new BigDecimal(away);
        return new ReturnRate("e|" + bookmaker + "|1X2", "e", bookmaker, "1X2", Instant.EPOCH, h, d, a,
                Prices.implied(h), Prices.implied(d), Prices.implied(a), Prices.payout(h, d, a), "p");
    }

    @Test
    void shouldSummarizeBestAndMeanPricesAndPayouts() {
        OddsSummary summary = OddsSummary.of(List.of(rate("A", "2.0", "3.0", "4.0"), rate("B", "2.2", "2.9", "3.6")));

        // payouts: A 1/(0.5+0.333333+0.25) = 0.923077, B 1/(0.454545+0.344828+0.277778) = 0.928375; mean 0.925726
        // best 2.2/3/4: 1/(0.454545+0.333333+0.25) = 0.963504
        assertThat(summary).isEqualTo(new OddsSummary(2, new BigDecimal("2.2"), new BigDecimal("3"), new BigDecimal("4"),
                new BigDecimal("2.1"), new BigDecimal("2.95"), new BigDecimal("3.8"), new BigDecimal("0.963504"),
                new BigDecimal("0.925726")));
    }

    @Test
    void shouldBeEmptyWithoutPrices() {
        assertThat(OddsSummary.of(List.of())).isEqualTo(OddsSummary.EMPTY);
        assertThat(OddsSummary.EMPTY.bookmakers()).isZero();
        assertThat(OddsSummary.EMPTY.bestHome()).isNull();
    }
}
