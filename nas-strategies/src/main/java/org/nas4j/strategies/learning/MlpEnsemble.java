package org.nas4j.strategies.learning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.EnsembleDense;
import org.nas4j.estimators.engine.ops.Relu;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code M} independent regression networks of the same form (fully connected, ReLU hidden layers, one linear
 * output) run as one on the engine: {@link EnsembleDense} layers take {@code [M, batch, inputs]} and give
 * {@code [M, batch, 1]}, member {@code m} seeing only row block {@code m}, so an ensemble costs the native calls of
 * one network. Weights are He-initialised (normal, std {@code sqrt(2 / fanIn)}), biases zero; double precision.
 * Not thread-safe.
 *
 * <pre>{@code
 * MlpEnsemble nets = new MlpEnsemble(5, 30, new int[] {32, 32}, seed);
 * INDArray y = nets.forward(x, Mode.INFERENCE);   // x [5, batch, 30] -> y [5, batch, 1]
 * }</pre>
 */
public final class MlpEnsemble {
    private final int members;
    private final int inputs;
    private final ParameterSet params;
    private final List<Layer> layers = new ArrayList<>();

    /**
     * Declares and initialises the networks {@code inputs -> hidden... -> 1}.
     *
     * @param members number of networks, at least 1
     * @param inputs  input features, at least 1
     * @param hidden  hidden layer widths, each at least 1
     * @param seed    seed of the initial weights
     */
    public MlpEnsemble(int members, int inputs, int[] hidden, long seed) {
        if (members < 1 || inputs < 1) {
            throw new IllegalArgumentException("members and inputs must be >= 1, but were " + members + " and "
                    + inputs);
        }
        if (Arrays.stream(hidden).anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("hidden layer sizes must be >= 1, but were " + Arrays.toString(hidden));
        }
        this.members = members;
        this.inputs = inputs;
        this.params = new ParameterSet(DataType.DOUBLE, seed);
        int in = inputs;
        for (int l = 0; l <= hidden.length; l++) {
            int out = l < hidden.length ? hidden[l] : 1;
            layers.add(new EnsembleDense(params, "layer" + l, members, in, out,
                    Initializer.normal(Math.sqrt(2.0 / in)), Initializer.constant(0)));
            if (l < hidden.length) {
                layers.add(new Relu());
            }
            in = out;
        }
        params.seal();
    }

    /** The weights of all members. */
    public ParameterSet parameters() {
        return params;
    }

    /** Number of networks. */
    public int members() {
        return members;
    }

    /** Input features. */
    public int inputs() {
        return inputs;
    }

    /** The outputs {@code [M, batch, 1]} for inputs {@code [M, batch, inputs]}, owned by the last layer. */
    public INDArray forward(INDArray x, Mode mode) {
        INDArray y = x;
        for (Layer layer : layers) {
            y = layer.forward(y, mode);
        }
        return y;
    }

    /** Back-propagates {@code gradOutput} (same shape as the last output), writing every weight's gradient. */
    public void backward(INDArray gradOutput) {
        INDArray g = gradOutput;
        for (int l = layers.size() - 1; l >= 0; l--) {
            g = layers.get(l).backward(g);
        }
    }
}
