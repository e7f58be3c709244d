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
    private final BiasFreeLstm lstm;
    /** Per step: where its input comes from: a parameter row, or a mix of earlier anchors. */
    private final int[] inputRow;
    private final int[][] mixSteps;
    private final double[] mixScale;
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
        int steps = arc.layers() * (arc.wholeChannels() ? 2 : 2 * arc.branches() + 1);
        int[] offsets = new int[c.settings().layers()];
        for (int l = 0; l < offsets.length; l++) {
            offsets[l] = c.lstmOffset(l);
        }
        this.lstm = new BiasFreeLstm(values, hn, offsets, steps);
        this.inputRow = new int[steps];
        this.mixSteps = new int[steps][];
        this.mixScale = new double[steps];
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
            double sig = Dense.sigmoid(u[k]);
            penalty += (1 - sig) * (logSigmoid(-u[k]) - Math.log(1 - target))
                    + sig * (logSigmoid(u[k]) - Math.log(target));
        }
        value += penaltyWeight * penalty / (arc.layers() - 1);
        skips[s] = new Skips(anchors.clone(), act, z, u, p, flags);
        return flags;
    }

    /** One step of the LSTM on {@code x}, which is the parameter row at {@code row}, or a mix of anchors. */
    private void lstmStep(int s, double[] x, int row, int[] mix, double scale) {
        inputRow[s] = mix == null ? row : -1;
        mixSteps[s] = mix;
        mixScale[s] = scale;
        lstm.step(s, x);
    }

    /** The gradient of the objective of the trajectory just run, over the flat parameter vector. */
    double[] backward() {
        double[] grad = new double[w.length];
        int total = inputRow.length;
        double[][] ext = new double[total][hn];
        for (int s = total - 1; s >= 0; s--) {
            if (head[s] != null) {
                backHead(s, grad, ext);
            }
            if (skips[s] != null) {
                backSkips(s, grad, ext);
            }
            double[] dx = lstm.backward(s, ext[s], grad);
            if (inputRow[s] >= 0) {
                Dense.add(dx, 1, grad, inputRow[s]);
            } else {
                for (int a : mixSteps[s]) {
                    Dense.add(dx, mixScale[s], ext[a], 0);
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
        Dense.outer(top(s), dRaw, d.soft(), grad);
        Dense.add(Dense.backTimes(w, dRaw, d.soft(), hn), 1, ext[s], 0);
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
            double sig = Dense.sigmoid(u);
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
            Dense.outer(top(anchor), dPre, w1, grad);
            Dense.add(Dense.backTimes(w, dPre, w1, hn), 1, ext[anchor], 0);
        }
        int w2 = c.wAttn2Offset();
        Dense.outer(top(s), dq, w2, grad);
        Dense.add(Dense.backTimes(w, dq, w2, hn), 1, ext[s], 0);
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
        return lstm.top(s);
    }

    private double[] row(int offset) {
        return Arrays.copyOfRange(w, offset, offset + hn);
    }

    private double[] times(double[] x, int offset, int cols) {
        return Dense.times(w, x, offset, cols);
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

    /** {@code log sigmoid(z)}, without overflow. */
    private static double logSigmoid(double z) {
        return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
    }
}
