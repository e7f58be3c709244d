package org.nas4j.estimators.engine.ops;

import java.util.Arrays;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code M} independent fully connected layers run as one: input {@code [M, batch, in]}, member {@code m} computes
 * {@code y[m] = x[m] W[m] + b[m]} with {@code W} of shape {@code [M, in, out]} and {@code b} of shape
 * {@code [M, 1, out]}. Each pass is a few batched matmuls whatever {@code M} is, so an ensemble of small networks
 * (a surrogate's predictors) costs the native calls of one network.
 *
 * <pre>{@code
 * EnsembleDense fc = new EnsembleDense(params, "fc1", 5, 30, 32, Initializer.normal(Math.sqrt(2.0 / 30)),
 *         Initializer.constant(0));
 * INDArray h = fc.forward(x, Mode.TRAINING);   // x [5, batch, 30] -> h [5, batch, 32]
 * }</pre>
 */
public final class EnsembleDense implements Layer {

    private final int members;
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private final NativeOp matmul = NativeOp.named("matmul");
    private final NativeOp add = NativeOp.named("add");
    private final NativeOp inputGrad = NativeOp.named("matmul").intArgs(0, 1, 0);
    private final NativeOp weightGrad = NativeOp.named("matmul").intArgs(1, 0, 0);
    private final NativeOp biasGrad = NativeOp.named("matmul");
    private final Buffer output = new Buffer();
    private final Buffer gradInput = new Buffer();
    private final Buffer ones = Buffer.constant(1.0);
    private INDArray input;

    /**
     * Declares the weights {@code [members, in, out]} and biases {@code [members, 1, out]}.
     *
     * @param params      where they are declared
     * @param name        prefix of the parameter names
     * @param members     number of independent layers, at least 1
     * @param inFeatures  input features, at least 1
     * @param outFeatures output features, at least 1
     * @param weightInit  initial weights
     * @param biasInit    initial biases
     */
    public EnsembleDense(ParameterSet params, String name, int members, int inFeatures, int outFeatures,
                         Initializer weightInit, Initializer biasInit) {
        if (members < 1 || inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("members, inFeatures and outFeatures must be >= 1, but were "
                    + members + ", " + inFeatures + " and " + outFeatures);
        }
        this.members = members;
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = params.add(name + ".weight", new long[] {members, inFeatures, outFeatures}, weightInit);
        this.bias = params.add(name + ".bias", new long[] {members, 1, outFeatures}, biasInit);
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        if (x.rank() != 3 || x.size(0) != members || x.size(2) != inFeatures) {
            throw new IllegalArgumentException("input must be [" + members + ", batch, " + inFeatures
                    + "], but was " + Arrays.toString(x.shape()));
        }
        input = x;
        INDArray y = output.get(x.dataType(), members, x.size(1), outFeatures);
        matmul.exec(y, x, weight.value());
        add.exec(y, y, bias.value());
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray gx = gradInput.like(input);
        inputGrad.exec(gx, gy, weight.value());
        weightGrad.exec(weight.gradient(), input, gy);
        biasGrad.exec(bias.gradient(), ones.get(gy.dataType(), members, 1, gy.size(1)), gy);
        weight.markGradient();
        bias.markGradient();
        return gx;
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        output.release(pool);
        gradInput.release(pool);
    }
}
