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
