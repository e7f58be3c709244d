package org.nas4j.estimators.engine;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Numeric tolerances derived from the precision and the step used, never from what one CPU happened to give.
 * Every bound here is a worst-case bound of floating-point error analysis (Higham, <i>Accuracy and Stability of
 * Numerical Algorithms</i>, ch. 3): a value computed through a chain of {@code k} roundings, each of relative size
 * at most the unit roundoff {@code u}, is off by at most {@code gamma(k) = k u / (1 - k u)} times the magnitude of
 * the terms it was made of. Different CPUs (Intel or AMD, AVX2 or AVX-512 kernels, another summation order in
 * oneDNN or OpenBLAS) stay inside these bounds, and a wrong gradient or a wrong export, which is off by a relative
 * amount of order one, stays far outside them.
 */
public final class Tolerances {

    private Tolerances() {
    }

    /** The unit roundoff of {@code type}: half the distance from 1 to the next representable number. */
    public static double unitRoundoff(DataType type) {
        return switch (type) {
            case DOUBLE -> 0x1p-53;
            case FLOAT -> 0x1p-24;
            case HALF -> 0x1p-11;
            default -> throw new IllegalArgumentException("no unit roundoff for data type " + type);
        };
    }

    /** {@code gamma(k) = k u / (1 - k u)}, the relative error bound of a chain of {@code k} roundings. */
    public static double gamma(DataType type, long roundings) {
        if (roundings < 1) {
            throw new IllegalArgumentException("roundings must be >= 1, but was " + roundings);
        }
        double ku = roundings * unitRoundoff(type);
        if (ku >= 0.5) {
            throw new IllegalArgumentException("roundings=" + roundings + " is too many for " + type
                    + ": the error bound k*u=" + ku + " says nothing");
        }
        return ku / (1 - ku);
    }

    /**
     * The error bound of a central difference {@code (f(x+h) - f(x-h)) / 2h} computed in {@code type}: each of the
     * two evaluations of {@code f} is off by at most {@code gamma(roundings) * magnitude}, where {@code magnitude} is
     * the sum of the absolute values of the terms that make up {@code f} and {@code roundings} bounds the chain of
     * roundings any term passes through (its forward pass plus the final sum). So the quotient is off by at most
     * {@code gamma * magnitude / h}. Truncation ({@code h^2 f'''/6}) is covered by the relative part of the checks.
     */
    public static double centralDifference(DataType type, double magnitude, double step, long roundings) {
        if (!(step > 0)) {
            throw new IllegalArgumentException("step must be > 0, but was " + step);
        }
        if (!(magnitude >= 0) || Double.isInfinite(magnitude)) {
            throw new IllegalArgumentException("magnitude must be finite and >= 0, but was " + magnitude);
        }
        return gamma(type, roundings) * magnitude / step;
    }

    /**
     * The bound on the difference between two computations of the same value in {@code type} by different kernels
     * (another summation order, another library): each is within {@code gamma(roundings) * magnitude} of the exact
     * value, so they are within twice that of each other.
     */
    public static double parity(DataType type, long roundings, double magnitude) {
        return 2 * gamma(type, roundings) * magnitude;
    }
}
