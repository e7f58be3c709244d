package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StrategyNamesTest {

    @Test
    void anUnknownOrMissingStrategyNameListsTheKnownOnes() {
        String known = "known names: " + Strategies.names();
        assertEquals("unknown strategy 'annealing'; " + known,
                assertThrows(IllegalArgumentException.class, () -> Strategies.byName("annealing")).getMessage());
        assertEquals("strategy name must not be null; " + known,
                assertThrows(IllegalArgumentException.class, () -> Strategies.byName(null)).getMessage());
    }
}
