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

    /** Every provider eventflow ships with, with the default settings. */
    public static ProviderRegistry builtIn() {
        return builtIn(dev.eventflow.processor.ProcessorConfig.defaults());
    }

    /** Every provider eventflow ships with, configured. Register a new provider's mapper here. */
    public static ProviderRegistry builtIn(dev.eventflow.processor.ProcessorConfig config) {
        return new ProviderRegistry(List.of(new FootballDataMapper(), new SyntheticMapper(),
                new TheOddsApiMapper(config.theOddsApiSportMap()), new FootballDataOrgMapper(config.footballDataOrgCompetitionMap())));
    }

    public Optional<ProviderMapper> mapper(String provider) {
        return Optional.ofNullable(mappers.get(provider));
    }

    public java.util.Set<String> providers() {
        return mappers.keySet();
    }
}
