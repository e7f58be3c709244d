package org.nas4j.core.config;

/**
 * Argument checks for builders and constructors: each returns the value when it is valid and otherwise throws an
 * {@link IllegalArgumentException} that names the parameter and the value, as every setter of nas4j does
 * ({@code "batchSize must be >= 2, but was 1"}).
 */
public final class Require {

    private Require() {
    }

    /** {@code value} if it is at least 1. */
    public static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, but was " + value);
        }
        return value;
    }

    /** {@code value} if it is at least 0. */
    public static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, but was " + value);
        }
        return value;
    }

    /** {@code value} if it is at least {@code min}. */
    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", but was " + value);
        }
        return value;
    }

    /** {@code value} if it is finite and above 0. */
    public static double positiveFinite(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, but was " + value);
        }
        return value;
    }
}
