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
 * plane, phase-split for strides and read as a "wide" output ({@link DepthwiseGeometry}), so that each kernel tap
 * is one loop over the whole plane. HotSpot 17 vectorizes such a loop only when every array in it is indexed by
 * the same expression (it has no run-time alias check; {@code out[j] += w * in[j + off]} stays scalar, measured
 * 7x slower): so each tap first copies its shifted window into a scratch array ({@code System.arraycopy}, a
 * memmove) and then runs {@code out[j] += w * window[j]}. Planes (forward) and input channels
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
            float[] wide = new float[g.wideSize()];
            float[] window = new float[g.wideSize()];
            float[] out = new float[outPlane];
            return i -> {
                int c = i % channels;
                xs.get(xBase + i * plane, in, 0, plane);
                pad(g, in, padded);
                for (int m = 0; m < multiplier; m++) {
                    int o = c * multiplier + m;
                    Arrays.fill(wide, biases == null ? 0 : biases[o]);
                    forwardPlane(g, padded, weights, (m * channels + c) * g.taps(), wide, window);
                    narrow(g, wide, out);
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
        int wideSize = g.wideSize();
        KernelThreads.forEach(channels, () -> {
            float[] in = new float[plane];
            float[] padded = new float[g.paddedSize()];
            float[] paddedGrad = new float[g.paddedSize()];
            float[] grad = new float[outPlane];
            float[] wideGrad = new float[wideSize]; // columns past the output width stay zero
            float[] window = new float[wideSize];
            float[][] sums = new float[multiplier * taps][wideSize];
            return (IntConsumer) c -> {
                for (float[] s : sums) {
                    Arrays.fill(s, 0);
                }
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
                        widen(g, grad, wideGrad);
                        backwardPlane(g, padded, wideGrad, weights, (m * channels + c) * taps, paddedGrad, sums,
                                m * taps, window);
                    }
                    unpad(g, paddedGrad, in);
                    gxs.put(gxBase + (xOffset - xBase), in, 0, plane);
                }
                for (int m = 0; m < multiplier; m++) {
                    for (int t = 0; t < taps; t++) {
                        weightGrad[(m * channels + c) * taps + t] = (float) sum(sums[m * taps + t]);
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

    /** Adds the taps of one filter, applied to a padded input plane, to a wide output plane. */
    private static void forwardPlane(DepthwiseGeometry g, float[] padded, float[] weights, int filter,
            float[] wide, float[] window) {
        int n = wide.length;
        for (int ky = 0; ky < g.kernelHeight(); ky++) {
            for (int kx = 0; kx < g.kernelWidth(); kx++) {
                float wv = weights[filter + ky * g.kernelWidth() + kx];
                System.arraycopy(padded, g.tapOffset(ky, kx), window, 0, n);
                for (int j = 0; j < n; j++) {
                    wide[j] += wv * window[j];
                }
            }
        }
    }

    /**
     * For one wide output-gradient plane of one filter: adds its contribution to the padded input gradient, and
     * each tap's products to that tap's wide sums (reduced at the end, so that every loop here is elementwise).
     */
    private static void backwardPlane(DepthwiseGeometry g, float[] padded, float[] wideGrad, float[] weights,
            int filter, float[] paddedGrad, float[][] sums, int sumsFrom, float[] window) {
        int n = wideGrad.length;
        for (int ky = 0; ky < g.kernelHeight(); ky++) {
            for (int kx = 0; kx < g.kernelWidth(); kx++) {
                int tap = ky * g.kernelWidth() + kx;
                int offset = g.tapOffset(ky, kx);
                float[] s = sums[sumsFrom + tap];
                System.arraycopy(padded, offset, window, 0, n);
                for (int j = 0; j < n; j++) {
                    s[j] += wideGrad[j] * window[j];
                }
                float wv = weights[filter + tap];
                System.arraycopy(paddedGrad, offset, window, 0, n);
                for (int j = 0; j < n; j++) {
                    window[j] += wv * wideGrad[j];
                }
                System.arraycopy(window, 0, paddedGrad, offset, n);
            }
        }
    }

    /** Copies a plane into the interior of a padded plane (whose border stays zero: it is never written). */
    private static void pad(DepthwiseGeometry g, float[] in, float[] padded) {
        int width = g.width();
        int stride = g.strideWidth();
        for (int y = 0; y < g.height(); y++) {
            int row = y * width;
            if (stride == 1) {
                System.arraycopy(in, row, padded, g.inputOffset(y, 0), width);
                continue;
            }
            for (int x0 = 0; x0 < Math.min(stride, width); x0++) {
                int to = g.inputOffset(y, x0);
                for (int x = x0; x < width; x += stride) {
                    padded[to++] = in[row + x];
                }
            }
        }
    }

    /** Copies the interior of a padded plane into a plane. */
    private static void unpad(DepthwiseGeometry g, float[] padded, float[] out) {
        int width = g.width();
        int stride = g.strideWidth();
        for (int y = 0; y < g.height(); y++) {
            int row = y * width;
            if (stride == 1) {
                System.arraycopy(padded, g.inputOffset(y, 0), out, row, width);
                continue;
            }
            for (int x0 = 0; x0 < Math.min(stride, width); x0++) {
                int from = g.inputOffset(y, x0);
                for (int x = x0; x < width; x += stride) {
                    out[row + x] = padded[from++];
                }
            }
        }
    }

    /** Copies the valid columns of a wide output plane into an output plane. */
    private static void narrow(DepthwiseGeometry g, float[] wide, float[] out) {
        for (int oy = 0; oy < g.outHeight(); oy++) {
            System.arraycopy(wide, oy * g.phaseWidth(), out, oy * g.outWidth(), g.outWidth());
        }
    }

    /** Copies an output plane into the valid columns of a wide plane (the other columns are left as they are). */
    private static void widen(DepthwiseGeometry g, float[] out, float[] wide) {
        for (int oy = 0; oy < g.outHeight(); oy++) {
            System.arraycopy(out, oy * g.outWidth(), wide, oy * g.phaseWidth(), g.outWidth());
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
