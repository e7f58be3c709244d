package org.nas4j.estimators.network;

import java.util.Arrays;
import java.util.Comparator;

/**
 * DARTS' rule for the inputs of a node relaxed as DARTS does ({@code Network.genotype()}'s {@code _parse} in the
 * reference's {@code cnn/model_search.py}): each candidate state's strength is the largest weight of its edge over
 * the ops other than {@code none}; the {@code k} strongest states are kept, strongest first (ties: the lower state
 * first, as Python's stable sort); each with its op other than {@code none} of the largest weight (ties: the first
 * in op order).
 */
final class StrongestStates {

    private StrongestStates() {
    }

    /**
     * The kept states and their ops.
     *
     * @param weights per candidate state, the weight of each candidate of its edge, {@code none} in column 0 (the
     *                reference passes {@code softmax(alpha)}, which the rule compares across edges)
     * @param k       how many states the node reads
     * @return {@code k} pairs {@code {state index, op column}}, strongest first; the op column is never 0
     */
    static int[][] select(double[][] weights, int k) {
        if (k < 1 || k > weights.length) {
            throw new IllegalArgumentException("k must be in [1, " + weights.length + "] (the candidate states), but"
                    + " was " + k);
        }
        int n = weights.length;
        double[] strength = new double[n];
        int[] bestOp = new int[n];
        for (int j = 0; j < n; j++) {
            double[] row = weights[j];
            if (row.length < 2) {
                throw new IllegalArgumentException("weights of state " + j + " must hold none and at least one op,"
                        + " but had " + row.length + " entries");
            }
            int best = 1;
            for (int o = 2; o < row.length; o++) {
                if (row[o] > row[best]) {
                    best = o;
                }
            }
            bestOp[j] = best;
            strength[j] = row[best];
        }
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -strength[j])); // stable
        int[][] kept = new int[k][];
        for (int t = 0; t < k; t++) {
            kept[t] = new int[] {order[t], bestOp[order[t]]};
        }
        return kept;
    }

    /** The op column other than {@code none} (column 0) with the largest weight; ties: the first. */
    static int strongestOp(double[] weights) {
        return select(new double[][] {weights}, 1)[0][1];
    }
}
