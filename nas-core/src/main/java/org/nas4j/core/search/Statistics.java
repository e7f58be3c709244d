package org.nas4j.core.search;

import java.util.Arrays;

/**
 * Summary statistics of a sample, the one place the benchmarks and estimators compute them (rank correlations are in
 * {@link RankCorrelation}). Means and sums of squares use {@link java.util.stream.DoubleStream}'s compensated
 * summation, so a result is the same to the bit wherever it is computed. No method changes its argument.
 *
 * <pre>{@code
 * double typical = Statistics.median(stepMillis);
 * double se = Statistics.standardError(seedAccuracies);   // NaN for a single seed
 * }</pre>
 */
public final class Statistics {
    private Statistics() {
    }

    /**
     * The median of {@code values}: the middle one, or the mean of the two middle ones for an even count; NaN if
     * empty.
     */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The arithmetic mean of {@code values}; NaN if empty. */
    public static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** The sample standard deviation of {@code values} ({@code n - 1} in the denominator); NaN below 2 values. */
    public static double sampleStandardDeviation(double[] values) {
        int n = values.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mean = mean(values);
        double squares = Arrays.stream(values).map(x -> (x - mean) * (x - mean)).sum();
        return Math.sqrt(squares / (n - 1));
    }

    /** The standard error of the mean: {@link #sampleStandardDeviation} over the square root of the count. */
    public static double standardError(double[] values) {
        return sampleStandardDeviation(values) / Math.sqrt(values.length);
    }
}
