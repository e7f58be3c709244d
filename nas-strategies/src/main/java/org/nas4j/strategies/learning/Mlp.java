package org.nas4j.strategies.learning;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A fully connected regression network with ReLU hidden layers and one linear output, its parameters in one flat
 * vector (layer by layer: weights row-major {@code [out][in]}, then biases). Forward and backward passes are
 * plain Java; the gradient is checked against finite differences in the tests. Not thread-safe.
 *
 * <pre>{@code
 * Mlp net = new Mlp(30, new int[] {64, 64}, new SplitMix64(1));
 * double y = net.predict(x);
 * }</pre>
 */
public final class Mlp {
    private final int[] sizes;
    private final int[] offsets;
    private final double[] params;
    private final double[][] activations;
    private final double[][] deltas;

    /** A network {@code inputs -> hidden... -> 1}, He-initialised from {@code rng}, biases zero. */
    public Mlp(int inputs, int[] hidden, RandomGenerator rng) {
        if (inputs < 1) {
            throw new IllegalArgumentException("inputs must be >= 1, but was " + inputs);
        }
        sizes = new int[hidden.length + 2];
        sizes[0] = inputs;
        for (int i = 0; i < hidden.length; i++) {
            if (hidden[i] < 1) {
                throw new IllegalArgumentException("hidden layer sizes must be >= 1, but were "
                        + Arrays.toString(hidden));
            }
            sizes[i + 1] = hidden[i];
        }
        sizes[sizes.length - 1] = 1;
        offsets = new int[sizes.length];
        int n = 0;
        for (int l = 1; l < sizes.length; l++) {
            offsets[l] = n;
            n += sizes[l] * sizes[l - 1] + sizes[l];
        }
        params = new double[n];
        for (int l = 1; l < sizes.length; l++) {
            double scale = Math.sqrt(2.0 / sizes[l - 1]);
            for (int k = 0; k < sizes[l] * sizes[l - 1]; k++) {
                params[offsets[l] + k] = rng.nextGaussian() * scale;
            }
        }
        activations = new double[sizes.length][];
        deltas = new double[sizes.length][];
        for (int l = 0; l < sizes.length; l++) {
            activations[l] = new double[sizes[l]];
            deltas[l] = new double[sizes[l]];
        }
    }

    /** The live parameter vector (updates to it change the network). */
    public double[] parameters() {
        return params;
    }

    /** The number of inputs. */
    public int inputs() {
        return sizes[0];
    }

    /** The network's output for {@code x}. */
    public double predict(double[] x) {
        forward(x);
        return activations[sizes.length - 1][0];
    }

    private void forward(double[] x) {
        System.arraycopy(x, 0, activations[0], 0, sizes[0]);
        int last = sizes.length - 1;
        for (int l = 1; l <= last; l++) {
            double[] in = activations[l - 1];
            double[] out = activations[l];
            int w = offsets[l];
            int b = w + sizes[l] * sizes[l - 1];
            for (int j = 0; j < sizes[l]; j++) {
                double s = params[b + j];
                int row = w + j * sizes[l - 1];
                for (int i = 0; i < in.length; i++) {
                    if (in[i] != 0) { // one-hot inputs and ReLU outputs are mostly zero
                        s += params[row + i] * in[i];
                    }
                }
                out[j] = l < last && s < 0 ? 0 : s;
            }
        }
    }

    /**
     * Adds to {@code grad} the gradient of {@code 0.5 * (predict(x) - y)^2} and returns that loss.
     */
    public double accumulateGradient(double[] x, double y, double[] grad) {
        forward(x);
        int last = sizes.length - 1;
        double err = activations[last][0] - y;
        deltas[last][0] = err;
        for (int l = last; l >= 1; l--) {
            double[] in = activations[l - 1];
            double[] d = deltas[l];
            int w = offsets[l];
            int b = w + sizes[l] * sizes[l - 1];
            double[] dIn = deltas[l - 1];
            Arrays.fill(dIn, 0);
            for (int j = 0; j < sizes[l]; j++) {
                double dj = d[j];
                if (dj == 0) {
                    continue;
                }
                grad[b + j] += dj;
                int row = w + j * sizes[l - 1];
                for (int i = 0; i < in.length; i++) {
                    if (in[i] != 0) {
                        grad[row + i] += dj * in[i];
                    }
                }
                if (l > 1) { // the input layer needs no delta
                    for (int i = 0; i < in.length; i++) {
                        dIn[i] += dj * params[row + i];
                    }
                }
            }
            if (l > 1) {
                for (int i = 0; i < dIn.length; i++) {
                    if (in[i] <= 0) {
                        dIn[i] = 0;
                    }
                }
            }
        }
        return 0.5 * err * err;
    }
}
