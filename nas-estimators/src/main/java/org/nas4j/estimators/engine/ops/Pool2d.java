package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max or average pooling over NCHW images with a square window, stride and zero padding; or, with
 * {@link #temporal}, 1-D pooling along the width of {@code [B, C, 1, T]} maps with 'same' padding.
 *
 * <p>Average pooling either divides by the whole window ({@code countIncludePad = true}) or only by the elements
 * inside the image (false; PyTorch's {@code count_include_pad=False}, as in NAS-Bench-201 and DARTS).
 *
 * <p>Platform helpers (oneDNN) are on by default: on an AVX-512 machine oneDNN pooling measured 4-5x faster than
 * libnd4j's own kernels (3x3 on 64x16x32x32: avg 1.2 vs 6 ms forward, max backward 4 vs 16 ms), while on an
 * AVX2-only machine the project's notes measured the reverse (1.3-4x slower); the factories with a
 * {@code platformHelpers} argument let a deployment choose.
 *
 * <pre>{@code
 * Pool2d avg = Pool2d.average(3, 1, 1, false);
 * Pool2d max = Pool2d.max(3, 2, 1);
 * }</pre>
 */
public final class Pool2d extends BufferedLayer {

    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean temporal;
    private final NativeOp forwardOp;
    private final NativeOp backwardOp;
    private INDArray input;

    private Pool2d(String op, int kernel, int stride, int padding, int extraParam, boolean helpers) {
        if (kernel < 1 || stride < 1) {
            throw new IllegalArgumentException("kernel and stride must be >= 1, but were " + kernel + " and "
                    + stride);
        }
        if (padding < 0 || 2 * padding > kernel) {
            throw new IllegalArgumentException("padding must be in [0, kernel/2=" + kernel / 2 + "], but was "
                    + padding);
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.temporal = false;
        long[] args = {kernel, kernel, stride, stride, padding, padding, 1, 1, 0, extraParam, 0};
        this.forwardOp = NativeOp.named(op).intArgs(args).helpers(helpers);
        this.backwardOp = NativeOp.named(op + "_bp").intArgs(args).helpers(helpers);
    }

    /** A {@code 1 x kernel} window with stride {@code (1, stride)} in libnd4j's 'same' mode. */
    private Pool2d(String op, int kernel, int stride, int extraParam) {
        if (kernel < 1 || stride < 1) {
            throw new IllegalArgumentException("kernel and stride must be >= 1, but were " + kernel + " and "
                    + stride);
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = 0;
        this.temporal = true;
        long[] args = {1, kernel, 1, stride, 0, 0, 1, 1, 1, extraParam, 0};
        this.forwardOp = NativeOp.named(op).intArgs(args);
        this.backwardOp = NativeOp.named(op + "_bp").intArgs(args);
    }

    /**
     * 1-D pooling along the width of {@code [B, C, 1, T]} maps: window {@code 1 x kernel}, stride
     * {@code (1, stride)}, 'same' padding as TensorFlow's (output width {@code ceil(T / stride)}, the missing
     * positions after the end): the padding never wins the maximum and is not counted in the average.
     *
     * @param max    max pooling, else average pooling
     * @param kernel the window along time
     * @param stride the stride along time
     */
    public static Pool2d temporal(boolean max, int kernel, int stride) {
        return max ? new Pool2d("maxpool2d", kernel, stride, 0) : new Pool2d("avgpool2d", kernel, stride, 0);
    }

    /** Max pooling with platform helpers on; padded positions never win. */
    public static Pool2d max(int kernel, int stride, int padding) {
        return max(kernel, stride, padding, true);
    }

    /** Max pooling; {@code platformHelpers} switches oneDNN (cuDNN) on or off for this layer. */
    public static Pool2d max(int kernel, int stride, int padding, boolean platformHelpers) {
        return new Pool2d("maxpool2d", kernel, stride, padding, 0, platformHelpers);
    }

    /**
     * Average pooling with platform helpers on.
     *
     * @param countIncludePad whether padded zeros count in the divisor (PyTorch's {@code count_include_pad})
     */
    public static Pool2d average(int kernel, int stride, int padding, boolean countIncludePad) {
        return average(kernel, stride, padding, countIncludePad, true);
    }

    /** Average pooling; {@code platformHelpers} switches oneDNN (cuDNN) on or off for this layer. */
    public static Pool2d average(int kernel, int stride, int padding, boolean countIncludePad,
            boolean platformHelpers) {
        return new Pool2d("avgpool2d", kernel, stride, padding, countIncludePad ? 1 : 0, platformHelpers);
    }

    /** Output height (or width) for an input height (or width) {@code size}, for a square window. */
    public long outputSize(long size) {
        return (size + 2L * padding - kernel) / stride + 1;
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("input must be [batch, C, H, W], but had rank " + x.rank());
        }
        if (temporal && x.size(2) != 1) {
            throw new IllegalArgumentException("1-D pooling needs [batch, C, 1, T] input, but had height "
                    + x.size(2));
        }
        input = x;
        long height = temporal ? 1 : outputSize(x.size(2));
        long width = temporal ? (x.size(3) + stride - 1) / stride : outputSize(x.size(3));
        INDArray y = output.get(x.dataType(), x.size(0), x.size(1), height, width);
        forwardOp.exec(y, x);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray gx = gradInput.like(input);
        backwardOp.exec(gx, input, gy);
        return gx;
    }
}
