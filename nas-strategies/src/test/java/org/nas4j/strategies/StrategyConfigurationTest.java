package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.search.StrategyFactory;

/** Every built-in strategy's configuration is a {@link Configuration} text, so a changed setting is named. */
class StrategyConfigurationTest {

    @Test
    void everyBuiltInConfigurationIsAConfigurationText() {
        for (String name : Strategies.names()) {
            StrategyFactory f = Strategies.byName(name);
            assertEquals(f.configuration(), Configuration.parse(f.configuration()).toString(), name);
        }
    }

    @Test
    void aChangedSettingIsNamedByItsPath() {
        assertEquals(List.of("sampleSize"), paths(Strategies.regularizedEvolution().sampleSize(5),
                Strategies.regularizedEvolution().sampleSize(8)));
        assertEquals(List.of("eta"), paths(Strategies.hyperband().eta(3), Strategies.hyperband().eta(4)));
    }

    private static List<String> paths(StrategyFactory a, StrategyFactory b) {
        return Configuration.parse(a.configuration()).differences(Configuration.parse(b.configuration())).stream()
                .map(Configuration.Difference::path).toList();
    }
}
