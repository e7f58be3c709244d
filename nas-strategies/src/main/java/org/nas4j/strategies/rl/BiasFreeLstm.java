package org.nas4j.strategies.rl;

/**
 * A stacked LSTM without biases over the steps of one controller trajectory, as ENAS' {@code stack_lstm} computes
 * it: per layer {@code [x, h] W} with {@code W [2H, 4H]}, gates {@code i, f, o, g}; the first step starts from zero
 * states. Everything the backward pass needs is kept per step; {@link #backward} back-propagates through time when
 * called for the steps from the last to the first. Used once.
 */
final class BiasFreeLstm {
    private final double[] w;
    private final int hn;
    private final int[] offsets;
    private final double[][] input;
    /** Per step and layer: gate activations, the cell state, tanh of it, the output. */
    private final double[][][] gates;
    private final double[][][] cell;
    private final double[][][] cellTanh;
    private final double[][][] out;
    /** The gradients flowing back from the step after the one {@link #backward} visits next. */
    private final double[][] dhNext;
    private final double[][] dcNext;

    /** An LSTM of {@code hidden} units whose layer {@code l} has its weight at {@code offsets[l]} of {@code w}. */
    BiasFreeLstm(double[] w, int hidden, int[] offsets, int steps) {
        this.w = w;
        this.hn = hidden;
        this.offsets = offsets.clone();
        int layers = offsets.length;
        this.input = new double[steps][];
        this.gates = new double[steps][layers][];
        this.cell = new double[steps][layers][];
        this.cellTanh = new double[steps][layers][];
        this.out = new double[steps][layers][];
        this.dhNext = new double[layers][hidden];
        this.dcNext = new double[layers][hidden];
    }

    /** Runs step {@code s} (after step {@code s - 1}) on the input {@code x}; returns the top layer's output. */
    double[] step(int s, double[] x) {
        input[s] = x;
        double[] in = x;
        int g4 = 4 * hn;
        for (int l = 0; l < offsets.length; l++) {
            double[] hp = s == 0 ? new double[hn] : out[s - 1][l];
            double[] cp = s == 0 ? new double[hn] : cell[s - 1][l];
            double[] z = new double[g4];
            Dense.accumulate(w, in, offsets[l], z);
            Dense.accumulate(w, hp, offsets[l] + hn * g4, z);
            double[] gate = new double[g4];
            double[] ct = new double[hn];
            double[] tc = new double[hn];
            double[] h = new double[hn];
            for (int m = 0; m < hn; m++) {
                gate[m] = Dense.sigmoid(z[m]);
                gate[hn + m] = Dense.sigmoid(z[hn + m]);
                gate[2 * hn + m] = Dense.sigmoid(z[2 * hn + m]);
                gate[3 * hn + m] = Math.tanh(z[3 * hn + m]);
                ct[m] = gate[m] * gate[3 * hn + m] + gate[hn + m] * cp[m];
                tc[m] = Math.tanh(ct[m]);
                h[m] = gate[2 * hn + m] * tc[m];
            }
            gates[s][l] = gate;
            cell[s][l] = ct;
            cellTanh[s][l] = tc;
            out[s][l] = h;
            in = h;
        }
        return in;
    }

    /** The top layer's output at step {@code s}. */
    double[] top(int s) {
        return out[s][offsets.length - 1];
    }

    /**
     * Back-propagates step {@code s}, given {@code dTop}, the gradient of the objective with respect to its top
     * output from everything but the next step's recurrence; adds the weights' gradients to {@code grad} and returns
     * the gradient with respect to the step's input. Call for the steps from the last to the first.
     */
    double[] backward(int s, double[] dTop, double[] grad) {
        double[] fromAbove = dTop;
        int g4 = 4 * hn;
        for (int l = offsets.length - 1; l >= 0; l--) {
            double[] gate = gates[s][l];
            double[] cp = s == 0 ? new double[hn] : cell[s - 1][l];
            double[] hp = s == 0 ? new double[hn] : out[s - 1][l];
            double[] in = l == 0 ? input[s] : out[s][l - 1];
            double[] dz = new double[g4];
            for (int m = 0; m < hn; m++) {
                double dh = dhNext[l][m] + fromAbove[m];
                double i = gate[m];
                double f = gate[hn + m];
                double o = gate[2 * hn + m];
                double g = gate[3 * hn + m];
                double tc = cellTanh[s][l][m];
                double dc = dcNext[l][m] + dh * o * (1 - tc * tc);
                dz[m] = dc * g * i * (1 - i);
                dz[hn + m] = dc * cp[m] * f * (1 - f);
                dz[2 * hn + m] = dh * tc * o * (1 - o);
                dz[3 * hn + m] = dc * i * (1 - g * g);
                dcNext[l][m] = dc * f;
            }
            Dense.outer(in, dz, offsets[l], grad);
            Dense.outer(hp, dz, offsets[l] + hn * g4, grad);
            dhNext[l] = Dense.backTimes(w, dz, offsets[l] + hn * g4, hn);
            fromAbove = Dense.backTimes(w, dz, offsets[l], hn);
        }
        return fromAbove;
    }
}
