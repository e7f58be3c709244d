package org.nas4j.estimators.engine.ops;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DOUBLE twin of {@link FloatDepthwise}: the same code with {@code double} elements (made from that file by
 * replacing the element type; keep the two in step). See there for the layout and the reasons.
 */
final class DoubleDepthwise {

    private DoubleDepthwise() {
    }

    /** {@code y = depthwise(x, w) (+ bias)}. */
    static void forward(DepthwiseGeometry g, INDArray x, INDArray w, INDArray bias, INDArray y) {
        DoubleBuffer xs = x.data().asNioDouble();
        DoubleBuffer ys = y.data().asNioDouble();
        int xBase = (int) x.offset();
        int yBase = (int) y.offset();
        double[] weights = read(w);
        double[] biases = bias == null ? null : read(bias);
        int channels = g.channels();
        int multiplier = g.multiplier();
        int plane = g.planeSize();
        int outPlane = g.outPlaneSize();
        KernelThreads.forEach(g.batch() * channels, () -> {
            double[] in = new double[plane];
            double[] padded = new double[g.paddedSize()];
            double[] wide = new double[g.wideSize()];
            double[] window = new double[g.wideSize()];
            double[] out = new double[outPlane];
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
        DoubleBuffer xs = x.data().asNioDouble();
        DoubleBuffer gys = gy.data().asNioDouble();
        DoubleBuffer gxs = gx.data().asNioDouble();
        int xBase = (int) x.offset();
        int gyBase = (int) gy.offset();
        int gxBase = (int) gx.offset();
        double[] weights = read(w);
        double[] weightGrad = new double[weights.length];
        double[] biasGrad = new double[g.outChannels()];
        int channels = g.channels();
        int multiplier = g.multiplier();
        int taps = g.taps();
        int plane = g.planeSize();
        int outPlane = g.outPlaneSize();
        int wideSize = g.wideSize();
        KernelThreads.forEach(channels, () -> {
            double[] in = new double[plane];
            double[] padded = new double[g.paddedSize()];
            double[] paddedGrad = new double[g.paddedSize()];
            double[] grad = new double[outPlane];
            double[] wideGrad = new double[wideSize]; // columns past the output width stay zero
            double[] window = new double[wideSize];
            double[][] sums = new double[multiplier * taps][wideSize];
            return (IntConsumer) c -> {
                for (double[] s : sums) {
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
                        weightGrad[(m * channels + c) * taps + t] = sum(sums[m * taps + t]);
                    }
                    biasGrad[c * multiplier + m] = biasSums[m];
                }
            };
        });
        write(weightGrad, gw);
        if (gb != null) {
            write(biasGrad, gb);
        }
    }

    /** Adds the taps of one filter, applied to a padded input plane, to a wide output plane. */
    private static void forwardPlane(DepthwiseGeometry g, double[] padded, double[] weights, int filter,
            double[] wide, double[] window) {
        int n = wide.length;
        for (int ky = 0; ky < g.kernelHeight(); ky++) {
            for (int kx = 0; kx < g.kernelWidth(); kx++) {
                double wv = weights[filter + ky * g.kernelWidth() + kx];
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
    private static void backwardPlane(DepthwiseGeometry g, double[] padded, double[] wideGrad, double[] weights,
            int filter, double[] paddedGrad, double[][] sums, int sumsFrom, double[] window) {
        int n = wideGrad.length;
        for (int ky = 0; ky < g.kernelHeight(); ky++) {
            for (int kx = 0; kx < g.kernelWidth(); kx++) {
                int tap = ky * g.kernelWidth() + kx;
                int offset = g.tapOffset(ky, kx);
                double[] s = sums[sumsFrom + tap];
                System.arraycopy(padded, offset, window, 0, n);
                for (int j = 0; j < n; j++) {
                    s[j] += wideGrad[j] * window[j];
                }
                double wv = weights[filter + tap];
                System.arraycopy(paddedGrad, offset, window, 0, n);
                for (int j = 0; j < n; j++) {
                    window[j] += wv * wideGrad[j];
                }
                System.arraycopy(window, 0, paddedGrad, offset, n);
            }
        }
    }

    /** Copies a plane into the interior of a padded plane (whose border stays zero: it is never written). */
    private static void pad(DepthwiseGeometry g, double[] in, double[] padded) {
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
    private static void unpad(DepthwiseGeometry g, double[] padded, double[] out) {
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
    private static void narrow(DepthwiseGeometry g, double[] wide, double[] out) {
        for (int oy = 0; oy < g.outHeight(); oy++) {
            System.arraycopy(wide, oy * g.phaseWidth(), out, oy * g.outWidth(), g.outWidth());
        }
    }

    /** Copies an output plane into the valid columns of a wide plane (the other columns are left as they are). */
    private static void widen(DepthwiseGeometry g, double[] out, double[] wide) {
        for (int oy = 0; oy < g.outHeight(); oy++) {
            System.arraycopy(out, oy * g.outWidth(), wide, oy * g.phaseWidth(), g.outWidth());
        }
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    private static double[] read(INDArray a) {
        double[] values = new double[(int) a.length()];
        a.data().asNioDouble().get((int) a.offset(), values, 0, values.length);
        return values;
    }

    private static void write(double[] values, INDArray a) {
        a.data().asNioDouble().put((int) a.offset(), values, 0, values.length);
    }
}
