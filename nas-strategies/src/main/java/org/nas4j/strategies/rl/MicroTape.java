package org.nas4j.strategies.rl;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * One trajectory of an {@link EnasMicroController}: the forward pass over both cells (drawing the decisions, or
 * reading them), with everything the backward pass needs kept, and the backward pass through time. Steps are
 * numbered over both cells, so the reduction cell's first step continues the normal cell's last state. Used once.
 */
final class MicroTape {
    private static final int G_EMB = 0;
    private static final int ZERO = 1;
    private static final int EMB = 2;
    private static final int ANCHOR = 3;

    private final EnasMicroController c;
    private final double[] w;
    private final int hn;
    /** The stacked LSTM over both cells' steps. */
    private final BiasFreeLstm lstm;
    /** Per step: where its input comes from and which row or step. */
    private final int[] kind;
    private final int[] source;
    /** Per step: the choice it decides, or -1. */
    private final int[] decision;
    /** Per choice: its step, its logits before the tanh (after the temperature), its probabilities. */
    private final int[] stepOf;
    private final double[][] scaled;
    private final double[][] probs;
    private final double[] entropy;
    private final int[] actions;
    /** Per index choice: the attention's tanh activations per anchor, and the anchors' steps. */
    private final double[][][] attention;
    private final int[][] anchorSteps;

    MicroTape(EnasMicroController controller, double[] values) {
        this.c = controller;
        this.w = values;
        this.hn = c.hidden();
        int layers = c.layers();
        int s = c.steps();
        int[] offsets = new int[layers];
        for (int l = 0; l < layers; l++) {
            offsets[l] = c.lstmOffset(l);
        }
        this.lstm = new BiasFreeLstm(values, hn, offsets, s);
        this.kind = new int[s];
        this.source = new int[s];
        this.decision = new int[s];
        Arrays.fill(decision, -1);
        int n = c.choices();
        this.stepOf = new int[n];
        this.scaled = new double[n][];
        this.probs = new double[n][];
        this.entropy = new double[n];
        this.actions = new int[n];
        this.attention = new double[n][][];
        this.anchorSteps = new int[n][];
    }

    /**
     * Runs both cells: draws every decision with {@code rng} into {@code decisions}, or (rng null) reads them from
     * it; returns {@code logProbWeight * log p + entropyWeight * H}.
     */
    double run(int[] decisions, RandomGenerator rng, double logProbWeight, double entropyWeight) {
        int nodes = c.nodes();
        double value = 0;
        int s = 0;
        for (int pass = 0; pass < 2; pass++) {
            int[] anchors = new int[nodes + 2];
            double[][] projected = new double[nodes + 2][];
            double[] x = row(c.gEmbOffset());
            int k = G_EMB;
            int src = 0;
            for (int a = 0; a < 2; a++) {
                lstmStep(s, x, k, src);
                anchors[a] = s;
                projected[a] = Dense.times(w, top(s), c.wAttn1Offset(), hn);
                s++;
            }
            for (int j = 0; j < nodes; j++) {
                int states = j + 2;
                int base = pass * 4 * nodes + 4 * j;
                for (int i = 0; i < 2; i++) {
                    lstmStep(s, x, k, src);
                    int pos = base + 2 * i;
                    double[] q = Dense.times(w, top(s), c.wAttn2Offset(), hn);
                    double[][] act = new double[states][hn];
                    double[] logits = new double[states];
                    for (int a = 0; a < states; a++) {
                        for (int m = 0; m < hn; m++) {
                            act[a][m] = Math.tanh(projected[a][m] + q[m]);
                            logits[a] += w[c.vAttnOffset() + m] * act[a][m];
                        }
                    }
                    attention[pos] = act;
                    anchorSteps[pos] = anchors;
                    value += decide(pos, s, logits, c.settings().tanhConstant(), null, decisions, rng,
                            logProbWeight, entropyWeight);
                    int y = decisions[pos];
                    x = y < 2 ? new double[hn] : top(anchors[y]);
                    k = y < 2 ? ZERO : ANCHOR;
                    src = y < 2 ? 0 : anchors[y];
                    s++;
                }
                for (int i = 0; i < 2; i++) {
                    lstmStep(s, x, k, src);
                    int pos = base + 2 * i + 1;
                    double[] logits = Dense.times(w, top(s), c.wSoftOffset(), c.ops());
                    for (int o = 0; o < c.ops(); o++) {
                        logits[o] += w[c.bSoftOffset() + o];
                    }
                    double[] bias = new double[c.ops()];
                    for (int o = 0; o < c.ops() && pass == 0; o++) {
                        bias[o] = c.noLearnBias(o);
                    }
                    value += decide(pos, s, logits, c.settings().tanhConstant() / c.settings().opTanhReduce(), bias,
                            decisions, rng, logProbWeight, entropyWeight);
                    x = row(c.wEmbOffset() + decisions[pos] * hn);
                    k = EMB;
                    src = decisions[pos];
                    s++;
                }
                lstmStep(s, x, k, src);
                anchors[states] = s;
                projected[states] = Dense.times(w, top(s), c.wAttn1Offset(), hn);
                x = row(c.gEmbOffset());
                k = G_EMB;
                src = 0;
                s++;
            }
        }
        return value;
    }

    /** The decision {@code pos} at step {@code s} from its raw logits; returns its share of the objective. */
    private double decide(int pos, int s, double[] raw, double tanhConstant, double[] bias, int[] decisions,
            RandomGenerator rng, double logProbWeight, double entropyWeight) {
        int n = raw.length;
        double temperature = c.settings().temperature();
        double[] z = new double[n];
        double[] logits = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int o = 0; o < n; o++) {
            z[o] = temperature > 0 ? raw[o] / temperature : raw[o];
            logits[o] = (tanhConstant > 0 ? tanhConstant * Math.tanh(z[o]) : z[o])
                    + (bias == null ? 0 : bias[o]) + c.maskOf(pos, o);
            max = Math.max(max, logits[o]);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int o = 0; o < n; o++) {
            p[o] = Math.exp(logits[o] - max);
            sum += p[o];
        }
        double h = 0;
        for (int o = 0; o < n; o++) {
            p[o] /= sum;
            h -= p[o] > 0 ? p[o] * Math.log(p[o]) : 0;
        }
        if (rng != null) {
            decisions[pos] = Policy.draw(p, n, rng);
        }
        decision[s] = pos;
        stepOf[pos] = s;
        scaled[pos] = z;
        probs[pos] = p;
        entropy[pos] = h;
        actions[pos] = decisions[pos];
        return logProbWeight * Math.log(p[decisions[pos]]) + entropyWeight * h;
    }

    /** One step of the stacked LSTM ({@code stack_lstm}: no biases, gates i, f, o, g). */
    private void lstmStep(int s, double[] x, int inputKind, int inputSource) {
        kind[s] = inputKind;
        source[s] = inputSource;
        lstm.step(s, x);
    }

    /**
     * The gradient of {@code logProbWeight * log p + entropyWeight * H} of the trajectory just run, over the flat
     * parameter vector.
     */
    double[] backward(double logProbWeight, double entropyWeight) {
        double[] grad = new double[w.length];
        int total = c.steps();
        double[][] ext = new double[total][hn];
        for (int s = total - 1; s >= 0; s--) {
            if (decision[s] >= 0) {
                backDecision(decision[s], logProbWeight, entropyWeight, grad, ext);
            }
            double[] fromAbove = lstm.backward(s, ext[s], grad);
            switch (kind[s]) {
                case G_EMB -> Dense.add(fromAbove, 1, grad, c.gEmbOffset());
                case EMB -> Dense.add(fromAbove, 1, grad, c.wEmbOffset() + source[s] * hn);
                case ANCHOR -> Dense.add(fromAbove, 1, ext[source[s]], 0);
                default -> { } // a zero input has no parameters
            }
        }
        return grad;
    }

    /** The decision {@code pos}'s gradient: into its head's parameters, its step's output and (index) the anchors. */
    private void backDecision(int pos, double logProbWeight, double entropyWeight, double[] grad, double[][] ext) {
        int s = stepOf[pos];
        boolean op = pos % 2 == 1;
        double[] p = probs[pos];
        int n = p.length;
        MicroControllerSettings set = c.settings();
        double tanhConstant = op ? set.tanhConstant() / set.opTanhReduce() : set.tanhConstant();
        double[] du = new double[n];
        for (int o = 0; o < n; o++) {
            if (p[o] == 0) {
                continue;     // a masked option: its logit is minus infinity and gets no gradient
            }
            double dl = logProbWeight * ((o == actions[pos] ? 1 : 0) - p[o])
                    - entropyWeight * p[o] * (Math.log(p[o]) + entropy[pos]);
            if (tanhConstant > 0) {
                double t = Math.tanh(scaled[pos][o]);
                dl *= tanhConstant * (1 - t * t);
            }
            du[o] = set.temperature() > 0 ? dl / set.temperature() : dl;
        }
        double[] h = top(s);
        if (op) {
            int soft = c.wSoftOffset();
            for (int o = 0; o < n; o++) {
                grad[c.bSoftOffset() + o] += du[o];
            }
            Dense.outer(h, du, soft, grad);
            Dense.add(Dense.backTimes(w, du, soft, hn), 1, ext[s], 0);
            return;
        }
        double[] dq = new double[hn];
        int v = c.vAttnOffset();
        int w1 = c.wAttn1Offset();
        for (int a = 0; a < n; a++) {
            double[] act = attention[pos][a];
            double[] dPre = new double[hn];
            for (int m = 0; m < hn; m++) {
                grad[v + m] += du[a] * act[m];
                dPre[m] = du[a] * w[v + m] * (1 - act[m] * act[m]);
                dq[m] += dPre[m];
            }
            int anchor = anchorSteps[pos][a];
            Dense.outer(top(anchor), dPre, w1, grad);
            Dense.add(Dense.backTimes(w, dPre, w1, hn), 1, ext[anchor], 0);
        }
        int w2 = c.wAttn2Offset();
        Dense.outer(h, dq, w2, grad);
        Dense.add(Dense.backTimes(w, dq, w2, hn), 1, ext[s], 0);
    }

    private double[] top(int s) {
        return lstm.top(s);
    }

    private double[] row(int offset) {
        return Arrays.copyOfRange(w, offset, offset + hn);
    }
}
