package dev.eventflow.processor.provider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The provider mappers the topology knows, by provider id. */
public final class ProviderRegistry {

    private final Map<String, ProviderMapper> mappers;

    public ProviderRegistry(List<ProviderMapper> mappers) {
        Map<String, ProviderMapper> byId = new LinkedHashMap<>();
        for (ProviderMapper mapper : mappers) {
            if (byId.put(mapper.provider(), mapper) != null) {
                throw new IllegalArgumentException("Two mappers for provider " + mapper.provider());
            }
        }
        this.mappers = Map.copyOf(byId);
    }

    /** Every provider eventflow ships with. Register a new provider's mapper here. */
    public static ProviderRegistry builtIn() {
        return new ProviderRegistry(List.of(new FootballDataMapper(), new OddsApiMapper(), new FootballDataOrgMapper()));
    }

    /** This registry with {@code mapper} in place of the one for the same provider (a configured mapper). */
    public ProviderRegistry replacing(ProviderMapper mapper) {
        Map<String, ProviderMapper> byId = new LinkedHashMap<>(mappers);
        if (byId.put(mapper.provider(), mapper) == null) {
            throw new IllegalArgumentException("No mapper for provider " + mapper.provider() + " to replace");
        }
        return new ProviderRegistry(List.copyOf(byId.values()));
    }

    public Optional<ProviderMapper> mapper(String provider) {
        return Optional.ofNullable(mappers.get(provider));
    }

    public java.util.Set<String> providers() {
        return mappers.keySet();
    }
}
