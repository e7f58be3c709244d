package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.OutputObserver;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fully connected layer, {@code y = x W^T + b} with {@code W} of shape {@code [out, in]} (PyTorch's
 * {@code nn.Linear} layout and initialization), on {@code [batch, in]} inputs; or, built with {@code bias} false,
 * {@code y = x W^T} (SPOS' classifier, {@code nn.Linear(..., bias=False)}). Reports its outputs and their
 * gradients to its weight's {@link org.nas4j.estimators.engine.OutputObserver}, if any.
 */
public final class Dense implements Layer {

    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private final NativeOp forwardOp = NativeOp.named("xw_plus_b").intArgs(1);
    private final NativeOp inputGrad = NativeOp.named("matmul");
    private final NativeOp weightGrad = NativeOp.named("matmul").intArgs(1, 0, 0);
    private final NativeOp biasGrad = NativeOp.named("matmul");
    private final Buffer output = new Buffer();
    private final Buffer gradInput = new Buffer();
    private final Buffer ones = Buffer.constant(1.0);
    /** The zero bias of a layer without bias, so that both kinds run the same fused op. */
    private final Buffer zeroBias = new Buffer();
    private INDArray input;

    /**
     * Creates the layer.
     *
     * @param params      where W and b are declared
     * @param name        prefix of the parameter names
     * @param inFeatures  input features
     * @param outFeatures output features
     */
    public Dense(ParameterSet params, String name, int inFeatures, int outFeatures) {
        this(params, name, inFeatures, outFeatures, Initializer.uniformFanIn(Math.max(1, inFeatures)));
    }

    /**
     * Creates the layer with its own initialization of W and b.
     *
     * @param params      where W and b are declared
     * @param name        prefix of the parameter names
     * @param inFeatures  input features
     * @param outFeatures output features
     * @param initializer initial values of W and b
     */
    public Dense(ParameterSet params, String name, int inFeatures, int outFeatures, Initializer initializer) {
        this(params, name, inFeatures, outFeatures, initializer, true);
    }

    /**
     * Creates the layer, with or without its bias.
     *
     * @param params      where W (and b) are declared
     * @param name        prefix of the parameter names
     * @param inFeatures  input features
     * @param outFeatures output features
     * @param initializer initial values of W (and b)
     * @param bias        whether it has a bias {@code b} (the parameter {@code name + ".bias"})
     */
    public Dense(ParameterSet params, String name, int inFeatures, int outFeatures, Initializer initializer,
            boolean bias) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("inFeatures and outFeatures must be >= 1, but were " + inFeatures
                    + " and " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = params.add(name + ".weight", new long[] {outFeatures, inFeatures}, initializer);
        this.bias = bias ? params.add(name + ".bias", new long[] {outFeatures}, initializer) : null;
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        if (x.rank() != 2 || x.size(1) != inFeatures) {
            throw new IllegalArgumentException("input must be [batch, " + inFeatures + "], but was "
                    + java.util.Arrays.toString(x.shape()));
        }
        input = x;
        INDArray y = output.get(x.dataType(), x.size(0), outFeatures);
        INDArray b = bias != null ? bias.value() : zeroBias.get(x.dataType(), outFeatures);
        forwardOp.exec(y, x, weight.value(), b);
        OutputObserver observer = weight.outputObserver();
        if (observer != null) {
            observer.forward(y);
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        OutputObserver observer = weight.outputObserver();
        if (observer != null) {
            observer.backward(gy);
        }
        INDArray gx = gradInput.like(input);
        inputGrad.exec(gx, gy, weight.value());
        weightGrad.exec(weight.gradient(), gy, input);
        weight.markGradient();
        if (bias != null) {
            biasGrad.exec(bias.gradient().reshape(1, outFeatures), ones.get(gy.dataType(), 1, gy.size(0)), gy);
            bias.markGradient();
        }
        return gx;
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        output.release(pool);
        gradInput.release(pool);
    }
}
