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
 * call), so the cost is in memory layout: each plane is read, row by row, from the native buffer straight into a
 * zero-padded scratch plane, phase-split for strides and read as a "wide" output ({@link DepthwiseGeometry}), so
 * that each kernel tap is one loop over the whole plane. HotSpot 17 vectorizes such a loop only when every array in
 * it is indexed by the same expression (it has no run-time alias check; {@code out[j] += w * in[j + off]} stays
 * scalar, measured 7x slower). Forward, each tap therefore first copies its shifted window into a scratch array
 * ({@code System.arraycopy}, a memmove) and then runs {@code out[j] += w * window[j]} (tap offset 0 needs no
 * copy). Backward turns the shift around: each tap copies the wide output gradient to the tap's offset in a
 * plane-sized array, and one loop over that range then adds to the padded input gradient and to the tap's
 * weight-gradient sums, both kept in padded coordinates: one copy per tap where a window of the input, and a window
 * of the input gradient out and back, would be three. Wide output rows go straight to the native buffer (and come
 * straight from it backward), and so does the interior of the padded input gradient.
 *
 * <p>Small planes of one channel are stacked over the batch into one tall plane ({@link
 * DepthwiseGeometry#stacked}: zero rows between them are their padding), so that one pass per tap covers several;
 * larger planes run one by one (a stack of one). Stacks of one channel (forward) and input channels (backward:
 * input and weight gradients of one channel depend on that channel only) are spread over {@link KernelThreads};
 * nothing is shared between workers except read-only weights and disjoint slots of the weight gradient. Scratch
 * planes are made once per worker: the padded plane's border and the rows between stacked planes are never
 * written, so they stay zero; the padded input gradient is written there too (taps that fall on the padding) and
 * is zeroed before each stack.
 *
 * <p>Arrays are NCHW, contiguous in 'c' order; weights {@code [multiplier, channels, kH, kW]}; output channel
 * {@code c * multiplier + m} is input channel {@code c} convolved with filter {@code m} (libnd4j's and PyTorch's
 * order). Padding is zero padding, dilated taps included (libnd4j's oneDNN path gets that wrong, docs/export.md).
 */
final class FloatDepthwise {

    private FloatDepthwise() {
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
        FloatBuffer xs = x.data().asNioFloat();
        FloatBuffer ys = y.data().asNioFloat();
        int xBase = (int) x.offset();
        int yBase = (int) y.offset();
        float[] weights = read(w);
        float[] biases = bias == null ? null : read(bias);
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
            float[] in = new float[plane];
            float[] padded = new float[t.paddedSize()];
            float[] wide = new float[t.wideSize()];
            float[] window = new float[t.wideSize()];
            float[] out = new float[outPlane];
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
        FloatBuffer xs = x.data().asNioFloat();
        FloatBuffer gys = gy.data().asNioFloat();
        FloatBuffer gxs = gx.data().asNioFloat();
        int xBase = (int) x.offset();
        int gyBase = (int) gy.offset();
        int gxBase = (int) gx.offset();
        float[] weights = read(w);
        float[] weightGrad = new float[weights.length];
        float[] biasGrad = new float[g.outChannels()];
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
            float[] in = new float[plane];
            float[] padded = new float[paddedSize];
            float[] paddedGrad = new float[paddedSize];
            float[] grad = new float[outPlane];
            float[] wideGrad = new float[t.wideSize()]; // zero but where planes' outputs are written
            float[] shifted = new float[paddedSize];
            float[][] sums = new float[multiplier * taps][paddedSize];
            return (IntConsumer) c -> {
                for (float[] s : sums) {
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
                        weightGrad[(m * channels + c) * taps + k] = (float) sum(sums[m * taps + k], tapOffsets[k],
                                tapOffsets[k] + t.wideSize());
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

    /**
     * Adds the taps of one filter (weights from {@code filter} on), applied to a padded input plane, to a wide output
     * plane; {@code tapOffsets} from {@link DepthwiseGeometry#tapOffsets()}.
     */
    private static void forwardPlane(int[] tapOffsets, float[] padded, float[] weights, int filter, float[] wide,
            float[] window) {
        int n = wide.length;
        for (int tap = 0; tap < tapOffsets.length; tap++) {
            float wv = weights[filter + tap];
            float[] source = padded; // a tap at offset 0 is read in place: same index as wide, no copy
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
    private static void backwardPlane(int[] tapOffsets, float[] padded, float[] wideGrad, float[] weights,
            int filter, float[] paddedGrad, float[][] sums, int sumsFrom, float[] shifted) {
        int n = wideGrad.length;
        for (int tap = 0; tap < tapOffsets.length; tap++) {
            int from = tapOffsets[tap];
            int to = from + n;
            float[] s = sums[sumsFrom + tap];
            float wv = weights[filter + tap];
            System.arraycopy(wideGrad, 0, shifted, from, n);
            for (int p = from; p < to; p++) {
                float gv = shifted[p];
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
    private static void pad(DepthwiseGeometry g, int[] rowStarts, int rowFrom, float[] in, float[] padded) {
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
    private static void unpad(DepthwiseGeometry g, int[] rowStarts, int rowFrom, float[] padded, float[] out) {
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
    private static void padStride2(int height, int width, int[] rowStarts, int rowFrom, float[] in, float[] padded) {
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
    private static void unpadStride2(int height, int width, int[] rowStarts, int rowFrom, float[] padded,
            float[] out) {
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
    private static void narrow(DepthwiseGeometry g, DepthwiseGeometry t, int rowFrom, float[] wide, float[] out) {
        int rowLength = t.phaseWidth(); // a record method computes on each call
        int width = g.outWidth();
        for (int oy = 0; oy < g.outHeight(); oy++) {
            System.arraycopy(wide, (rowFrom + oy) * rowLength, out, oy * width, width);
        }
    }

    /** The reverse of {@link #narrow} (the wide plane's other elements are left as they are). */
    private static void widen(DepthwiseGeometry g, DepthwiseGeometry t, int rowFrom, float[] out, float[] wide) {
        int rowLength = t.phaseWidth();
        int width = g.outWidth();
        for (int oy = 0; oy < g.outHeight(); oy++) {
            System.arraycopy(out, oy * width, wide, (rowFrom + oy) * rowLength, width);
        }
    }

    private static double sum(float[] values, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += values[i];
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
