package org.nas4j.examples;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.nas4j.core.search.Statistics;

/**
 * Wall times of the steps of a step benchmark, after warm-up steps, and the result lines the comparison script reads
 * ({@code RESULT <name> median= min= max= n=}, {@code PEAK_RSS_MIB <n>}).
 *
 * @param millis    the measured steps' times, ascending
 * @param lastValue what the last step returned (its loss)
 */
record StepTimes(double[] millis, double lastValue) {

    /** Runs {@code warmup + steps} steps and keeps the times of the last {@code steps}. */
    static StepTimes measure(int warmup, int steps, DoubleSupplier step) {
        double[] ms = new double[steps];
        double last = Double.NaN;
        for (int i = 0; i < warmup + steps; i++) {
            long t0 = System.nanoTime();
            last = step.getAsDouble();
            if (i >= warmup) {
                ms[i - warmup] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        return new StepTimes(ms, last);
    }

    double median() {
        return Statistics.median(millis);
    }

    /** Prints the parameter count and last loss, the {@code RESULT} line for {@code name} and the peak RSS. */
    void print(String name, long parameters) {
        System.out.printf(Locale.ROOT, "nas4j params %d last loss %.4f%n", parameters, lastValue);
        System.out.printf(Locale.ROOT, "RESULT %s median=%.2f min=%.2f max=%.2f n=%d%n", name, median(), millis[0],
                millis[millis.length - 1], millis.length);
        System.out.println("PEAK_RSS_MIB " + ProcessMemory.peakRssMib());
    }
}
