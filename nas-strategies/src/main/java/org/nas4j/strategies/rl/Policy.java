package org.nas4j.strategies.rl;

import java.util.random.RandomGenerator;
import org.nas4j.estimators.engine.ParameterSet;

/**
 * A stochastic policy over choice vectors, emitted choice by choice, built on the nas-estimators training engine:
 * its parameters are a sealed {@link ParameterSet}, which an engine optimizer updates. The REINFORCE update needs
 * only {@link #objective}: the value of {@code logProbWeight * log p(actions) + entropyWeight * H}, where {@code H}
 * is the sum over steps of the entropy of each step's softmax along the trajectory {@code actions}, and on request
 * its gradient, written into the parameter set. Not thread-safe.
 *
 * <pre>{@code
 * policy.objective(actions, -advantage, -entropyWeight, true);   // the gradient of the loss -J
 * adam.step();                                                  // an engine optimizer over policy.parameters()
 * }</pre>
 */
public interface Policy {

    /** The trainable parameters, sealed, in double precision. */
    ParameterSet parameters();

    /** A choice vector drawn from the policy with {@code rng}. */
    int[] sample(RandomGenerator rng);

    /**
     * How many vectors a caller that needs one usable vector should draw at once: more than 1 for models whose
     * batched pass costs about as much as a single one (the LSTM). Default 1.
     */
    default int samplesPerPass() {
        return 1;
    }

    /**
     * {@code count} independent choice vectors drawn with {@code rng} (a model may draw them in one batched pass,
     * consuming {@code rng} in its own order).
     */
    default int[][] sample(RandomGenerator rng, int count) {
        int[][] out = new int[count][];
        for (int i = 0; i < count; i++) {
            out[i] = sample(rng);
        }
        return out;
    }

    /**
     * The value of {@code logProbWeight * log p(actions) + entropyWeight * H(actions)}; when {@code gradient} is
     * true, its gradient with respect to every parameter is written to {@link #parameters()}' gradients, marked.
     */
    double objective(int[] actions, double logProbWeight, double entropyWeight, boolean gradient);

    /**
     * {@code logProbWeight * log p(actions) + entropyWeight * H(actions) + penaltyWeight * P(actions)}, where
     * {@code P} is a regulariser of the policy's own (ENAS' skip penalty in {@link EnasMacroController}); 0 for a
     * policy without one, the default, which ignores {@code penaltyWeight}. With {@code gradient}, as
     * {@link #objective(int[], double, double, boolean)}.
     */
    default double objective(int[] actions, double logProbWeight, double entropyWeight, double penaltyWeight,
            boolean gradient) {
        return objective(actions, logProbWeight, entropyWeight, gradient);
    }

    /** {@code log p(actions)}. */
    default double logProbability(int[] actions) {
        return objective(actions, 1, 0, false);
    }

    /**
     * An index drawn from the distribution {@code probs[0, k)}; an index of probability 0 (a masked option) is never
     * drawn, not even when rounding leaves {@code u} past the running sum.
     */
    static int draw(double[] probs, int k, RandomGenerator rng) {
        int last = k - 1;
        while (last > 0 && probs[last] == 0) {
            last--;
        }
        double u = rng.nextDouble();
        double c = 0;
        for (int j = 0; j < last; j++) {
            c += probs[j];
            if (u < c) {
                return j;
            }
        }
        return last;
    }

    /**
     * The logit offsets of an option mask, laid out as {@link #offsets} lays the options out: 0 for an allowed
     * option, minus infinity for a removed one (its softmax probability is then exactly 0 and its logit gets no
     * gradient). {@code allowed == null} allows every option.
     *
     * @throws IllegalArgumentException naming the choice, if the mask's shape differs from {@code sizes} or a choice
     *                                  allows no option
     */
    static double[] maskOffsets(int[] sizes, boolean[][] allowed) {
        double[] out = new double[java.util.Arrays.stream(sizes).sum()];
        if (allowed == null) {
            return out;
        }
        if (allowed.length != sizes.length) {
            throw new IllegalArgumentException("allowed must have one row per choice, " + sizes.length + ", but had "
                    + allowed.length);
        }
        int[] from = offsets(sizes);
        for (int i = 0; i < sizes.length; i++) {
            if (allowed[i].length != sizes[i]) {
                throw new IllegalArgumentException("allowed[" + i + "] must have " + sizes[i] + " entries, but had "
                        + allowed[i].length);
            }
            boolean any = false;
            for (int o = 0; o < sizes[i]; o++) {
                any |= allowed[i][o];
                out[from[i] + o] = allowed[i][o] ? 0 : Double.NEGATIVE_INFINITY;
            }
            if (!any) {
                throw new IllegalArgumentException("allowed[" + i + "] must allow at least one option, but allowed"
                        + " none");
            }
        }
        return out;
    }

    /** The first flat position of each choice's options when all choices' options are laid out in a row. */
    static int[] offsets(int[] sizes) {
        int[] from = new int[sizes.length];
        for (int i = 1; i < sizes.length; i++) {
            from[i] = from[i - 1] + sizes[i - 1];
        }
        return from;
    }

    /** Checks that there is at least one choice and that every choice has at least one option. */
    static int[] checkSizes(int[] sizes) {
        if (sizes.length < 1) {
            throw new IllegalArgumentException("sizes must name at least one choice");
        }
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 1) {
                throw new IllegalArgumentException("sizes[" + i + "] must be >= 1, but was " + sizes[i]);
            }
        }
        return sizes.clone();
    }
}
