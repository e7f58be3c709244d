package org.nas4j.strategies.rl;

/**
 * Dense products on a flat parameter vector, row-major matrices at an offset: what the plain-Java controllers'
 * forward and backward passes ({@link MacroTape}, {@link MicroTape}, {@link BiasFreeLstm}) are made of.
 */
final class Dense {
    private Dense() {
    }

    /** {@code x M} for the matrix {@code M [x.length, cols]} at {@code offset} of {@code w}. */
    static double[] times(double[] w, double[] x, int offset, int cols) {
        double[] y = new double[cols];
        accumulate(w, x, offset, y);
        return y;
    }

    /** {@code z += x M} for {@code M [x.length, z.length]} at {@code offset} of {@code w}. */
    static void accumulate(double[] w, double[] x, int offset, double[] z) {
        int cols = z.length;
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            if (xi == 0) {
                continue;
            }
            int r = offset + i * cols;
            for (int j = 0; j < cols; j++) {
                z[j] += xi * w[r + j];
            }
        }
    }

    /** {@code M dy} for {@code M [rows, dy.length]} at {@code offset} of {@code w}: the gradient of {@code x M} at x. */
    static double[] backTimes(double[] w, double[] dy, int offset, int rows) {
        int cols = dy.length;
        double[] dx = new double[rows];
        for (int i = 0; i < rows; i++) {
            int r = offset + i * cols;
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += w[r + j] * dy[j];
            }
            dx[i] = sum;
        }
        return dx;
    }

    /** {@code grad[M] += x^T dy} for {@code M [x.length, dy.length]} at {@code offset}. */
    static void outer(double[] x, double[] dy, int offset, double[] grad) {
        int cols = dy.length;
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            if (xi == 0) {
                continue;
            }
            int r = offset + i * cols;
            for (int j = 0; j < cols; j++) {
                grad[r + j] += xi * dy[j];
            }
        }
    }

    /** {@code into[offset ..] += scale * x}. */
    static void add(double[] x, double scale, double[] into, int offset) {
        for (int i = 0; i < x.length; i++) {
            into[offset + i] += scale * x[i];
        }
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
