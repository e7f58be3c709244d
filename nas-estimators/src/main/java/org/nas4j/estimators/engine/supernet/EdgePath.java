package org.nas4j.estimators.engine.supernet;

import java.util.Arrays;

/**
 * The ops one edge computes in the current pass and the weight of each in the edge's output
 * {@code sum_i weights[i] * op[ops[i]](x)}.
 *
 * @param ops     indices of the candidate ops to compute, distinct, at least one
 * @param weights weight of each, parallel to {@code ops}
 */
public record EdgePath(int[] ops, double[] weights) {

    /** Validates and copies the arrays. */
    public EdgePath {
        if (ops.length == 0 || ops.length != weights.length) {
            throw new IllegalArgumentException("ops and weights must be non-empty and of equal length, but had "
                    + ops.length + " and " + weights.length + " elements");
        }
        ops = ops.clone();
        weights = weights.clone();
    }

    /** One op with weight 1. */
    public static EdgePath single(int op) {
        return new EdgePath(new int[] {op}, new double[] {1.0});
    }

    /** Whether this path is one op with weight exactly 1 (so the edge can return that op's output as is). */
    public boolean isSingleUnitWeight() {
        return ops.length == 1 && weights[0] == 1.0;
    }

    @Override
    public int[] ops() {
        return ops.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** The i-th op index, without copying. */
    public int op(int i) {
        return ops[i];
    }

    /** The i-th weight, without copying. */
    public double weight(int i) {
        return weights[i];
    }

    /** Number of ops computed. */
    public int size() {
        return ops.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EdgePath p && Arrays.equals(p.ops, ops) && Arrays.equals(p.weights, weights);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ops) + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "EdgePath" + Arrays.toString(ops) + Arrays.toString(weights);
    }
}
