package org.nas4j.strategies.rl;

import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.random.RandomGenerator;

/**
 * One trajectory of an {@link EnasMacroController}: the forward pass over the layers (drawing the decisions, or
 * reading them from a choice vector), with everything the backward pass needs kept, and the backward pass through
 * time. Used once.
 */
final class MacroTape {
    private final EnasMacroController c;
    private final MacroArc arc;
    private final double[] w;
    private final int hn;
    private final int layers;
    /** Per step: its input (layer 0) and where it comes from: a parameter row, or a mix of earlier anchors. */
    private final double[][] input;
    private final int[] inputRow;
    private final int[][] mixSteps;
    private final double[] mixScale;
    /** Per step and LSTM layer: gate activations, the cell state, tanh of it, the output. */
    private final double[][][] gates;
    private final double[][][] cell;
    private final double[][][] cellTanh;
    private final double[][][] out;
    /** Per step: its softmax decision, or its skip decisions, or neither. */
    private final Head[] head;
    private final Skips[] skips;
    private double logProbWeight;
    private double entropyWeight;
    private double penaltyWeight;
    private double value;

    /** A softmax decision over the options of a head {@code h W} ({@code W} at {@code soft}). */
    private record Head(int soft, double[] z, double[] p, int chosen) {
    }

    /** A layer's skip flags: per earlier layer, the attention's activations, the scaled logit, the probabilities. */
    private record Skips(int[] anchors, double[][] act, double[] z, double[] u, double[][] p, int[] flags) {
    }

    MacroTape(EnasMacroController controller, double[] values) {
        this.c = controller;
        this.arc = controller.arc();
        this.w = values;
        this.hn = c.hidden();
        this.layers = c.settings().layers();
        int steps = arc.layers() * (arc.wholeChannels() ? 2 : 2 * arc.branches() + 1);
        this.input = new double[steps][];
        this.inputRow = new int[steps];
        this.mixSteps = new int[steps][];
        this.mixScale = new double[steps];
        this.gates = new double[steps][layers][];
        this.cell = new double[steps][layers][];
        this.cellTanh = new double[steps][layers][];
        this.out = new double[steps][layers][];
        this.head = new Head[steps];
        this.skips = new Skips[steps];
    }

    /**
     * Runs every layer: draws every decision with {@code rng} into {@code vector}, or (rng null) reads them from it;
     * returns {@code logProbWeight * log p + entropyWeight * H + penaltyWeight * P}.
     */
    double run(int[] vector, RandomGenerator rng, double logProbWeight, double entropyWeight, double penaltyWeight) {
        this.logProbWeight = logProbWeight;
        this.entropyWeight = entropyWeight;
        this.penaltyWeight = penaltyWeight;
        this.value = 0;
        int[] anchors = new int[arc.layers()];
        double[][] projected = new double[arc.layers()][];
        int s = 0;
        double[] x = row(c.gEmbOffset());
        int from = c.gEmbOffset();
        int[] mix = null;
        double scale = 0;
        for (int i = 0; i < arc.layers(); i++) {
            if (arc.wholeChannels()) {
                int choice = arc.opChoice(i);
                lstmStep(s, x, from, mix, scale);
                int b = decide(s, c.softStartOffset(0), arc.branches(), o -> c.allowed(choice, o),
                        vector[choice], rng);
                vector[choice] = b;
                from = c.embStartOffset(0) + b * hn;
                s++;
            } else {
                for (int j = 0; j < arc.branches(); j++) {
                    int choice = arc.rangeChoice(i, j);
                    lstmStep(s, x, from, mix, scale);
                    int start = decide(s, c.softStartOffset(j), arc.channels(), o -> startAllowed(choice, o),
                            arc.range(vector[choice]).start(), rng);
                    x = row(c.embStartOffset(j) + start * hn);
                    from = c.embStartOffset(j) + start * hn;
                    mix = null;
                    s++;
                    lstmStep(s, x, from, null, 0);
                    int count = 1 + decide(s, c.softCountOffset(j), arc.channels() - 1,
                            n -> n <= arc.channels() - 1 - start && countAllowed(choice, start, n + 1),
                            arc.range(vector[choice]).count() - 1, rng);
                    vector[choice] = arc.option(start, count);
                    from = c.embCountOffset(j) + (count - 1) * hn;
                    x = row(from);
                    s++;
                }
            }
            x = row(from);
            mix = null;
            lstmStep(s, x, from, null, 0);
            if (i > 0) {
                int[] flags = decideSkips(s, i, anchors, projected, vector, rng);
                int chosen = Arrays.stream(flags).sum();
                mix = new int[chosen];
                x = new double[hn];
                scale = 1.0 / (1 + chosen);
                for (int k = 0, n = 0; k < i; k++) {
                    if (flags[k] == 1) {
                        mix[n++] = anchors[k];
                        for (int m = 0; m < hn; m++) {
                            x[m] += scale * top(anchors[k])[m];
                        }
                    }
                }
                from = -1;
            } else {
                from = c.gEmbOffset();
                x = row(from);
            }
            anchors[i] = s;
            projected[i] = times(top(s), c.wAttn1Offset(), hn);
            s++;
        }
        return value;
    }

    private boolean startAllowed(int choice, int start) {
        for (int count = 1; count <= arc.channels(); count++) {
            if (countAllowed(choice, start, count)) {
                return true;
            }
        }
        return false;
    }

    private boolean countAllowed(int choice, int start, int count) {
        int o = arc.option(start, count);
        return o >= 0 && c.allowed(choice, o);
    }

    /**
     * The softmax decision at step {@code s} over the {@code n} logits {@code h W} ({@code W} at {@code soft}),
     * shaped, then masked by {@code allowed}: draws it with {@code rng}, or takes {@code given}; adds its terms.
     */
    private int decide(int s, int soft, int n, IntPredicate allowed, int given, RandomGenerator rng) {
        double[] z = times(top(s), soft, n);
        double[] logits = new double[n];
        for (int o = 0; o < n; o++) {
            z[o] = scaled(z[o]);
            logits[o] = allowed.test(o) ? shaped(z[o]) : Double.NEGATIVE_INFINITY;
        }
        double[] p = softmax(logits);
        int a = rng == null ? given : Policy.draw(p, n, rng);
        head[s] = new Head(soft, z, p, a);
        value += logProbWeight * Math.log(p[a]) - entropyWeight * p[a] * Math.log(p[a]);
        return a;
    }

    /** The skip flags of layer {@code i} at step {@code s}, by attention over the anchors of layers {@code < i}. */
    private int[] decideSkips(int s, int i, int[] anchors, double[][] projected, int[] vector, RandomGenerator rng) {
        double[] q = times(top(s), c.wAttn2Offset(), hn);
        double[][] act = new double[i][hn];
        double[] z = new double[i];
        double[] u = new double[i];
        double[][] p = new double[i][];
        int[] flags = new int[i];
        double target = c.settings().skipTarget();
        double penalty = 0;
        for (int k = 0; k < i; k++) {
            double raw = 0;
            for (int m = 0; m < hn; m++) {
                act[k][m] = Math.tanh(projected[k][m] + q[m]);
                raw += w[c.vAttnOffset() + m] * act[k][m];
            }
            z[k] = scaled(raw);
            u[k] = shaped(z[k]);
            int choice = arc.skipChoice(i, k);
            p[k] = softmax(new double[] {c.allowed(choice, 0) ? -u[k] : Double.NEGATIVE_INFINITY,
                    c.allowed(choice, 1) ? u[k] : Double.NEGATIVE_INFINITY});
            flags[k] = rng == null ? vector[choice] : Policy.draw(p[k], 2, rng);
            vector[choice] = flags[k];
            double pf = p[k][flags[k]];
            value += logProbWeight * Math.log(pf) - entropyWeight * pf * Math.log(pf);
            double sig = sigmoid(u[k]);
            penalty += (1 - sig) * (logSigmoid(-u[k]) - Math.log(1 - target))
                    + sig * (logSigmoid(u[k]) - Math.log(target));
        }
        value += penaltyWeight * penalty / (arc.layers() - 1);
        skips[s] = new Skips(anchors.clone(), act, z, u, p, flags);
        return flags;
    }

    /** One step of the stacked LSTM (no biases, gates i, f, o, g). */
    private void lstmStep(int s, double[] x, int row, int[] mix, double scale) {
        input[s] = x;
        inputRow[s] = mix == null ? row : -1;
        mixSteps[s] = mix;
        mixScale[s] = scale;
        double[] in = x;
        int g4 = 4 * hn;
        for (int l = 0; l < layers; l++) {
            double[] hp = s == 0 ? new double[hn] : out[s - 1][l];
            double[] cp = s == 0 ? new double[hn] : cell[s - 1][l];
            int off = c.lstmOffset(l);
            double[] z = new double[g4];
            accumulate(in, off, z);
            accumulate(hp, off + hn * g4, z);
            double[] gate = new double[g4];
            double[] ct = new double[hn];
            double[] tc = new double[hn];
            double[] h = new double[hn];
            for (int m = 0; m < hn; m++) {
                gate[m] = sigmoid(z[m]);
                gate[hn + m] = sigmoid(z[hn + m]);
                gate[2 * hn + m] = sigmoid(z[2 * hn + m]);
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
    }

    /** The gradient of the objective of the trajectory just run, over the flat parameter vector. */
    double[] backward() {
        double[] grad = new double[w.length];
        int total = input.length;
        double[][] ext = new double[total][hn];
        double[][] dhNext = new double[layers][hn];
        double[][] dcNext = new double[layers][hn];
        int g4 = 4 * hn;
        for (int s = total - 1; s >= 0; s--) {
            if (head[s] != null) {
                backHead(s, grad, ext);
            }
            if (skips[s] != null) {
                backSkips(s, grad, ext);
            }
            double[] fromAbove = ext[s];
            for (int l = layers - 1; l >= 0; l--) {
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
                int off = c.lstmOffset(l);
                outer(in, dz, off, grad);
                outer(hp, dz, off + hn * g4, grad);
                dhNext[l] = backTimes(dz, off + hn * g4, hn);
                fromAbove = backTimes(dz, off, hn);
            }
            if (inputRow[s] >= 0) {
                add(fromAbove, 1, grad, inputRow[s]);
            } else {
                for (int a : mixSteps[s]) {
                    add(fromAbove, mixScale[s], ext[a], 0);
                }
            }
        }
        return grad;
    }

    /** The factor {@code d(a log p(y) - e p(y) log p(y)) / d logit_o = factor * (1[o = y] - p_o)}. */
    private double factor(double py) {
        return logProbWeight - entropyWeight * py * (1 + Math.log(py));
    }

    private void backHead(int s, double[] grad, double[][] ext) {
        Head d = head[s];
        int n = d.p().length;
        double g = factor(d.p()[d.chosen()]);
        double[] dRaw = new double[n];
        for (int o = 0; o < n; o++) {
            if (d.p()[o] == 0) {
                continue;     // a masked option: its logit is minus infinity and gets no gradient
            }
            dRaw[o] = backShape(g * ((o == d.chosen() ? 1 : 0) - d.p()[o]), d.z()[o]);
        }
        outer(top(s), dRaw, d.soft(), grad);
        add(backTimes(dRaw, d.soft(), hn), 1, ext[s], 0);
    }

    private void backSkips(int s, double[] grad, double[][] ext) {
        Skips d = skips[s];
        double target = c.settings().skipTarget();
        double perLayer = penaltyWeight / (arc.layers() - 1);
        double[] dq = new double[hn];
        int v = c.vAttnOffset();
        int w1 = c.wAttn1Offset();
        for (int k = 0; k < d.flags().length; k++) {
            double[] p = d.p()[k];
            int f = d.flags()[k];
            double g = factor(p[f]);
            double du = g * ((f == 1 ? 1 : 0) - p[1]) - g * ((f == 0 ? 1 : 0) - p[0]);
            double u = d.u()[k];
            double sig = sigmoid(u);
            du += perLayer * sig * (1 - sig) * ((logSigmoid(u) - Math.log(target))
                    - (logSigmoid(-u) - Math.log(1 - target)));
            double dRaw = backShape(du, d.z()[k]);
            double[] act = d.act()[k];
            double[] dPre = new double[hn];
            for (int m = 0; m < hn; m++) {
                grad[v + m] += dRaw * act[m];
                dPre[m] = dRaw * w[v + m] * (1 - act[m] * act[m]);
                dq[m] += dPre[m];
            }
            int anchor = d.anchors()[k];
            outer(top(anchor), dPre, w1, grad);
            add(backTimes(dPre, w1, hn), 1, ext[anchor], 0);
        }
        int w2 = c.wAttn2Offset();
        outer(top(s), dq, w2, grad);
        add(backTimes(dq, w2, hn), 1, ext[s], 0);
    }

    /** A raw logit divided by the temperature, if one is set. */
    private double scaled(double raw) {
        double t = c.settings().temperature();
        return t > 0 ? raw / t : raw;
    }

    /** {@code c tanh(z)}, or {@code z} without a tanh constant. */
    private double shaped(double z) {
        double k = c.settings().tanhConstant();
        return k > 0 ? k * Math.tanh(z) : z;
    }

    /** The gradient of a raw logit from that of its shaped value, {@code z} the scaled one. */
    private double backShape(double dShaped, double z) {
        double k = c.settings().tanhConstant();
        double t = c.settings().temperature();
        double dz = dShaped;
        if (k > 0) {
            double th = Math.tanh(z);
            dz *= k * (1 - th * th);
        }
        return t > 0 ? dz / t : dz;
    }

    private double[] top(int s) {
        return out[s][layers - 1];
    }

    private double[] row(int offset) {
        return Arrays.copyOfRange(w, offset, offset + hn);
    }

    /** {@code x M} for the matrix {@code M [x.length, cols]} at {@code offset}. */
    private double[] times(double[] x, int offset, int cols) {
        double[] y = new double[cols];
        accumulate(x, offset, y);
        return y;
    }

    /** {@code z += x M} for {@code M [x.length, z.length]} at {@code offset}. */
    private void accumulate(double[] x, int offset, double[] z) {
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

    /** {@code M dy} for {@code M [rows, dy.length]} at {@code offset}: the gradient of {@code x M} at x. */
    private double[] backTimes(double[] dy, int offset, int rows) {
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
    private static void outer(double[] x, double[] dy, int offset, double[] grad) {
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

    private static void add(double[] x, double scale, double[] into, int offset) {
        for (int i = 0; i < x.length; i++) {
            into[offset + i] += scale * x[i];
        }
    }

    private static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int o = 0; o < p.length; o++) {
            p[o] = Math.exp(logits[o] - max);
            sum += p[o];
        }
        for (int o = 0; o < p.length; o++) {
            p[o] /= sum;
        }
        return p;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** {@code log sigmoid(z)}, without overflow. */
    private static double logSigmoid(double z) {
        return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
    }
}
