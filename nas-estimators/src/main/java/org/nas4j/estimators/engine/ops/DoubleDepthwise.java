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

    /**
     * Wide elements a forward stack of small planes aims at: small planes (7x7, 4x4 in mobile chains) are stacked
     * over the batch up to about this size ({@link DepthwiseGeometry#stacked}), so that each tap's loop is long
     * enough for its fixed costs (a call, a copy, the loop's scalar head and tail) not to dominate; planes this size
     * and larger run one by one. At the chains' shapes 512 to 1024 did best (docs/performance.md).
     */
    static final int FORWARD_STACK = 512;

    /**
     * The same for backward, smaller: backward keeps one sum plane per tap (49 for a 7x7 kernel) of the stack's
     * padded size, which should stay in cache; 256 did best there, 1024 was slower than no stacking at some shapes.
     */
    static final int BACKWARD_STACK = 256;

    /** Planes of one channel stacked into one pass of about {@code elements} wide elements: 1 for larger planes. */
    static int planesPerStack(DepthwiseGeometry g, int elements) {
        return Math.max(1, Math.min(g.batch(), elements / g.wideSize()));
    }

    /** {@code y = depthwise(x, w) (+ bias)}. */
    static void forward(DepthwiseGeometry g, INDArray x, INDArray w, INDArray bias, INDArray y) {
        DoubleBuffer xs = x.data().asNioDouble();
        DoubleBuffer ys = y.data().asNioDouble();
        int xBase = (int) x.offset();
        int yBase = (int) y.offset();
        double[] weights = read(w);
        double[] biases = bias == null ? null : read(bias);
        int batch = g.batch();
        int channels = g.channels();
        int multiplier = g.multiplier();
        int plane = g.planeSize();
        int outPlane = g.outPlaneSize();
        int stack = planesPerStack(g, FORWARD_STACK);
        DepthwiseGeometry t = g.stacked(stack);
        int[] rowStarts = t.rowStarts();
        int[] tapOffsets = t.tapOffsets();
        int stacks = (batch + stack - 1) / stack;
        KernelThreads.forEach(stacks * channels, () -> {
            double[] in = new double[plane];
            double[] padded = new double[t.paddedSize()];
            double[] wide = new double[t.wideSize()];
            double[] window = new double[t.wideSize()];
            double[] out = new double[outPlane];
            return i -> {
                int c = i % channels;
                int first = (i / channels) * stack;
                int count = Math.min(stack, batch - first);
                for (int q = 0; q < count; q++) {
                    xs.get(xBase + ((first + q) * channels + c) * plane, in, 0, plane);
                    pad(g, rowStarts, q * g.stackPitch(), in, padded);
                }
                for (int m = 0; m < multiplier; m++) {
                    int o = c * multiplier + m;
                    Arrays.fill(wide, biases == null ? 0 : biases[o]);
                    forwardPlane(tapOffsets, padded, weights, (m * channels + c) * g.taps(), wide, window);
                    for (int q = 0; q < count; q++) {
                        narrow(g, t, q * g.stackPitch() / g.strideHeight(), wide, out);
                        ys.put(yBase + ((first + q) * channels * multiplier + o) * outPlane, out, 0, outPlane);
                    }
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
        int batch = g.batch();
        int channels = g.channels();
        int multiplier = g.multiplier();
        int taps = g.taps();
        int plane = g.planeSize();
        int outPlane = g.outPlaneSize();
        int stack = planesPerStack(g, BACKWARD_STACK);
        DepthwiseGeometry t = g.stacked(stack);
        int paddedSize = t.paddedSize();
        int[] rowStarts = t.rowStarts();
        int[] tapOffsets = t.tapOffsets();
        KernelThreads.forEach(channels, () -> {
            double[] in = new double[plane];
            double[] padded = new double[paddedSize];
            double[] paddedGrad = new double[paddedSize];
            double[] grad = new double[outPlane];
            double[] wideGrad = new double[t.wideSize()]; // zero but where planes' outputs are written
            double[] shifted = new double[paddedSize];
            double[][] sums = new double[multiplier * taps][paddedSize];
            return (IntConsumer) c -> {
                for (double[] s : sums) {
                    Arrays.fill(s, 0);
                }
                double[] biasSums = new double[multiplier];
                for (int first = 0; first < batch; first += stack) {
                    int count = Math.min(stack, batch - first);
                    for (int q = 0; q < count; q++) {
                        xs.get(xBase + ((first + q) * channels + c) * plane, in, 0, plane);
                        pad(g, rowStarts, q * g.stackPitch(), in, padded);
                    }
                    Arrays.fill(paddedGrad, 0);
                    if (count < stack) { // the last, short stack: the planes it lacks must add nothing
                        Arrays.fill(wideGrad, count * g.stackPitch() / g.strideHeight() * t.phaseWidth(),
                                wideGrad.length, 0);
                    }
                    for (int m = 0; m < multiplier; m++) {
                        int o = c * multiplier + m;
                        for (int q = 0; q < count; q++) {
                            gys.get(gyBase + ((first + q) * channels * multiplier + o) * outPlane, grad, 0,
                                    outPlane);
                            if (gb != null) {
                                biasSums[m] += sum(grad, 0, outPlane);
                            }
                            widen(g, t, q * g.stackPitch() / g.strideHeight(), grad, wideGrad);
                        }
                        backwardPlane(tapOffsets, padded, wideGrad, weights, (m * channels + c) * taps, paddedGrad,
                                sums, m * taps, shifted);
                    }
                    for (int q = 0; q < count; q++) {
                        unpad(g, rowStarts, q * g.stackPitch(), paddedGrad, in);
                        gxs.put(gxBase + ((first + q) * channels + c) * plane, in, 0, plane);
                    }
                }
                for (int m = 0; m < multiplier; m++) {
                    for (int k = 0; k < taps; k++) {
                        // a tap's sums lie in its range of the padded plane; the rest is zero
                        weightGrad[(m * channels + c) * taps + k] = sum(sums[m * taps + k], tapOffsets[k],
                                tapOffsets[k] + t.wideSize());
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

    /**
     * Adds the taps of one filter (weights from {@code filter} on), applied to a padded input plane, to a wide output
     * plane; {@code tapOffsets} from {@link DepthwiseGeometry#tapOffsets()}.
     */
    private static void forwardPlane(int[] tapOffsets, double[] padded, double[] weights, int filter, double[] wide,
            double[] window) {
        int n = wide.length;
        for (int tap = 0; tap < tapOffsets.length; tap++) {
            double wv = weights[filter + tap];
            double[] source = padded; // a tap at offset 0 is read in place: same index as wide, no copy
            if (tapOffsets[tap] != 0) {
                System.arraycopy(padded, tapOffsets[tap], window, 0, n);
                source = window;
            }
            for (int j = 0; j < n; j++) {
                wide[j] += wv * source[j];
            }
        }
    }

    /**
     * For one wide output-gradient plane of one filter: adds its contribution to the padded input gradient, and
     * each tap's products to that tap's sums (reduced at the end, so that every loop here is elementwise). Wide
     * output {@code j} of a tap reads padded element {@code p = tapOffset + j}, so the gradient is copied to {@code
     * shifted[p]} and one loop runs over {@code p}: the tap's sums are kept at {@code p} too.
     */
    private static void backwardPlane(int[] tapOffsets, double[] padded, double[] wideGrad, double[] weights,
            int filter, double[] paddedGrad, double[][] sums, int sumsFrom, double[] shifted) {
        int n = wideGrad.length;
        for (int tap = 0; tap < tapOffsets.length; tap++) {
            int from = tapOffsets[tap];
            int to = from + n;
            double[] s = sums[sumsFrom + tap];
            double wv = weights[filter + tap];
            System.arraycopy(wideGrad, 0, shifted, from, n);
            for (int p = from; p < to; p++) {
                double gv = shifted[p];
                s[p] += gv * padded[p];
                paddedGrad[p] += wv * gv;
            }
        }
    }

    /**
     * Copies a plane into the interior of a padded (stacked) plane from row {@code rowFrom} on (its border and the
     * rows between stacked planes stay zero: they are never written): each row as its column phases, one run per
     * phase ({@code rowStarts} from the stacked geometry's {@link DepthwiseGeometry#rowStarts()}).
     */
    private static void pad(DepthwiseGeometry g, int[] rowStarts, int rowFrom, double[] in, double[] padded) {
        int width = g.width();
        int stride = g.strideWidth();
        int phases = g.columnPhases();
        if (stride == 2 && phases == 2) {
            padStride2(g.height(), width, rowStarts, rowFrom, in, padded);
            return;
        }
        for (int y = 0; y < g.height(); y++) {
            for (int x0 = 0; x0 < phases; x0++) {
                int from = y * width + x0;
                int to = rowStarts[(rowFrom + y) * phases + x0];
                int count = (width - x0 + stride - 1) / stride;
                if (stride == 1) {
                    System.arraycopy(in, from, padded, to, count);
                } else {
                    for (int k = 0; k < count; k++) {
                        padded[to + k] = in[from + stride * k];
                    }
                }
            }
        }
    }

    /** Copies the interior of a padded plane into a plane: the reverse of {@link #pad}. */
    private static void unpad(DepthwiseGeometry g, int[] rowStarts, int rowFrom, double[] padded, double[] out) {
        int width = g.width();
        int stride = g.strideWidth();
        int phases = g.columnPhases();
        if (stride == 2 && phases == 2) {
            unpadStride2(g.height(), width, rowStarts, rowFrom, padded, out);
            return;
        }
        for (int y = 0; y < g.height(); y++) {
            for (int x0 = 0; x0 < phases; x0++) {
                int to = y * width + x0;
                int from = rowStarts[(rowFrom + y) * phases + x0];
                int count = (width - x0 + stride - 1) / stride;
                if (stride == 1) {
                    System.arraycopy(padded, from, out, to, count);
                } else {
                    for (int k = 0; k < count; k++) {
                        out[to + stride * k] = padded[from + k];
                    }
                }
            }
        }
    }

    /**
     * {@link #pad} for width stride 2 (the usual one, as a constant) and rows of at least two columns: one pass over
     * each input row, in order, that writes its even columns to the first column phase and its odd ones to the
     * second. One loop per row instead of one per phase, with half the iterations and in-order reads (each of a
     * row's two phase loops read every other element); {@code pairs} is a loop count, so C2 unrolls the loop and
     * drops its bounds checks. The rows of a stacked plane start at {@code rowFrom}.
     */
    private static void padStride2(int height, int width, int[] rowStarts, int rowFrom, double[] in, double[] padded) {
        int pairs = width / 2;
        boolean odd = (width & 1) != 0;
        for (int y = 0; y < height; y++) {
            int from = y * width;
            int even = rowStarts[(rowFrom + y) * 2];
            int oddPhase = rowStarts[(rowFrom + y) * 2 + 1];
            for (int k = 0; k < pairs; k++) {
                padded[even + k] = in[from + 2 * k];
                padded[oddPhase + k] = in[from + 2 * k + 1];
            }
            if (odd) { // the last, even column has no odd partner
                padded[even + pairs] = in[from + 2 * pairs];
            }
        }
    }

    /** The reverse of {@link #padStride2}: each output row written in order from its two column phases. */
    private static void unpadStride2(int height, int width, int[] rowStarts, int rowFrom, double[] padded,
            double[] out) {
        int pairs = width / 2;
        boolean odd = (width & 1) != 0;
        for (int y = 0; y < height; y++) {
            int to = y * width;
            int even = rowStarts[(rowFrom + y) * 2];
            int oddPhase = rowStarts[(rowFrom + y) * 2 + 1];
            for (int k = 0; k < pairs; k++) {
                out[to + 2 * k] = padded[even + k];
                out[to + 2 * k + 1] = padded[oddPhase + k];
            }
            if (odd) {
                out[to + 2 * pairs] = padded[even + pairs];
            }
        }
    }

    /**
     * Copies one plane's valid outputs, the stacked geometry {@code t}'s wide rows from {@code rowFrom} on, into an
     * output plane of {@code g}.
     */
    private static void narrow(DepthwiseGeometry g, DepthwiseGeometry t, int rowFrom, double[] wide, double[] out) {
        int rowLength = t.phaseWidth(); // a record method computes on each call
        int width = g.outWidth();
        for (int oy = 0; oy < g.outHeight(); oy++) {
            System.arraycopy(wide, (rowFrom + oy) * rowLength, out, oy * width, width);
        }
    }

    /** The reverse of {@link #narrow} (the wide plane's other elements are left as they are). */
    private static void widen(DepthwiseGeometry g, DepthwiseGeometry t, int rowFrom, double[] out, double[] wide) {
        int rowLength = t.phaseWidth();
        int width = g.outWidth();
        for (int oy = 0; oy < g.outHeight(); oy++) {
            System.arraycopy(out, oy * width, wide, (rowFrom + oy) * rowLength, width);
        }
    }

    private static double sum(double[] values, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += values[i];
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
