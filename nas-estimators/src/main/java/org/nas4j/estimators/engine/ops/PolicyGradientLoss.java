package org.nas4j.estimators.engine.ops;

import java.util.Arrays;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.HostArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The REINFORCE objective on the logits of categorical distributions: the sum over distributions {@code s} of
 * {@code w * log softmax(z_s)[a_s] + e * H(softmax(z_s))}, with {@code H} the entropy, its value and its gradient
 * with respect to the logits. Pass {@code w = -advantage} and {@code e = -entropyWeight} to get a loss to minimise.
 *
 * <p>The distributions are segments of the logits array (in 'c' order), so that heads with different numbers of
 * options computed in one matmul can share one array; {@link #forward(INDArray, int[], double, double)} takes the
 * common case of one distribution per row. The arithmetic runs in Java on a copy of the logits: a policy has a few
 * dozen logits, where a native call would cost more than the work. Gradient: {@code w (onehot(a) - p) - e p
 * (log p + H)} per segment, zero outside the segments.
 *
 * <pre>{@code
 * double value = loss.forward(logits, new int[] {0, 5}, new int[] {5, 3}, actions, -advantage, -1e-4);
 * heads.backward(loss.backward());
 * }</pre>
 */
public final class PolicyGradientLoss {

    private final Buffer gradLogits = new Buffer();
    private INDArray logits;
    private double[] gradient;

    /**
     * The objective with one distribution per row of {@code logits}.
     *
     * @param logits         {@code [rows, options]}
     * @param actions        the chosen option of each row
     * @param logProbWeight  {@code w}
     * @param entropyWeight  {@code e}
     * @return the value, summed over rows
     */
    public double forward(INDArray logits, int[] actions, double logProbWeight, double entropyWeight) {
        if (logits.rank() != 2 || logits.size(0) != actions.length) {
            throw new IllegalArgumentException("logits must be [rows=" + actions.length + ", options], but were "
                    + Arrays.toString(logits.shape()));
        }
        int rows = actions.length;
        int k = (int) logits.size(1);
        int[] from = new int[rows];
        int[] sizes = new int[rows];
        for (int r = 0; r < rows; r++) {
            from[r] = r * k;
            sizes[r] = k;
        }
        return forward(logits, from, sizes, actions, logProbWeight, entropyWeight);
    }

    /**
     * The objective with distribution {@code s} on the logits at flat ('c' order) positions
     * {@code [from[s], from[s] + sizes[s])}.
     *
     * @param logits        any shape; positions outside the segments are ignored
     * @param from          first position of each segment
     * @param sizes         number of options of each segment, at least 1
     * @param actions       the chosen option of each segment, in {@code [0, sizes[s])}
     * @param logProbWeight {@code w}
     * @param entropyWeight {@code e}
     * @return the value, summed over segments
     */
    public double forward(INDArray logits, int[] from, int[] sizes, int[] actions, double logProbWeight,
                          double entropyWeight) {
        if (from.length != sizes.length || from.length != actions.length) {
            throw new IllegalArgumentException("from, sizes and actions must have the same length, but had "
                    + from.length + ", " + sizes.length + " and " + actions.length);
        }
        double[] z = HostArrays.read(logits);
        this.logits = logits;
        this.gradient = new double[z.length];
        double[] p = new double[Arrays.stream(sizes).max().orElse(1)];
        double value = 0;
        for (int s = 0; s < from.length; s++) {
            int k = sizes[s];
            if (k < 1 || from[s] < 0 || from[s] + k > z.length) {
                throw new IllegalArgumentException("segment " + s + " [" + from[s] + ", " + (from[s] + k)
                        + ") must lie inside the " + z.length + " logits");
            }
            if (actions[s] < 0 || actions[s] >= k) {
                throw new IllegalArgumentException("actions[" + s + "] must be in [0, " + k + "), but was "
                        + actions[s]);
            }
            double entropy = softmax(z, from[s], k, p);
            value += logProbWeight * Math.log(p[actions[s]]) + entropyWeight * entropy;
            for (int j = 0; j < k; j++) {
                double dEntropy = p[j] > 0 ? -p[j] * (Math.log(p[j]) + entropy) : 0;
                gradient[from[s] + j] = logProbWeight * ((j == actions[s] ? 1 : 0) - p[j]) + entropyWeight * dEntropy;
            }
        }
        return value;
    }

    /** The gradient of the last value with respect to the logits (same shape), owned by this loss. */
    public INDArray backward() {
        if (logits == null) {
            throw new IllegalStateException("backward() needs a forward() first");
        }
        INDArray g = gradLogits.like(logits);
        HostArrays.write(gradient, g);
        return g;
    }

    /**
     * The gradient of the last value with respect to the logits, as a Java array in 'c' order (a copy), for callers
     * that write it into a parameter gradient directly.
     */
    public double[] gradient() {
        if (logits == null) {
            throw new IllegalStateException("gradient() needs a forward() first");
        }
        return gradient.clone();
    }

    /**
     * Writes the softmax of {@code logits[from, from + k)} to {@code probs[0, k)} and returns its entropy.
     *
     * @param logits the logits
     * @param from   first position
     * @param k      number of options
     * @param probs  receives the probabilities
     * @return the entropy in nats
     */
    public static double softmax(double[] logits, int from, int k, double[] probs) {
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
}
