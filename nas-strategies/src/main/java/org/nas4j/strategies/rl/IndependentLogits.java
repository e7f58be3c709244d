package org.nas4j.strategies.rl;

import java.util.random.RandomGenerator;

/**
 * One independent softmax per choice, its logits the parameters (the policy of the NAS-Bench-201 paper's
 * REINFORCE baseline). Logits start at zero: the uniform distribution.
 */
public final class IndependentLogits implements Policy {
    private final int[] sizes;
    private final int[] offsets;
    private final double[] logits;
    private final double[] probs;
    private final double[] dLogits;

    /** A uniform policy over choices with {@code sizes[i]} options each. */
    public IndependentLogits(int[] sizes) {
        this.sizes = sizes.clone();
        this.offsets = new int[sizes.length];
        int n = 0;
        int max = 1;
        for (int i = 0; i < sizes.length; i++) {
            offsets[i] = n;
            n += sizes[i];
            max = Math.max(max, sizes[i]);
        }
        this.logits = new double[n];
        this.probs = new double[max];
        this.dLogits = new double[max];
    }

    @Override
    public double[] parameters() {
        return logits;
    }

    @Override
    public int[] sample(RandomGenerator rng) {
        int[] a = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            Policy.softmax(logits, offsets[i], sizes[i], probs);
            a[i] = Policy.draw(probs, sizes[i], rng);
        }
        return a;
    }

    @Override
    public double objective(int[] actions, double logProbWeight, double entropyWeight, double[] grad) {
        double value = 0;
        for (int i = 0; i < sizes.length; i++) {
            double h = Policy.softmax(logits, offsets[i], sizes[i], probs);
            value += logProbWeight * Math.log(probs[actions[i]]) + entropyWeight * h;
            if (grad != null) {
                Policy.softmaxGradient(probs, sizes[i], actions[i], h, logProbWeight, entropyWeight, dLogits);
                for (int j = 0; j < sizes[i]; j++) {
                    grad[offsets[i] + j] += dLogits[j];
                }
            }
        }
        return value;
    }
}
