package dev.eventflow.processor.dedup;

import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Fingerprints of the business content of clean records: what makes two records "identical" for
 * deduplication. Source times, provider references and the provider are left out on purpose, so
 * the same content from a re-download, a re-poll or a second provider is a duplicate.
 */
public final class Fingerprints {

    private static final char SEPARATOR = '\u001f';
    /** A digest per thread: creating one per call costs more than the hashing. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(Fingerprints::sha256);

    private Fingerprints() {
    }

    public static String of(Entity entity) {
        return hash(entity.id(), entity.name(), String.join(",", entity.providerRefs()), entity.aliased());
    }

    /**
     * Whether two versions of an event have the same business content: every field but the provider
     * references and the source time, compared field by field (both versions are at hand in the event's state).
     */
    public static boolean sameContent(Event a, Event b) {
        return a.id().equals(b.id()) && a.sport().equals(b.sport()) && a.competition().equals(b.competition())
                && a.kickoff().equals(b.kickoff()) && a.homeEntityId().equals(b.homeEntityId())
                && a.awayEntityId().equals(b.awayEntityId()) && java.util.Objects.equals(a.homeName(), b.homeName())
                && java.util.Objects.equals(a.awayName(), b.awayName()) && a.status() == b.status()
                && java.util.Objects.equals(a.homeScore(), b.homeScore()) && java.util.Objects.equals(a.awayScore(), b.awayScore())
                && java.util.Objects.equals(a.halfTimeHomeScore(), b.halfTimeHomeScore())
                && java.util.Objects.equals(a.halfTimeAwayScore(), b.halfTimeAwayScore());
    }

    /** Everything but {@code ratesAsOf}: the row changes only when what it shows changes. */
    public static String of(EnrichedEvent enriched) {
        return hash(enriched.eventId(), enriched.sport(), enriched.competition(), enriched.kickoff(),
                enriched.homeEntityId(), enriched.awayEntityId(), enriched.status(), enriched.homeScore(),
                enriched.awayScore(), enriched.bookmakers(), plain(enriched.bestHome()), plain(enriched.bestDraw()),
                plain(enriched.bestAway()), plain(enriched.avgHome()), plain(enriched.avgDraw()), plain(enriched.avgAway()),
                plain(enriched.bestPayout()), plain(enriched.avgPayout()));
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().toPlainString();
    }

    private static String hash(Object... parts) {
        StringBuilder text = new StringBuilder(128);
        for (Object part : parts) {
            text.append(part == null ? "\u0000" : part.toString()).append(SEPARATOR);
        }
        byte[] digest = SHA_256.get().digest(text.toString().getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
