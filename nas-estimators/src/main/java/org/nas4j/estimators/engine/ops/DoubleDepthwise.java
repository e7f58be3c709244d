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
            double[] out = new double[outPlane];
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
        int outWidth = g.outWidth();
        KernelThreads.forEach(channels, () -> {
            double[] in = new double[plane];
            double[] padded = new double[g.paddedSize()];
            double[] paddedGrad = new double[g.paddedSize()];
            double[] grad = new double[outPlane];
            double[] sums = new double[multiplier * taps * outWidth];
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
                        weightGrad[(m * channels + c) * taps + t] = s;
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

    /** Adds the taps of one filter, applied to a padded input plane, to an output plane. */
    private static void forwardPlane(DepthwiseGeometry g, double[] padded, double[] weights, int filter,
            double[] out) {
        int outWidth = g.outWidth();
        int kernelWidth = g.kernelWidth();
        for (int oy = 0; oy < g.outHeight(); oy++) {
            int row = oy * outWidth;
            for (int ky = 0; ky < g.kernelHeight(); ky++) {
                for (int kx = 0; kx < kernelWidth; kx++) {
                    double wv = weights[filter + ky * kernelWidth + kx];
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
    private static void backwardPlane(DepthwiseGeometry g, double[] padded, double[] grad, double[] weights,
            int filter, double[] paddedGrad, double[] sums, int sumsFrom) {
        int outWidth = g.outWidth();
        int kernelWidth = g.kernelWidth();
        for (int oy = 0; oy < g.outHeight(); oy++) {
            int row = oy * outWidth;
            for (int ky = 0; ky < g.kernelHeight(); ky++) {
                for (int kx = 0; kx < kernelWidth; kx++) {
                    int tap = ky * kernelWidth + kx;
                    double wv = weights[filter + tap];
                    int t = g.tapOffset(oy, ky, kx);
                    int s = sumsFrom + tap * outWidth;
                    for (int ox = 0; ox < outWidth; ox++) {
                        double gv = grad[row + ox];
                        paddedGrad[t + ox] = Math.fma(wv, gv, paddedGrad[t + ox]);
                        sums[s + ox] = Math.fma(gv, padded[t + ox], sums[s + ox]);
                    }
                }
            }
        }
    }

    /** Copies a plane into the interior of a padded plane (whose border stays zero: it is never written). */
    private static void pad(DepthwiseGeometry g, double[] in, double[] padded) {
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
    private static void unpad(DepthwiseGeometry g, double[] padded, double[] out) {
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
