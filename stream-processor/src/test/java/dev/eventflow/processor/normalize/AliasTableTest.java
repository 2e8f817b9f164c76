package dev.eventflow.processor.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventflow.model.Entity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AliasTableTest {

    static AliasTable parse(String text) throws IOException {
        return AliasTable.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.txt");
    }

    @Test
    void shouldResolveEverySpellingOfATeamToOneEntity() throws ValidationException {
        EntityResolver resolver = new EntityResolver(AliasTable.builtIn());
        Instant now = Instant.parse("2019-08-09T19:00:00Z");

        Entity a = resolver.resolve("football", "HomeTeam", "Man United", now);
        Entity b = resolver.resolve("football", "HomeTeam", "MANCHESTER UTD", now);
        Entity c = resolver.resolve("football", "HomeTeam", "Manchester United", now);

        assertThat(a).isEqualTo(new Entity("football:manchester-united", "football", "Manchester United", "manchester-united", now));
        assertThat(b).isEqualTo(a);
        assertThat(c).isEqualTo(a);
    }

    @Test
    void shouldLetAUsersFileExtendAndOverrideTheBuiltInTable() throws IOException {
        AliasTable user = parse("# mine\n[football]\nMan Utd = Red Devils, MUFC\n[basketball]\nLA Lakers = Lakers\n");
        AliasTable table = AliasTable.builtIn().overriddenBy(user);

        assertThat(table.canonical("football", "red devils")).contains("Man Utd");
        assertThat(table.canonical("football", "Man Utd")).contains("Man Utd");
        assertThat(table.canonical("football", "Man United")).contains("Manchester United");
        assertThat(table.canonical("basketball", "lakers")).contains("LA Lakers");
        assertThat(table.canonical("football", "lakers")).isEmpty();
    }

    @Test
    void shouldNameTheFileAndLineOfAMistake() {
        assertThatThrownBy(() -> parse("Man Utd = Red Devils\n")).hasMessage("test.txt:1: expected '[sport]' or 'Canonical = alias, alias'");
        assertThatThrownBy(() -> parse("[football]\nA = X\nB = X\n")).hasMessage("test.txt:3: 'X' is already an alias of 'A'");
    }
}
