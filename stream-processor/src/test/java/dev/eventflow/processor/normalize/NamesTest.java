package dev.eventflow.processor.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {

    @Test
    void shouldTrimCollapseWhitespaceAndComposeUnicodeButKeepTheProvidersCase() throws ValidationException {
        // "Atle\u0301tico" is the decomposed form; NFC composes it to "Atlético"
        assertThat(Names.display("HomeTeam", "  Atle\u0301tico \t  Madrid\u00a0 ")).isEqualTo("Atlético Madrid");
        assertThat(Names.display("HomeTeam", "MAN UNITED")).isEqualTo("MAN UNITED");
    }

    @ParameterizedTest
    @CsvSource({"Atlético Madrid, atletico-madrid", "ATLETICO  MADRID, atletico-madrid", "Nott'm Forest, nott-m-forest",
        "Brighton & Hove Albion, brighton-hove-albion", "  1. FC Köln , 1-fc-koln", "İstanbul, istanbul"})
    void shouldMatchNamesIgnoringCaseAccentsAndPunctuation(String name, String slug) {
        assertThat(Names.slug(name)).isEqualTo(slug);
    }

    @Test
    void shouldRefuseMissingBlankOrControlCharacterNames() {
        assertThatThrownBy(() -> Names.display("AwayTeam", null)).hasMessage("missing field AwayTeam");
        assertThatThrownBy(() -> Names.display("AwayTeam", " \t ")).hasMessage("missing field AwayTeam");
        assertThatThrownBy(() -> Names.display("AwayTeam", "Real\u0000Madrid")).hasMessage("AwayTeam holds control characters");
        assertThatThrownBy(() -> Names.display("AwayTeam", "???")).hasMessage("AwayTeam '???' has no letters or digits");
    }
}
