package org.nas4j.strategies.rl;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The recurrent controller of Zoph and Le (ICLR 2017) and NASNet (Zoph et al., CVPR 2018): a one-layer LSTM that
 * emits the choice vector step by step, one softmax head per choice; the first input is a learned start vector,
 * every later input the embedding of the option chosen at the previous step. Parameters (one flat vector, in this
 * order): LSTM weights {@code [4H][E+H]} (gates i, f, g, o; input first, then the previous hidden state), LSTM
 * biases {@code [4H]}, start input {@code [E]}, per-choice embeddings {@code [k_i][E]} for every choice but the
 * last, per-choice heads {@code [k_i][H]} and their biases {@code [k_i]}. All are initialised uniformly in
 * {@code [-initRange, initRange]} (Zoph and Le: 0.08). Here {@code E = H}.
 *
 * <p>Forward and backward (backpropagation through time) are written out by hand; the tests check the gradient
 * against finite differences. Not thread-safe.
 */
public final class LstmController implements Policy {
    private final int[] sizes;
    private final int hidden;
    private final int input;
    private final double[] params;
    private final int wOffset;
    private final int bOffset;
    private final int startOffset;
    private final int[] embOffset;
    private final int[] headOffset;
    private final int[] headBiasOffset;

    // per-step caches of the last forward pass
    private final double[][] u;
    private final double[][] gates;
    private final double[][] c;
    private final double[][] tanhC;
    private final double[][] h;
    private final double[][] probs;
    private final double[] entropy;
    private final double[] logits;
    private final double[] dLogits;

    /**
     * A controller for choices with {@code sizes[i]} options, with {@code hidden} LSTM units, initialised from
     * {@code rng}.
     */
    public LstmController(int[] sizes, int hidden, double initRange, RandomGenerator rng) {
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden must be >= 1, but was " + hidden);
        }
        if (sizes.length < 1) {
            throw new IllegalArgumentException("sizes must name at least one choice");
        }
        this.sizes = sizes.clone();
        this.hidden = hidden;
        this.input = hidden;
        int n = sizes.length;
        int off = 0;
        wOffset = off;
        off += 4 * hidden * (input + hidden);
        bOffset = off;
        off += 4 * hidden;
        startOffset = off;
        off += input;
        embOffset = new int[n];
        for (int i = 0; i < n - 1; i++) {
            embOffset[i] = off;
            off += sizes[i] * input;
        }
        headOffset = new int[n];
        headBiasOffset = new int[n];
        int maxK = 1;
        for (int i = 0; i < n; i++) {
            headOffset[i] = off;
            off += sizes[i] * hidden;
            headBiasOffset[i] = off;
            off += sizes[i];
            maxK = Math.max(maxK, sizes[i]);
        }
        params = new double[off];
        for (int i = 0; i < off; i++) {
            params[i] = (2 * rng.nextDouble() - 1) * initRange;
        }
        u = new double[n][input + hidden];
        gates = new double[n][4 * hidden];
        c = new double[n][hidden];
        tanhC = new double[n][hidden];
        h = new double[n][hidden];
        probs = new double[n][maxK];
        entropy = new double[n];
        logits = new double[maxK];
        dLogits = new double[maxK];
    }

    @Override
    public double[] parameters() {
        return params;
    }

    /** The number of LSTM units. */
    public int hidden() {
        return hidden;
    }

    @Override
    public int[] sample(RandomGenerator rng) {
        int[] a = new int[sizes.length];
        for (int t = 0; t < sizes.length; t++) {
            step(t, t == 0 ? -1 : a[t - 1]);
            a[t] = Policy.draw(probs[t], sizes[t], rng);
        }
        return a;
    }

    @Override
    public double objective(int[] actions, double logProbWeight, double entropyWeight, double[] grad) {
        double value = 0;
        for (int t = 0; t < sizes.length; t++) {
            step(t, t == 0 ? -1 : actions[t - 1]);
            value += logProbWeight * Math.log(probs[t][actions[t]]) + entropyWeight * entropy[t];
        }
        if (grad != null) {
            backward(actions, logProbWeight, entropyWeight, grad);
        }
        return value;
    }

    /** Runs step {@code t} given the previous action (ignored at t = 0), filling the caches. */
    private void step(int t, int previous) {
        double[] ut = u[t];
        int xFrom = t == 0 ? startOffset : embOffset[t - 1] + previous * input;
        System.arraycopy(params, xFrom, ut, 0, input);
        if (t == 0) {
            Arrays.fill(ut, input, input + hidden, 0);
        } else {
            System.arraycopy(h[t - 1], 0, ut, input, hidden);
        }
        int cols = input + hidden;
        double[] z = gates[t];
        for (int r = 0; r < 4 * hidden; r++) {
            double s = params[bOffset + r];
            int row = wOffset + r * cols;
            for (int j = 0; j < cols; j++) {
                s += params[row + j] * ut[j];
            }
            z[r] = r >= 2 * hidden && r < 3 * hidden ? Math.tanh(s) : sigmoid(s);
        }
        for (int k = 0; k < hidden; k++) {
            double cPrev = t == 0 ? 0 : c[t - 1][k];
            double ck = z[hidden + k] * cPrev + z[k] * z[2 * hidden + k];
            c[t][k] = ck;
            tanhC[t][k] = Math.tanh(ck);
            h[t][k] = z[3 * hidden + k] * tanhC[t][k];
        }
        int kk = sizes[t];
        for (int j = 0; j < kk; j++) {
            double s = params[headBiasOffset[t] + j];
            int row = headOffset[t] + j * hidden;
            for (int k = 0; k < hidden; k++) {
                s += params[row + k] * h[t][k];
            }
            logits[j] = s;
        }
        entropy[t] = Policy.softmax(logits, 0, kk, probs[t]);
    }

    private void backward(int[] actions, double logProbWeight, double entropyWeight, double[] grad) {
        int n = sizes.length;
        int cols = input + hidden;
        double[] dh = new double[hidden];
        double[] dc = new double[hidden];
        double[] dz = new double[4 * hidden];
        double[] du = new double[cols];
        for (int t = n - 1; t >= 0; t--) {
            int kk = sizes[t];
            Policy.softmaxGradient(probs[t], kk, actions[t], entropy[t], logProbWeight, entropyWeight, dLogits);
            for (int j = 0; j < kk; j++) {
                double d = dLogits[j];
                grad[headBiasOffset[t] + j] += d;
                int row = headOffset[t] + j * hidden;
                for (int k = 0; k < hidden; k++) {
                    grad[row + k] += d * h[t][k];
                    dh[k] += d * params[row + k];
                }
            }
            double[] z = gates[t];
            for (int k = 0; k < hidden; k++) {
                double i = z[k];
                double f = z[hidden + k];
                double g = z[2 * hidden + k];
                double o = z[3 * hidden + k];
                double tc = tanhC[t][k];
                double cPrev = t == 0 ? 0 : c[t - 1][k];
                double dck = dc[k] + dh[k] * o * (1 - tc * tc);
                dz[k] = dck * g * i * (1 - i);
                dz[hidden + k] = dck * cPrev * f * (1 - f);
                dz[2 * hidden + k] = dck * i * (1 - g * g);
                dz[3 * hidden + k] = dh[k] * tc * o * (1 - o);
                dc[k] = dck * f;
            }
            Arrays.fill(du, 0);
            double[] ut = u[t];
            for (int r = 0; r < 4 * hidden; r++) {
                double d = dz[r];
                if (d == 0) {
                    continue;
                }
                grad[bOffset + r] += d;
                int row = wOffset + r * cols;
                for (int j = 0; j < cols; j++) {
                    grad[row + j] += d * ut[j];
                    du[j] += d * params[row + j];
                }
            }
            int xFrom = t == 0 ? startOffset : embOffset[t - 1] + actions[t - 1] * input;
            for (int j = 0; j < input; j++) {
                grad[xFrom + j] += du[j];
            }
            for (int k = 0; k < hidden; k++) {
                dh[k] = du[input + k];
            }
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
