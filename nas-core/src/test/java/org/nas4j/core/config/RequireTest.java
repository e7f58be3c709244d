package org.nas4j.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RequireTest {

    @Test
    void validValuesPassThrough() {
        assertEquals(1, Require.positive("n", 1));
        assertEquals(0, Require.nonNegative("n", 0));
        assertEquals(2, Require.atLeast("n", 2, 2));
        assertEquals(1e-9, Require.positiveFinite("rate", 1e-9));
    }

    @Test
    void invalidValuesAreRefusedNamingTheParameterAndTheValue() {
        assertEquals("epochs must be positive, but was 0",
                assertThrows(IllegalArgumentException.class, () -> Require.positive("epochs", 0)).getMessage());
        assertEquals("steps must be >= 0, but was -1",
                assertThrows(IllegalArgumentException.class, () -> Require.nonNegative("steps", -1)).getMessage());
        assertEquals("batchSize must be >= 2, but was 1",
                assertThrows(IllegalArgumentException.class, () -> Require.atLeast("batchSize", 1, 2)).getMessage());
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertEquals("rate must be finite and > 0, but was " + bad, assertThrows(IllegalArgumentException.class,
                    () -> Require.positiveFinite("rate", bad)).getMessage());
        }
    }
}
