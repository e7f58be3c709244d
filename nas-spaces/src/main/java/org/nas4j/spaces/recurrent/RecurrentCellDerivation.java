package org.nas4j.spaces.recurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * DARTS' rule that turns the architecture weights of its recurrent search cell into a cell (the DARTS code's
 * {@code RNNModelSearch.genotype()}). The weights are {@code [edges, 5]}: node {@code i} (1-based) owns the
 * {@code i} rows after those of nodes {@code 1 .. i-1}, row {@code j} of them its edge from state {@code j}; the
 * columns are {@link #PRIMITIVES}. Each row goes through a softmax; node {@code i} then keeps the edge whose best
 * activation other than {@code none} has the largest probability (the first such edge on ties), with that
 * activation (the first on ties); the output averages states {@code 1 .. steps} ({@code concat=range(1, steps+1)}).
 *
 * <pre>{@code
 * RecurrentGenotype g = RecurrentCellDerivation.derive(weights);   // weights [36][5] for 8 nodes
 * }</pre>
 */
public final class RecurrentCellDerivation {

    /** The reference's {@code PRIMITIVES}: {@code none} (a zero contribution), then the four activations. */
    public static final List<String> PRIMITIVES = List.of("none", "tanh", "relu", "sigmoid", "identity");

    private RecurrentCellDerivation() {
    }

    /** Edges of a search cell of {@code steps} nodes: {@code steps * (steps + 1) / 2} (36 for 8). */
    public static int edges(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, but was " + steps);
        }
        return steps * (steps + 1) / 2;
    }

    /** The softmax of every row. */
    public static double[][] softmaxRows(double[][] logits) {
        double[][] out = new double[logits.length][];
        for (int e = 0; e < logits.length; e++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits[e]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            out[e] = new double[logits[e].length];
            for (int k = 0; k < logits[e].length; k++) {
                out[e][k] = Math.exp(logits[e][k] - max);
                sum += out[e][k];
            }
            for (int k = 0; k < out[e].length; k++) {
                out[e][k] /= sum;
            }
        }
        return out;
    }

    /**
     * The cell the architecture weights {@code weights} (before the softmax) select.
     *
     * @throws IllegalArgumentException when the shape is not {@code [steps * (steps + 1) / 2, 5]} for some steps
     */
    public static RecurrentGenotype derive(double[][] weights) {
        int steps = stepsOf(weights.length);
        for (double[] row : weights) {
            if (row.length != PRIMITIVES.size()) {
                throw new IllegalArgumentException("every row of weights must have " + PRIMITIVES.size()
                        + " columns " + PRIMITIVES + ", but one had " + row.length);
            }
        }
        double[][] p = softmaxRows(weights);
        List<RecurrentGenotype.Node> nodes = new ArrayList<>(steps);
        int offset = 0;
        for (int i = 1; i <= steps; i++) {
            int bestEdge = 0;
            for (int j = 1; j < i; j++) {
                if (p[offset + j][bestActivation(p[offset + j])] > p[offset + bestEdge][bestActivation(
                        p[offset + bestEdge])]) {
                    bestEdge = j;
                }
            }
            nodes.add(new RecurrentGenotype.Node(PRIMITIVES.get(bestActivation(p[offset + bestEdge])), bestEdge));
            offset += i;
        }
        return new RecurrentGenotype(nodes, IntStream.rangeClosed(1, steps).boxed().toList());
    }

    /** The column of the largest probability other than {@code none} (the first on ties). */
    private static int bestActivation(double[] row) {
        int best = 1;
        for (int k = 2; k < row.length; k++) {
            if (row[k] > row[best]) {
                best = k;
            }
        }
        return best;
    }

    private static int stepsOf(int rows) {
        for (int steps = 1; edges(steps) <= rows; steps++) {
            if (edges(steps) == rows) {
                return steps;
            }
        }
        throw new IllegalArgumentException("weights must have steps * (steps + 1) / 2 rows (36 for 8 nodes), but had "
                + rows);
    }
}
