package org.nas4j.estimators.engine.ops;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Depthwise convolution in Java for FLOAT arrays: forward, input gradient, weight (and bias) gradient, any kernel,
 * stride, padding and dilation, any depth multiplier. {@link DoubleDepthwise} is its DOUBLE twin, made from this
 * file by replacing the element type (keep the two in step).
 *
 * <p>Why Java and not libnd4j: libnd4j's {@code depthwise_conv2d} took 370 ms forward and 740 ms backward for a
 * 3x3 on 64x16x32x32 here, with or without oneDNN (49 / 109 ms with weight format 0 and oneDNN), against about 1 ms
 * for this kernel (docs/performance.md, "DARTS search step"). The arithmetic is small (9.4 M multiply-adds for that
 * call), so the cost is in memory layout: each plane is copied from the native buffer into a zero-padded scratch
 * plane (phase-split for strides, see {@link DepthwiseGeometry}), and every innermost loop runs over the output
 * width on contiguous arrays, which HotSpot compiles to vector FMAs. Planes (forward) and input channels
 * (backward: input and weight gradients of one channel depend on that channel only) are spread over {@link
 * KernelThreads}; nothing is shared between workers except read-only weights and disjoint slots of the weight
 * gradient.
 *
 * <p>Arrays are NCHW, contiguous in 'c' order; weights {@code [multiplier, channels, kH, kW]}; output channel
 * {@code c * multiplier + m} is input channel {@code c} convolved with filter {@code m} (libnd4j's and PyTorch's
 * order). Padding is zero padding, dilated taps included (libnd4j's oneDNN path gets that wrong, docs/export.md).
 */
final class FloatDepthwise {

    private FloatDepthwise() {
    }

    /** {@code y = depthwise(x, w) (+ bias)}. */
    static void forward(DepthwiseGeometry g, INDArray x, INDArray w, INDArray bias, INDArray y) {
        FloatBuffer xs = x.data().asNioFloat();
        FloatBuffer ys = y.data().asNioFloat();
        int xBase = (int) x.offset();
        int yBase = (int) y.offset();
        float[] weights = read(w);
        float[] biases = bias == null ? null : read(bias);
        int channels = g.channels();
        int multiplier = g.multiplier();
        int plane = g.planeSize();
        int outPlane = g.outPlaneSize();
        KernelThreads.forEach(g.batch() * channels, () -> {
            float[] in = new float[plane];
            float[] padded = new float[g.paddedSize()];
            float[] out = new float[outPlane];
            return i -> {
                int c = i % channels;
                xs.get(xBase + i * plane, in, 0, plane);
                pad(g, in, padded);
                for (int m = 0; m < multiplier; m++) {
                    int o = c * multiplier + m;
                    Arrays.fill(out, biases == null ? 0 : biases[o]);
                    forwardPlane(g, padded, weights, (m * channels + c) * g.taps(), out);
                    ys.put(yBase + ((i / channels) * channels * multiplier + o) * outPlane, out, 0, outPlane);
                }
            };
        });
    }

    /**
     * Writes the input gradient {@code gx}, the weight gradient {@code gw} and, when {@code gb} is not null, the
     * bias gradient, from the output gradient {@code gy}.
     */
    static void backward(DepthwiseGeometry g, INDArray x, INDArray w, INDArray gy, INDArray gx, INDArray gw,
            INDArray gb) {
        FloatBuffer xs = x.data().asNioFloat();
        FloatBuffer gys = gy.data().asNioFloat();
        FloatBuffer gxs = gx.data().asNioFloat();
        int xBase = (int) x.offset();
        int gyBase = (int) gy.offset();
        int gxBase = (int) gx.offset();
        float[] weights = read(w);
        float[] weightGrad = new float[weights.length];
        float[] biasGrad = new float[g.outChannels()];
        int channels = g.channels();
        int multiplier = g.multiplier();
        int taps = g.taps();
        int plane = g.planeSize();
        int outPlane = g.outPlaneSize();
        int outWidth = g.outWidth();
        KernelThreads.forEach(channels, () -> {
            float[] in = new float[plane];
            float[] padded = new float[g.paddedSize()];
            float[] paddedGrad = new float[g.paddedSize()];
            float[] grad = new float[outPlane];
            float[] sums = new float[multiplier * taps * outWidth];
            return (IntConsumer) c -> {
                Arrays.fill(sums, 0);
                double[] biasSums = new double[multiplier];
                for (int b = 0; b < g.batch(); b++) {
                    int xOffset = xBase + (b * channels + c) * plane;
                    xs.get(xOffset, in, 0, plane);
                    pad(g, in, padded);
                    Arrays.fill(paddedGrad, 0);
                    for (int m = 0; m < multiplier; m++) {
                        int o = c * multiplier + m;
                        gys.get(gyBase + (b * channels * multiplier + o) * outPlane, grad, 0, outPlane);
                        if (gb != null) {
                            biasSums[m] += sum(grad);
                        }
                        backwardPlane(g, padded, grad, weights, (m * channels + c) * taps, paddedGrad, sums,
                                m * taps * outWidth);
                    }
                    unpad(g, paddedGrad, in);
                    gxs.put(gxBase + (xOffset - xBase), in, 0, plane);
                }
                for (int m = 0; m < multiplier; m++) {
                    for (int t = 0; t < taps; t++) {
                        double s = 0;
                        int from = (m * taps + t) * outWidth;
                        for (int ox = 0; ox < outWidth; ox++) {
                            s += sums[from + ox];
                        }
                        weightGrad[(m * channels + c) * taps + t] = (float) s;
                    }
                    biasGrad[c * multiplier + m] = (float) biasSums[m];
                }
            };
        });
        write(weightGrad, gw);
        if (gb != null) {
            write(biasGrad, gb);
        }
    }

    /** Adds the taps of one filter, applied to a padded input plane, to an output plane. */
    private static void forwardPlane(DepthwiseGeometry g, float[] padded, float[] weights, int filter,
            float[] out) {
        int outWidth = g.outWidth();
        int kernelWidth = g.kernelWidth();
        for (int oy = 0; oy < g.outHeight(); oy++) {
            int row = oy * outWidth;
            for (int ky = 0; ky < g.kernelHeight(); ky++) {
                for (int kx = 0; kx < kernelWidth; kx++) {
                    float wv = weights[filter + ky * kernelWidth + kx];
                    int t = g.tapOffset(oy, ky, kx);
                    for (int ox = 0; ox < outWidth; ox++) {
                        out[row + ox] = Math.fma(wv, padded[t + ox], out[row + ox]);
                    }
                }
            }
        }
    }

    /**
     * For one output-gradient plane of one filter: adds its contribution to the padded input gradient, and the
     * products of each tap, per output column, to {@code sums} (reduced over the columns at the end, so that the
     * innermost loop is elementwise and vectorizes).
     */
    private static void backwardPlane(DepthwiseGeometry g, float[] padded, float[] grad, float[] weights,
            int filter, float[] paddedGrad, float[] sums, int sumsFrom) {
        int outWidth = g.outWidth();
        int kernelWidth = g.kernelWidth();
        for (int oy = 0; oy < g.outHeight(); oy++) {
            int row = oy * outWidth;
            for (int ky = 0; ky < g.kernelHeight(); ky++) {
                for (int kx = 0; kx < kernelWidth; kx++) {
                    int tap = ky * kernelWidth + kx;
                    float wv = weights[filter + tap];
                    int t = g.tapOffset(oy, ky, kx);
                    int s = sumsFrom + tap * outWidth;
                    for (int ox = 0; ox < outWidth; ox++) {
                        float gv = grad[row + ox];
                        paddedGrad[t + ox] = Math.fma(wv, gv, paddedGrad[t + ox]);
                        sums[s + ox] = Math.fma(gv, padded[t + ox], sums[s + ox]);
                    }
                }
            }
        }
    }

    /** Copies a plane into the interior of a padded plane (whose border stays zero: it is never written). */
    private static void pad(DepthwiseGeometry g, float[] in, float[] padded) {
        int width = g.width();
        if (g.strideWidth() == 1) {
            for (int y = 0; y < g.height(); y++) {
                System.arraycopy(in, y * width, padded, g.inputOffset(y, 0), width);
            }
            return;
        }
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < width; x++) {
                padded[g.inputOffset(y, x)] = in[y * width + x];
            }
        }
    }

    /** Copies the interior of a padded plane into a plane. */
    private static void unpad(DepthwiseGeometry g, float[] padded, float[] out) {
        int width = g.width();
        if (g.strideWidth() == 1) {
            for (int y = 0; y < g.height(); y++) {
                System.arraycopy(padded, g.inputOffset(y, 0), out, y * width, width);
            }
            return;
        }
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + x] = padded[g.inputOffset(y, x)];
            }
        }
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }

    private static float[] read(INDArray a) {
        float[] values = new float[(int) a.length()];
        a.data().asNioFloat().get((int) a.offset(), values, 0, values.length);
        return values;
    }

    private static void write(float[] values, INDArray a) {
        a.data().asNioFloat().put((int) a.offset(), values, 0, values.length);
    }
}
