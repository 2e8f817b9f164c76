package dev.eventflow.processor.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.eventflow.processor.RawRecords;
import dev.eventflow.processor.normalize.ValidationException;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FootballDataMapperTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"19/08/95, 1995-08-19", "14/08/04, 2004-08-14", "09/08/2019, 2019-08-09", "1/2/70, 1970-02-01",
        "31/12/69, 2069-12-31", "09.08.2019, 2019-08-09"})
    void shouldReadTwoAndFourDigitYears(String text, LocalDate date) throws ValidationException {
        assertThat(FootballDataMapper.date(text)).isEqualTo(date);
    }

    @Test
    void shouldConvertUkLocalKickOffTimesToUtc() throws ValidationException {
        assertThat(FootballDataMapper.kickoff(LocalDate.of(2019, 8, 9), "20:00")).isEqualTo(Instant.parse("2019-08-09T19:00:00Z"));
        assertThat(FootballDataMapper.kickoff(LocalDate.of(2020, 1, 1), "12:30")).isEqualTo(Instant.parse("2020-01-01T12:30:00Z"));
        assertThat(FootballDataMapper.kickoff(LocalDate.of(2020, 1, 1), null)).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    }

    @Test
    void shouldFindBookmakersByTheirTripletsAndSkipMarketSummaries() {
        var row = RawRecords.json("{'B365H':'1','B365D':'1','B365A':'1','B365CH':'1','B365CD':'1','B365CA':'1',"
                + "'VCH':'1','VCD':'1','VCA':'1','VCCH':'1','VCCD':'1','VCCA':'1','MaxH':'1','MaxD':'1','MaxA':'1',"
                + "'AvgCH':'1','AvgCD':'1','AvgCA':'1','BbMxH':'1','BbMxD':'1','BbMxA':'1',"
                + "'B365AHH':'1','B365AHA':'1','GBH':'1','GBD':'1'}");

        assertThat(FootballDataMapper.bookmakers(row)).extracting(b -> b.code(), b -> b.openingPrefix(), b -> b.closingPrefix())
                .containsExactly(tuple("B365", "B365", "B365C"), tuple("VC", "VC", "VCC"));
    }
}
