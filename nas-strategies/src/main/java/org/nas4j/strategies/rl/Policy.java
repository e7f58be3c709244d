package org.nas4j.strategies.rl;

import java.util.random.RandomGenerator;

/**
 * A stochastic policy over choice vectors, emitted choice by choice, with its parameters in one flat vector.
 * The REINFORCE update needs only {@link #objective}: the value and gradient of
 * {@code logProbWeight * log p(actions) + entropyWeight * H}, where {@code H} is the sum over steps of the entropy
 * of each step's softmax along the trajectory {@code actions}. Not thread-safe.
 */
public interface Policy {

    /** The live parameter vector. */
    double[] parameters();

    /** A choice vector drawn from the policy with {@code rng}. */
    int[] sample(RandomGenerator rng);

    /**
     * The value of {@code logProbWeight * log p(actions) + entropyWeight * H(actions)}; when {@code grad} is not
     * null, its gradient with respect to {@link #parameters()} is added to {@code grad}.
     */
    double objective(int[] actions, double logProbWeight, double entropyWeight, double[] grad);

    /** {@code log p(actions)}. */
    default double logProbability(int[] actions) {
        return objective(actions, 1, 0, null);
    }

    /**
     * Writes the softmax of {@code logits[from, from+k)} to {@code probs[0, k)}, and returns the entropy.
     */
    static double softmax(double[] logits, int from, int k, double[] probs) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, logits[from + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            probs[j] = Math.exp(logits[from + j] - max);
            sum += probs[j];
        }
        double h = 0;
        for (int j = 0; j < k; j++) {
            probs[j] /= sum;
            if (probs[j] > 0) {
                h -= probs[j] * Math.log(probs[j]);
            }
        }
        return h;
    }

    /**
     * Writes to {@code dLogits[0, k)} the gradient, with respect to the logits, of
     * {@code logProbWeight * log p[action] + entropyWeight * H(p)}.
     */
    static void softmaxGradient(double[] probs, int k, int action, double entropy, double logProbWeight,
                                double entropyWeight, double[] dLogits) {
        for (int j = 0; j < k; j++) {
            double p = probs[j];
            double dEntropy = p > 0 ? -p * (Math.log(p) + entropy) : 0;
            dLogits[j] = logProbWeight * ((j == action ? 1 : 0) - p) + entropyWeight * dEntropy;
        }
    }

    /** An index drawn from the distribution {@code probs[0, k)}. */
    static int draw(double[] probs, int k, RandomGenerator rng) {
        double u = rng.nextDouble();
        double c = 0;
        for (int j = 0; j < k - 1; j++) {
            c += probs[j];
            if (u < c) {
                return j;
            }
        }
        return k - 1;
    }
}
