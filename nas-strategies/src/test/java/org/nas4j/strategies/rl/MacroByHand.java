package org.nas4j.strategies.rl;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.builder.ChannelRange;
import org.nas4j.estimators.engine.ParameterSet;

/**
 * The log-probability, entropy and skip penalty of one arc of an {@link EnasMacroController}, recomputed step by
 * step from the named parameters as {@code general_controller.py}'s {@code _build_sampler} writes them, without the
 * controller's tape: the logits of every decision, each decision's {@code log softmax} and {@code -p log p} of the
 * option taken, the skip flags' {@code [-q, q]} logits and their sigmoid KL, summed and averaged as the reference.
 */
final class MacroByHand {
    private final ParameterSet params;
    private final MacroControllerSettings s;
    private final int h;
    private final double[][] c;
    private final double[][] hs;
    double logProb;
    double entropy;
    double penalty;

    private MacroByHand(ParameterSet params, MacroControllerSettings s, int hidden) {
        this.params = params;
        this.s = s;
        this.h = hidden;
        this.c = new double[s.layers()][hidden];
        this.hs = new double[s.layers()][hidden];
    }

    /** The three sums for {@code arc}, a vector of {@code choices} ({@code channels} 0 with whole channels). */
    static MacroByHand of(EnasMacroController controller, MacroControllerSettings s, int hidden, List<Choice> choices,
            int[] arc, int layers, int branches, int channels) {
        MacroByHand m = new MacroByHand(controller.parameters(), s, hidden);
        m.run(choices, arc, layers, branches, channels);
        return m;
    }

    private double[] w(String name) {
        return params.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().value()
                .dup('c').ravel().toDoubleVector();
    }

    private void run(List<Choice> choices, int[] arc, int layers, int branches, int channels) {
        List<double[]> anchors = new ArrayList<>();
        List<double[]> anchorsW1 = new ArrayList<>();
        double[] x = w("g_emb");
        int skipsSoFar = 0;
        for (int i = 0; i < layers; i++) {
            if (channels == 0) {
                int pos = i + skipsSoFar;
                double[] top = step(x);
                decide(shape(matmul(top, w("w_soft"), branches)), arc[pos]);
                x = rowOf(w("w_emb"), arc[pos]);
            } else {
                for (int j = 0; j < branches; j++) {
                    int pos = i * branches + j;
                    ChannelRange r = ChannelRange.parse(choices.get(pos).name(), choices.get(pos).option(arc[pos]));
                    double[] top = step(x);
                    decide(shape(matmul(top, w("w_soft_start" + j), channels)), r.start());
                    x = rowOf(w("w_emb_start" + j), r.start());
                    top = step(x);
                    double[] logits = shape(matmul(top, w("w_soft_count" + j), channels - 1));
                    for (int n = 0; n < logits.length; n++) {
                        if (n > channels - 1 - r.start()) {
                            logits[n] = Double.NEGATIVE_INFINITY;
                        }
                    }
                    decide(logits, r.count() - 1);
                    x = rowOf(w("w_emb_count" + j), r.count() - 1);
                }
            }
            double[] top = step(x);
            if (i > 0) {
                int first = channels == 0 ? i + skipsSoFar + 1 : layers * branches + skipsSoFar;
                double[] q2 = matmul(top, w("w_attn_2"), h);
                double[] v = w("v_attn");
                double kl = 0;
                double[] mix = new double[h];
                int chosen = 0;
                for (int k = 0; k < i; k++) {
                    double q = 0;
                    for (int m = 0; m < h; m++) {
                        q += v[m] * Math.tanh(anchorsW1.get(k)[m] + q2[m]);
                    }
                    double[] logits = shape(new double[] {-q, q});
                    int flag = arc[first + k];
                    decide(logits, flag);
                    double[] target = {1 - s.skipTarget(), s.skipTarget()};
                    for (int b = 0; b < 2; b++) {
                        double sig = 1 / (1 + Math.exp(-logits[b]));
                        kl += sig * Math.log(sig / target[b]);
                    }
                    if (flag == 1) {
                        chosen++;
                        for (int m = 0; m < h; m++) {
                            mix[m] += anchors.get(k)[m];
                        }
                    }
                }
                penalty += kl / (layers - 1);
                for (int m = 0; m < h; m++) {
                    mix[m] /= 1 + chosen;
                }
                x = mix;
                skipsSoFar += i;
            } else {
                x = w("g_emb");
            }
            anchors.add(top);
            anchorsW1.add(matmul(top, w("w_attn_1"), h));
        }
    }

    /** Adds {@code log p(y)} and {@code -p(y) log p(y)} of the softmax of {@code logits}. */
    private void decide(double[] logits, int y) {
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l);
        }
        double logP = logits[y] - Math.log(sum);
        logProb += logP;
        entropy -= Math.exp(logP) * logP;
    }

    private double[] shape(double[] raw) {
        double[] out = new double[raw.length];
        for (int o = 0; o < raw.length; o++) {
            double z = s.temperature() > 0 ? raw[o] / s.temperature() : raw[o];
            out[o] = s.tanhConstant() > 0 ? s.tanhConstant() * Math.tanh(z) : z;
        }
        return out;
    }

    /** One step of the stacked LSTM: {@code [x, h] W}, gates i, f, o, g; returns the top layer's output. */
    private double[] step(double[] x) {
        double[] in = x;
        for (int l = 0; l < s.layers(); l++) {
            double[] wl = w("lstm.w" + l);
            double[] xh = new double[2 * h];
            System.arraycopy(in, 0, xh, 0, h);
            System.arraycopy(hs[l], 0, xh, h, h);
            double[] z = matmul(xh, wl, 4 * h);
            for (int m = 0; m < h; m++) {
                double i = sigmoid(z[m]);
                double f = sigmoid(z[h + m]);
                double o = sigmoid(z[2 * h + m]);
                double g = Math.tanh(z[3 * h + m]);
                c[l][m] = i * g + f * c[l][m];
                hs[l][m] = o * Math.tanh(c[l][m]);
            }
            in = hs[l].clone();
        }
        return in;
    }

    private static double[] matmul(double[] x, double[] m, int cols) {
        double[] y = new double[cols];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < cols; j++) {
                y[j] += x[i] * m[i * cols + j];
            }
        }
        return y;
    }

    private double[] rowOf(double[] m, int r) {
        return java.util.Arrays.copyOfRange(m, r * h, (r + 1) * h);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
