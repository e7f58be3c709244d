package org.nas4j.estimators.engine.ops;

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
 * 2-D convolution on NCHW images: plain ({@code groups = 1}) or depthwise ({@code groups = inChannels}, each input
 * channel convolved with {@code outChannels / inChannels} filters), with stride, zero padding and dilation.
 *
 * <p>Plain weights are {@code [outChannels, inChannels, kH, kW]}; depthwise weights are
 * {@code [outChannels / inChannels, inChannels, kH, kW]} (libnd4j weight format 1). Initial values follow
 * PyTorch's default (uniform in +-1/sqrt(fan-in)).
 *
 * <pre>{@code
 * Conv2d conv3x3 = Conv2d.builder(params, "cell0.conv", 16, 16, 3).padding(1).build();
 * Conv2d depthwise = Conv2d.builder(params, "sep.dw", 16, 16, 5).padding(4).dilation(2).groups(16).build();
 * }</pre>
 */
public final class Conv2d implements Layer {

    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final Parameter weight;
    private final Parameter bias;
    private final NativeOp forwardOp;
    private final NativeOp backwardOp;
    private final Buffer output = new Buffer();
    private final Buffer gradInput = new Buffer();
    private INDArray input;

    private Conv2d(Builder b) {
        this.inChannels = b.inChannels;
        this.outChannels = b.outChannels;
        this.kernel = b.kernel;
        this.stride = b.stride;
        this.padding = b.padding;
        this.dilation = b.dilation;
        boolean depthwise = b.groups > 1;
        long fanIn = (long) (inChannels / b.groups) * kernel * kernel;
        long[] weightShape = depthwise
                ? new long[] {outChannels / inChannels, inChannels, kernel, kernel}
                : new long[] {outChannels, inChannels, kernel, kernel};
        this.weight = b.params.add(b.name + ".weight", weightShape, Initializer.uniformFanIn(fanIn));
        this.bias = b.bias ? b.params.add(b.name + ".bias", new long[] {outChannels}, Initializer.uniformFanIn(fanIn))
                : null;
        long[] args = {kernel, kernel, stride, stride, padding, padding, dilation, dilation, 0, 0, 1};
        String op = depthwise ? "depthwise_conv2d" : "conv2d";
        this.forwardOp = NativeOp.named(op).intArgs(args);
        this.backwardOp = NativeOp.named(op + "_bp").intArgs(args);
    }

    /**
     * Starts a convolution with a square kernel.
     *
     * @param params      where the weight (and bias) are declared
     * @param name        prefix of the parameter names
     * @param inChannels  input channels
     * @param outChannels output channels
     * @param kernel      kernel height and width
     * @return a builder with stride 1, padding 0, dilation 1, groups 1 and no bias
     */
    public static Builder builder(ParameterSet params, String name, int inChannels, int outChannels, int kernel) {
        return new Builder(params, name, inChannels, outChannels, kernel);
    }

    /** Output height (or width) for an input height (or width) {@code size}. */
    public int outputSize(long size) {
        return (int) ((size + 2L * padding - (long) dilation * (kernel - 1) - 1) / stride + 1);
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        if (x.rank() != 4 || x.size(1) != inChannels) {
            throw new IllegalArgumentException("input must be [batch, " + inChannels + ", H, W], but was "
                    + java.util.Arrays.toString(x.shape()));
        }
        input = x;
        INDArray y = output.get(x.dataType(), x.size(0), outChannels, outputSize(x.size(2)), outputSize(x.size(3)));
        if (bias == null) {
            forwardOp.exec(y, x, weight.value());
        } else {
            forwardOp.exec(y, x, weight.value(), bias.value());
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        INDArray gx = gradInput.like(input);
        if (bias == null) {
            backwardOp.exec(new INDArray[] {gx, weight.gradient()}, input, weight.value(), gradOutput);
        } else {
            backwardOp.exec(new INDArray[] {gx, weight.gradient(), bias.gradient()},
                    input, weight.value(), bias.value(), gradOutput);
            bias.markGradient();
        }
        weight.markGradient();
        return gx;
    }

    /** Builder of a {@link Conv2d}; each setter validates its argument at once. */
    public static final class Builder {
        private final ParameterSet params;
        private final String name;
        private final int inChannels;
        private final int outChannels;
        private final int kernel;
        private int stride = 1;
        private int padding;
        private int dilation = 1;
        private int groups = 1;
        private boolean bias;

        private Builder(ParameterSet params, String name, int inChannels, int outChannels, int kernel) {
            this.params = params;
            this.name = name;
            this.inChannels = positive("inChannels", inChannels);
            this.outChannels = positive("outChannels", outChannels);
            this.kernel = positive("kernel", kernel);
        }

        /** Stride in both directions; default 1. */
        public Builder stride(int stride) {
            this.stride = positive("stride", stride);
            return this;
        }

        /** Zero padding on each side; default 0. */
        public Builder padding(int padding) {
            if (padding < 0) {
                throw new IllegalArgumentException("padding must be >= 0, but was " + padding);
            }
            this.padding = padding;
            return this;
        }

        /** Dilation in both directions; default 1. */
        public Builder dilation(int dilation) {
            this.dilation = positive("dilation", dilation);
            return this;
        }

        /** 1 (plain) or {@code inChannels} (depthwise); default 1. */
        public Builder groups(int groups) {
            if (groups != 1 && groups != inChannels) {
                throw new IllegalArgumentException("groups must be 1 or inChannels=" + inChannels + ", but was "
                        + groups);
            }
            this.groups = groups;
            return this;
        }

        /** Whether to add a bias per output channel; default false. */
        public Builder bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** Declares the parameters in the set and returns the layer. */
        public Conv2d build() {
            if (groups > 1 && outChannels % inChannels != 0) {
                throw new IllegalArgumentException("outChannels must be a multiple of inChannels=" + inChannels
                        + " for a depthwise convolution, but was " + outChannels);
            }
            return new Conv2d(this);
        }

        private static int positive(String what, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, but was " + value);
            }
            return value;
        }
    }

    @Override
    public void releaseGradientBuffers(ArrayPool pool) {
        gradInput.release(pool);
    }

    @Override
    public void releaseOutput(ArrayPool pool) {
        // backward reads the input only
        output.release(pool);
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        output.release(pool);
        gradInput.release(pool);
    }
}
