package org.nas4j.estimators.engine.ops;

import static org.nas4j.core.config.Require.atLeast;
import static org.nas4j.core.config.Require.nonNegative;

import org.nas4j.estimators.engine.ConvolutionThreads;
import org.nas4j.estimators.engine.HostArrays;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.OutputObserver;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 2-D convolution on NCHW images: plain ({@code groups = 1}) or depthwise ({@code groups = inChannels}, each input
 * channel convolved with {@code outChannels / inChannels} filters), with stride, zero padding and dilation. Kernels
 * may be rectangular ({@code kH x kW}, as the 1x7 and 7x1 convolutions of NASNet's {@code conv_7x1_1x7}), with
 * stride and padding set per dimension.
 *
 * <p>Plain weights are {@code [outChannels, inChannels, kH, kW]}; depthwise weights are
 * {@code [outChannels / inChannels, inChannels, kH, kW]} (libnd4j weight format 1). Initial values follow
 * PyTorch's default (uniform in +-1/sqrt(fan-in)).
 *
 * <p>Plain convolutions run libnd4j's {@code conv2d} / {@code conv2d_bp} (oneDNN), on one OpenMP thread when small
 * ({@link ConvolutionThreads}); in such a network, 1x1 convolutions of stride 1 without bias on maps below 32x32 run
 * as matrix products per image split over the job's threads instead ({@link PointwiseConvolution}), on ND4J's CPU
 * backend. Depthwise convolutions in FLOAT
 * and DOUBLE run nas4j's own Java kernels ({@link FloatDepthwise}, {@link DoubleDepthwise}): libnd4j's
 * {@code depthwise_conv2d} was 100-400x slower here, and its oneDNN path mishandles dilated padding
 * (docs/performance.md, docs/export.md); other data types fall back to libnd4j's op.
 *
 * <p>A plain convolution without bias can run on a {@link #window(int, int, int, int) window} of its weight: output
 * channels {@code [outStart, outStart + outCount)} from input channels {@code [inStart, inStart + inCount)}, on
 * inputs of {@code inCount} channels (ENAS' channel ranges, whose reference slices its weights so): the weight's
 * other entries get a gradient of 0.
 *
 * <p>Reports its outputs and their gradients to its weight's {@link OutputObserver}, if any (the zero-cost
 * proxy fisher reads them).
 *
 * <pre>{@code
 * Conv2d conv3x3 = Conv2d.builder(params, "cell0.conv", 16, 16, 3).padding(1).build();
 * Conv2d depthwise = Conv2d.builder(params, "sep.dw", 16, 16, 5).padding(4).dilation(2).groups(16).build();
 * Conv2d oneBySeven = Conv2d.builder(params, "fac.a", 16, 16, 1, 7).stride(1, 2).padding(0, 3).build();
 * }</pre>
 */
public final class Conv2d extends BufferedLayer {

    private final int inChannels;
    private final int outChannels;
    private final int kernelHeight;
    private final int kernelWidth;
    private final int strideHeight;
    private final int strideWidth;
    private final int paddingHeight;
    private final int paddingWidth;
    private final int dilation;
    private final boolean depthwise;
    private final Parameter weight;
    private final Parameter bias;
    private final NativeOp forwardOp;
    private final NativeOp backwardOp;
    private INDArray input;
    // a 1x1 convolution of stride 1 without bias or dilation; and whether the last forward pass ran it as products
    private final boolean pointwiseShape;
    private boolean pointwise;
    // the window of the next forward pass, {outStart, outCount, inStart, inCount, liveStart, liveCount}, and that of
    // the last one
    private int[] window;
    private int[] lastWindow;
    private final org.nas4j.estimators.engine.Buffer windowWeight = new org.nas4j.estimators.engine.Buffer();
    private final org.nas4j.estimators.engine.Buffer windowGradient = new org.nas4j.estimators.engine.Buffer();

    private Conv2d(Builder b) {
        this.inChannels = b.inChannels;
        this.outChannels = b.outChannels;
        this.kernelHeight = b.kernelHeight;
        this.kernelWidth = b.kernelWidth;
        this.strideHeight = b.strideHeight;
        this.strideWidth = b.strideWidth;
        this.paddingHeight = b.paddingHeight;
        this.paddingWidth = b.paddingWidth;
        this.dilation = b.dilation;
        this.depthwise = b.groups > 1;
        this.pointwiseShape = !depthwise && !b.bias && kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1
                && strideWidth == 1 && paddingHeight == 0 && paddingWidth == 0 && dilation == 1;
        long fanIn = (long) (inChannels / b.groups) * kernelHeight * kernelWidth;
        long[] weightShape = depthwise
                ? new long[] {outChannels / inChannels, inChannels, kernelHeight, kernelWidth}
                : new long[] {outChannels, inChannels, kernelHeight, kernelWidth};
        this.weight = b.params.add(b.name + ".weight", weightShape, Initializer.uniformFanIn(fanIn));
        this.bias = b.bias ? b.params.add(b.name + ".bias", new long[] {outChannels}, Initializer.uniformFanIn(fanIn))
                : null;
        long[] args = {kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth, dilation,
            dilation, 0, 0, 1};
        String op = depthwise ? "depthwise_conv2d" : "conv2d";
        // oneDNN refuses some dilated convolutions ("could not create a descriptor for a dilated convolution"),
        // e.g. 1 x 7 kernels of dilation 4 on maps of height 1; libnd4j's own kernels compute them
        this.forwardOp = NativeOp.named(op).intArgs(args).helpers(dilation == 1);
        this.backwardOp = NativeOp.named(op + "_bp").intArgs(args).helpers(dilation == 1);
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
        return new Builder(params, name, inChannels, outChannels, kernel, kernel);
    }

    /**
     * Starts a convolution with a {@code kernelHeight x kernelWidth} kernel.
     *
     * @param params       where the weight (and bias) are declared
     * @param name         prefix of the parameter names
     * @param inChannels   input channels
     * @param outChannels  output channels
     * @param kernelHeight kernel height (rows)
     * @param kernelWidth  kernel width (columns)
     * @return a builder with stride 1, padding 0, dilation 1, groups 1 and no bias
     */
    public static Builder builder(ParameterSet params, String name, int inChannels, int outChannels,
            int kernelHeight, int kernelWidth) {
        return new Builder(params, name, inChannels, outChannels, kernelHeight, kernelWidth);
    }

    /**
     * Computes, from the next forward pass on, output channels {@code [outStart, outStart + outCount)} from inputs
     * of {@code inCount} channels, which stand for the input channels {@code [inStart, inStart + inCount)}, with
     * that block of the weight; the whole weight again when the window is the whole layer (the default). Plain
     * convolutions without bias only.
     *
     * @throws IllegalArgumentException for an empty window or one outside the weight
     * @throws IllegalStateException    for a depthwise convolution or one with a bias
     */
    public void window(int outStart, int outCount, int inStart, int inCount) {
        window(outStart, outCount, inStart, inCount, inStart, inCount);
    }

    /**
     * {@link #window(int, int, int, int)} where only the input channels {@code [liveStart, liveStart + liveCount)}
     * (inside the window's) are read: the weight's other columns of the window count as 0 and get no gradient, so
     * the other input channels get a gradient of 0.
     */
    public void window(int outStart, int outCount, int inStart, int inCount, int liveStart, int liveCount) {
        if (depthwise || bias != null) {
            throw new IllegalStateException("only a plain convolution without bias runs on a window of its weight");
        }
        if (outStart < 0 || outCount < 1 || outStart + outCount > outChannels || inStart < 0 || inCount < 1
                || inStart + inCount > inChannels) {
            throw new IllegalArgumentException("window must be non-empty and inside the weight's [" + outChannels
                    + ", " + inChannels + "], but was outStart=" + outStart + ", outCount=" + outCount + ", inStart="
                    + inStart + ", inCount=" + inCount);
        }
        if (liveStart < inStart || liveCount < 1 || liveStart + liveCount > inStart + inCount) {
            throw new IllegalArgumentException("the live input channels must be non-empty and inside the window's ["
                    + inStart + ", " + (inStart + inCount) + "), but were liveStart=" + liveStart + ", liveCount="
                    + liveCount);
        }
        this.window = outCount == outChannels && inCount == inChannels && liveCount == inCount ? null
                : new int[] {outStart, outCount, inStart, inCount, liveStart, liveCount};
    }

    /** Output height for an input height {@code height}. */
    public int outputHeight(long height) {
        return convolved(height, kernelHeight, strideHeight, paddingHeight);
    }

    /** Output width for an input width {@code width}. */
    public int outputWidth(long width) {
        return convolved(width, kernelWidth, strideWidth, paddingWidth);
    }

    private int convolved(long size, int kernel, int stride, int padding) {
        return (int) ((size + 2L * padding - (long) dilation * (kernel - 1) - 1) / stride + 1);
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        lastWindow = window;
        int inCount = window == null ? inChannels : window[3];
        if (x.rank() != 4 || x.size(1) != inCount) {
            throw new IllegalArgumentException("input must be [batch, " + inCount + ", H, W], but was "
                    + java.util.Arrays.toString(x.shape()));
        }
        input = x;
        int height = outputHeight(x.size(2));
        int width = outputWidth(x.size(3));
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("input " + x.size(2) + "x" + x.size(3) + " is too small for kernel "
                    + kernelHeight + "x" + kernelWidth + " with padding " + paddingHeight + "x" + paddingWidth
                    + " and dilation " + dilation + ": output would be " + height + "x" + width);
        }
        INDArray y = output.get(x.dataType(), x.size(0), window == null ? outChannels : window[1], height, width);
        if (window != null || !javaKernel(x)) {
            ConvolutionThreads.forConvolution(multiplyAdds(y, window), y.size(2) * y.size(3));
        }
        pointwise = window == null && pointwiseShape && PointwiseConvolution.handles(x, y);
        if (window != null) {
            forwardOp.exec(y, x, windowOf(weight.value(), windowWeight));
        } else if (javaKernel(x)) {
            INDArray dense = HostArrays.dense(x);
            input = dense;
            DepthwiseGeometry g = geometry(x, height, width);
            if (x.dataType() == DataType.FLOAT) {
                FloatDepthwise.forward(g, dense, weight.value(), bias == null ? null : bias.value(), y);
            } else {
                DoubleDepthwise.forward(g, dense, weight.value(), bias == null ? null : bias.value(), y);
            }
        } else if (pointwise) {
            input = HostArrays.dense(x);
            PointwiseConvolution.forward(input, weight.value(), y);
        } else if (bias == null) {
            forwardOp.exec(y, x, weight.value());
        } else {
            forwardOp.exec(y, x, weight.value(), bias.value());
        }
        OutputObserver observer = weight.outputObserver();
        if (observer != null) {
            observer.forward(y);
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        OutputObserver observer = weight.outputObserver();
        if (observer != null) {
            observer.backward(gradOutput);
        }
        INDArray gx = gradInput.like(input);
        if (lastWindow != null || !javaKernel(input)) {
            ConvolutionThreads.forConvolution(multiplyAdds(gradOutput, lastWindow),
                    gradOutput.size(2) * gradOutput.size(3));
        }
        if (lastWindow != null) {
            INDArray w = windowWeight.get(input.dataType(), lastWindow[1], lastWindow[3], kernelHeight, kernelWidth);
            INDArray gw = windowGradient.like(w);
            backwardOp.exec(new INDArray[] {gx, gw}, input, w, gradOutput);
            scatterGradient(gw, lastWindow);
            weight.markGradient();
            return gx;
        }
        if (pointwise) {
            PointwiseConvolution.backward(input, weight.value(), HostArrays.dense(gradOutput), gx, weight.gradient());
            weight.markGradient();
            return gx;
        }
        if (javaKernel(input)) {
            DepthwiseGeometry g = geometry(input, (int) gradOutput.size(2), (int) gradOutput.size(3));
            INDArray gy = HostArrays.dense(gradOutput);
            INDArray gb = bias == null ? null : bias.gradient();
            if (input.dataType() == DataType.FLOAT) {
                FloatDepthwise.backward(g, input, weight.value(), gy, gx, weight.gradient(), gb);
            } else {
                DoubleDepthwise.backward(g, input, weight.value(), gy, gx, weight.gradient(), gb);
            }
            if (bias != null) {
                bias.markGradient();
            }
            weight.markGradient();
            return gx;
        }
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

    /**
     * Multiply-adds of this convolution producing {@code y} on window {@code w} (null: the whole weight), per pass
     * (the backward pass does it twice).
     */
    private long multiplyAdds(INDArray y, int[] w) {
        int in = depthwise ? 1 : w == null ? inChannels : w[3];
        return y.length() * in * kernelHeight * kernelWidth;
    }

    /** The window's block of {@code whole}, copied into {@code into}'s dense array. */
    private INDArray windowOf(INDArray whole, org.nas4j.estimators.engine.Buffer into) {
        INDArray w = into.get(whole.dataType(), window[1], window[3], kernelHeight, kernelWidth);
        // in Java: libnd4j's views of one-row intervals of these weights came back without data
        double[] all = whole.dup('c').data().asDouble();
        double[] block = new double[Math.toIntExact(w.length())];
        int plane = kernelHeight * kernelWidth;
        int skip = window[4] - window[2];
        for (int o = 0; o < window[1]; o++) {
            // only the live columns; the others stay 0
            System.arraycopy(all, ((window[0] + o) * inChannels + window[4]) * plane,
                    block, (o * window[3] + skip) * plane, window[5] * plane);
        }
        w.data().setData(block);
        return w;
    }

    /** The whole weight's gradient: {@code blockGradient} at {@code w}'s block, 0 elsewhere. */
    private void scatterGradient(INDArray blockGradient, int[] w) {
        double[] block = blockGradient.dup('c').data().asDouble();
        double[] all = new double[Math.toIntExact(weight.length())];
        int plane = kernelHeight * kernelWidth;
        int skip = w[4] - w[2];
        for (int o = 0; o < w[1]; o++) {
            System.arraycopy(block, (o * w[3] + skip) * plane, all, ((w[0] + o) * inChannels + w[4]) * plane,
                    w[5] * plane);
        }
        weight.gradient().assign(org.nd4j.linalg.factory.Nd4j.createFromArray(all)
                .reshape('c', weight.shape()).castTo(blockGradient.dataType()));
    }

    private boolean javaKernel(INDArray x) {
        return depthwise && (x.dataType() == DataType.FLOAT || x.dataType() == DataType.DOUBLE);
    }

    private DepthwiseGeometry geometry(INDArray x, int height, int width) {
        return new DepthwiseGeometry((int) x.size(0), inChannels, outChannels / inChannels, (int) x.size(2),
                (int) x.size(3), kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth,
                dilation, dilation, height, width);
    }

    /** Builder of a {@link Conv2d}; each setter validates its argument at once. */
    public static final class Builder {
        private final ParameterSet params;
        private final String name;
        private final int inChannels;
        private final int outChannels;
        private final int kernelHeight;
        private final int kernelWidth;
        private int strideHeight = 1;
        private int strideWidth = 1;
        private int paddingHeight;
        private int paddingWidth;
        private int dilation = 1;
        private int groups = 1;
        private boolean bias;

        private Builder(ParameterSet params, String name, int inChannels, int outChannels, int kernelHeight,
                int kernelWidth) {
            this.params = params;
            this.name = name;
            this.inChannels = atLeast("inChannels", inChannels, 1);
            this.outChannels = atLeast("outChannels", outChannels, 1);
            if (kernelHeight == kernelWidth) {
                atLeast("kernel", kernelHeight, 1);
            }
            this.kernelHeight = atLeast("kernelHeight", kernelHeight, 1);
            this.kernelWidth = atLeast("kernelWidth", kernelWidth, 1);
        }

        /** Stride in both directions; default 1. */
        public Builder stride(int stride) {
            return stride(atLeast("stride", stride, 1), stride);
        }

        /** Stride along the height and along the width; default 1 and 1. */
        public Builder stride(int strideHeight, int strideWidth) {
            this.strideHeight = atLeast("strideHeight", strideHeight, 1);
            this.strideWidth = atLeast("strideWidth", strideWidth, 1);
            return this;
        }

        /** Zero padding on each side; default 0. */
        public Builder padding(int padding) {
            return padding(nonNegative("padding", padding), padding);
        }

        /** Zero padding at the top and bottom ({@code paddingHeight}) and left and right; default 0 and 0. */
        public Builder padding(int paddingHeight, int paddingWidth) {
            this.paddingHeight = nonNegative("paddingHeight", paddingHeight);
            this.paddingWidth = nonNegative("paddingWidth", paddingWidth);
            return this;
        }

        /** Dilation in both directions; default 1. */
        public Builder dilation(int dilation) {
            this.dilation = atLeast("dilation", dilation, 1);
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
    }
}
