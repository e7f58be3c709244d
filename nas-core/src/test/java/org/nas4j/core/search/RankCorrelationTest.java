package org.nas4j.core.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {

    @Test
    void perfectAndReversedOrdersGiveOneAndMinusOne() {
        double[] x = {1, 2, 3, 4, 5};
        assertEquals(1.0, RankCorrelation.kendallTau(x, new double[] {10, 20, 30, 40, 50}), 1e-15);
        assertEquals(-1.0, RankCorrelation.spearman(x, new double[] {5, 4, 3, 2, 1}), 1e-15);
    }

    @Test
    void handComputedValuesWithTies() {
        // x = (1, 2, 3, 4), y = (1, 3, 2, 4): 5 concordant pairs, 1 discordant, no ties: tau = 4/6
        assertEquals(4.0 / 6, RankCorrelation.kendallTau(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}),
                1e-15);
        // spearman: d = (0, 1, -1, 0), rho = 1 - 6 * 2 / (4 * 15) = 0.8
        assertEquals(0.8, RankCorrelation.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}), 1e-15);
        // tau-b with a tie in y: x = (1, 2, 3), y = (1, 1, 2): C = 2, D = 0, ties in y = 1: 2 / sqrt(3 * 2)
        assertEquals(2 / Math.sqrt(6), RankCorrelation.kendallTau(new double[] {1, 2, 3}, new double[] {1, 1, 2}),
                1e-15);
        assertArrayEquals(new double[] {1.5, 1.5, 3}, RankCorrelation.ranks(new double[] {7, 7, 9}));
    }

    @Test
    void spearmanGivesTiesTheirAverageRank() {
        // spearman with a tie in x: ranks (1, 2.5, 2.5, 4) against (1, 2, 3, 4), both of mean 2.5: the products of
        // the deviations sum to 4.5, the squares to 4.5 and 5: rho = 4.5 / sqrt(22.5) = 3 / sqrt(10) (scipy's
        // spearmanr gives 0.9486832980505138); ranking the tie 2, 3 instead would give 1. A few roundings of
        // values near 1: 1e-15.
        assertEquals(3 / Math.sqrt(10), RankCorrelation.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4}),
                1e-15);
    }

    @Test
    void constantSamplesGiveNaNAndBadInputIsNamed() {
        assertTrue(Double.isNaN(RankCorrelation.kendallTau(new double[] {1, 1}, new double[] {1, 2})));
        assertEquals("x and y must have the same length, but had 2 and 3", assertThrows(
                IllegalArgumentException.class, () -> RankCorrelation.spearman(new double[2], new double[3]))
                .getMessage());
    }
}
