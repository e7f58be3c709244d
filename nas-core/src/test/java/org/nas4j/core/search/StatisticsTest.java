package org.nas4j.core.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each expected value is exact in binary floating point and reached by the same operations: equal to the bit. */
class StatisticsTest {

    @Test
    void medianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
        double[] odd = {3, 9, 1, 2, 7};
        assertEquals(3, Statistics.median(odd), 0);
        assertArrayEquals(new double[] {3, 9, 1, 2, 7}, odd, "the argument is left unsorted");
        assertEquals(2.5, Statistics.median(new double[] {4, 1, 3, 2}), 0);
        assertEquals(-1, Statistics.median(new double[] {-1}), 0);
        assertTrue(Double.isNaN(Statistics.median(new double[0])), "no values have no median");
    }

    @Test
    void meanIsTheArithmeticMean() {
        assertEquals(2.5, Statistics.mean(new double[] {1, 2, 3, 4}), 0);
        assertEquals(-0.5, Statistics.mean(new double[] {-0.5}), 0);
        assertTrue(Double.isNaN(Statistics.mean(new double[0])), "no values have no mean");
    }

    @Test
    void standardDeviationAndErrorUseNMinusOne() {
        // 1, 2, 3: squares about the mean 1 + 0 + 1 = 2, over n - 1 = 2: 1 (over n it would be sqrt(2/3))
        assertEquals(1, Statistics.sampleStandardDeviation(new double[] {1, 2, 3}), 0);
        assertEquals(1 / Math.sqrt(3), Statistics.standardError(new double[] {1, 2, 3}), 0);
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squares 32; population standard deviation 2, sample sqrt(32 / 7)
        double[] v = {2, 4, 4, 4, 5, 5, 7, 9};
        assertEquals(Math.sqrt(32.0 / 7), Statistics.sampleStandardDeviation(v), 0);
        assertEquals(Math.sqrt(32.0 / 7) / Math.sqrt(8), Statistics.standardError(v), 0);
        assertTrue(Double.isNaN(Statistics.sampleStandardDeviation(new double[] {5})), "one value has no spread");
        assertTrue(Double.isNaN(Statistics.standardError(new double[] {5})), "one seed has no standard error");
        assertTrue(Double.isNaN(Statistics.standardError(new double[0])));
    }
}
