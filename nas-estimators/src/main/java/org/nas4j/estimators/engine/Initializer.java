package org.nas4j.estimators.engine;

import java.util.random.RandomGenerator;

/**
 * Fills the initial values of one parameter. Called once, when its {@link ParameterSet} is sealed, with a random
 * generator derived from the set's seed and the parameter's position, so initial values are reproducible.
 */
@FunctionalInterface
public interface Initializer {

    /**
     * Writes the initial values.
     *
     * @param values the values in 'c' order, to overwrite
     * @param rng    the parameter's own random generator
     */
    void fill(double[] values, RandomGenerator rng);

    /** All values equal to {@code value} (e.g. 1 for batch-norm scales, 0 for shifts). */
    static Initializer constant(double value) {
        return (values, rng) -> java.util.Arrays.fill(values, value);
    }

    /**
     * Uniform in {@code [-1/sqrt(fanIn), 1/sqrt(fanIn)]}: PyTorch's default for convolution and linear weights and
     * biases (Kaiming uniform with a = sqrt(5)).
     *
     * @param fanIn input channels per group times kernel area (or input features)
     */
    static Initializer uniformFanIn(long fanIn) {
        if (fanIn < 1) {
            throw new IllegalArgumentException("fanIn must be >= 1, but was " + fanIn);
        }
        double bound = 1.0 / Math.sqrt(fanIn);
        return (values, rng) -> {
            for (int i = 0; i < values.length; i++) {
                values[i] = rng.nextDouble(-bound, bound);
            }
        };
    }

    /** Uniform in {@code [-range, range]} (e.g. 0.08 for the NAS controller of Zoph and Le). */
    static Initializer uniform(double range) {
        if (!(range > 0 && range < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("range must be a finite number > 0, but was " + range);
        }
        return (values, rng) -> {
            for (int i = 0; i < values.length; i++) {
                values[i] = rng.nextDouble(-range, range);
            }
        };
    }

    /** Normal with mean 0 and the given standard deviation (e.g. 1e-3 for DARTS architecture weights). */
    static Initializer normal(double std) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("std must be >= 0, but was " + std);
        }
        return (values, rng) -> {
            for (int i = 0; i < values.length; i++) {
                values[i] = std * rng.nextGaussian();
            }
        };
    }
}
