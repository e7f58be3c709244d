package org.nas4j.estimators.engine.supernet;

/** Argument checks and small numeric helpers shared by the path policies. */
final class Policies {

    private Policies() {
    }

    static void requireShape(int edges, int ops) {
        if (edges < 1 || ops < 1) {
            throw new IllegalArgumentException("edges and ops must be >= 1, but were " + edges + " and " + ops);
        }
    }

    /** Checks per-edge op counts (each >= 1, at least one edge) and returns a copy. */
    static int[] requireCounts(int[] ops) {
        if (ops.length < 1) {
            throw new IllegalArgumentException("edges must be >= 1, but was 0");
        }
        for (int e = 0; e < ops.length; e++) {
            if (ops[e] < 1) {
                throw new IllegalArgumentException("ops[" + e + "] must be >= 1, but was " + ops[e]);
            }
        }
        return ops.clone();
    }

    /** {@code edges} edges of {@code ops} ops each. */
    static int[] uniform(int edges, int ops) {
        requireShape(edges, ops);
        int[] counts = new int[edges];
        java.util.Arrays.fill(counts, ops);
        return counts;
    }

    static int max(int[] values) {
        int m = values[0];
        for (int v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** The first {@code n} entries of a row of {@code alpha} (an edge's own ops; the rest of the row is padding). */
    static double[] row(double[][] logits, int edge, int n) {
        return java.util.Arrays.copyOf(logits[edge], n);
    }

    /** {@code values} padded with zeros to {@code length}. */
    static double[] padded(double[] values, int length) {
        return java.util.Arrays.copyOf(values, length);
    }

    static void requireEdge(int edge, int edges) {
        if (edge < 0 || edge >= edges) {
            throw new IllegalArgumentException("edge must be in [0, " + edges + "), but was " + edge);
        }
    }

    /** The path of {@code edge} drawn or computed by the last {@code beginPass}; an exception if there is none. */
    static EdgePath pathOf(EdgePath[] paths, int edge) {
        requireEdge(edge, paths.length);
        if (paths[edge] == null) {
            throw new IllegalStateException("no path for edge " + edge + " yet: call beginPass first");
        }
        return paths[edge];
    }

    /** Softmax of one row, computed stably in double precision. */
    static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double[] out = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.exp(logits[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    /** Back-propagates {@code grad} (dL/dp) through {@code p = softmax(z)}: returns dL/dz. */
    static double[] softmaxBackward(double[] p, double[] grad) {
        double dot = 0;
        for (int i = 0; i < p.length; i++) {
            dot += p[i] * grad[i];
        }
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] * (grad[i] - dot);
        }
        return out;
    }

    /** The argmax of the first {@code ops[e]} logits of every row {@code e} of {@code alpha}, among the allowed. */
    static int[] argmaxRows(org.nas4j.estimators.engine.Parameter alpha, int[] ops, CandidateMask mask) {
        double[][] logits = alpha.value().toDoubleMatrix();
        int[] arch = new int[ops.length];
        for (int e = 0; e < ops.length; e++) {
            arch[e] = argmax(mask.logits(e, row(logits, e, ops[e])));
        }
        return arch;
    }

    static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
