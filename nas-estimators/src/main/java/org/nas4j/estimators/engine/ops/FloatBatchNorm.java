package org.nas4j.estimators.engine.ops;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The passes of {@link BatchNorm} over NCHW activations in Java for FLOAT arrays: the per-channel statistics
 * forward (mean, then centred squares), the normalization, the per-channel gradient sums backward
 * ({@code sum(gy)}, {@code sum(gy * x)}) and the input gradient {@code gx = (a x + b) + s gy}. {@link
 * DoubleBatchNorm} is its DOUBLE twin, made from this file by replacing the element type (keep the two in step).
 *
 * <p>Why: through libnd4j each of these was one to four native calls and an activation-sized pass per call (four
 * matrix products for two channel sums, a product array for {@code gy * x}, a multiply and an add per term of the
 * input gradient); here each image is read once per pass (one bulk copy) and handled in Java. Every loop runs
 * over a whole image, {@code C * H * W} elements, with every array indexed by the same {@code j} (what HotSpot 17
 * needs to vectorize it; per-channel coefficients are expanded once per call into image-sized rows): sums are
 * taken "vertically", an image-sized row accumulating the images ({@code acc[j] += v[j]}), and only that row is
 * reduced per channel at the end, in double. Loops per channel plane measured slower than libnd4j at 4x4 planes
 * (loop overhead per 16 elements). Images are spread over {@link KernelThreads} in fixed contiguous slices, one
 * set of rows per slice,
 * the slices' totals added in order: the same sums in the same order on every run at the same thread count.
 *
 * <p>Arrays are contiguous NCHW ({@code [B, C, H, W]}, 'c' order) from their offsets.
 */
final class FloatBatchNorm {

    /** Slots of {@link KernelScratch}: the caller's expanded coefficients, the workers' images, the caller's rows. */
    private static final int FIRST = 0;
    private static final int SECOND = 1;
    private static final int THIRD = 2;
    private static final int IMAGE = 3;
    private static final int GRADIENT = 4;
    private static final int MASK_MEAN = 5;
    private static final int MASK_SCALE = 6;
    private static final int MASK_SHIFT = 7;
    private static final int ROWS = 8;

    /**
     * Two factors whose product takes any positive float, the smallest subnormal (2^-149) included, to at least 1
     * (2^-149 * 2^126 * 2^100 = 2^77), applied one after the other (Java does not reassociate them): {@code min(1,
     * max(0, v) * A * B)} is the step function {@code v > 0 ? 1 : 0} without a branch, which HotSpot vectorizes (it
     * does not vectorize the conditional).
     */
    private static final float STEP_A = 0x1p126f;
    private static final float STEP_B = 0x1p100f;

    private FloatBatchNorm() {
    }

    /** Per-channel sums of {@code x} (when {@code centre} is null) or of {@code (x - centre)^2}. */
    static double[] channelSums(INDArray x, double[] centre) {
        int batch = (int) x.size(0);
        int channels = (int) x.size(1);
        int plane = (int) (x.size(2) * x.size(3));
        int size = channels * plane;
        FloatBuffer xs = x.data().asNioFloat();
        int xBase = (int) x.offset();
        KernelScratch scratch = KernelScratch.ofThisThread();
        float[] m = centre == null ? null : expand(centre, plane, scratch.floats(FIRST, size));
        int slices = Math.min(batch, KernelThreads.parallelism());
        float[][] rows = new float[slices][];
        for (int i = 0; i < slices; i++) {
            rows[i] = scratch.zeroFloats(ROWS + i, size);
        }
        KernelThreads.forEach(slices, () -> {
            float[] image = KernelScratch.ofThisThread().floats(IMAGE, size);
            return slice -> {
                float[] acc = rows[slice];
                for (int b = slice * batch / slices; b < (slice + 1) * batch / slices; b++) {
                    xs.get(xBase + b * size, image, 0, size);
                    if (m == null) {
                        for (int j = 0; j < size; j++) {
                            acc[j] += image[j];
                        }
                    } else {
                        for (int j = 0; j < size; j++) {
                            float d = image[j] - m[j];
                            acc[j] += d * d;
                        }
                    }
                }
            };
        });
        return reduce(rows, channels, plane);
    }

    /**
     * {@code y = (x - mean) * scale + shift}, per channel, followed by {@code activation} ({@code max(0, .)} for
     * ReLU, {@code min(6, max(0, .))} for ReLU6).
     */
    static void normalize(INDArray x, double[] mean, double[] scale, double[] shift, BatchNorm.Activation activation,
            INDArray y) {
        int batch = (int) x.size(0);
        int channels = (int) x.size(1);
        int plane = (int) (x.size(2) * x.size(3));
        int size = channels * plane;
        FloatBuffer xs = x.data().asNioFloat();
        FloatBuffer ys = y.data().asNioFloat();
        int xBase = (int) x.offset();
        int yBase = (int) y.offset();
        KernelScratch scratch = KernelScratch.ofThisThread();
        float[] m = expand(mean, plane, scratch.floats(FIRST, size));
        float[] k = expand(scale, plane, scratch.floats(SECOND, size));
        float[] t = expand(shift, plane, scratch.floats(THIRD, size));
        KernelThreads.forEach(batch, () -> {
            float[] image = KernelScratch.ofThisThread().floats(IMAGE, size);
            return b -> {
                xs.get(xBase + b * size, image, 0, size);
                switch (activation) {
                    case NONE -> {
                        for (int j = 0; j < size; j++) {
                            image[j] = (image[j] - m[j]) * k[j] + t[j];
                        }
                    }
                    case RELU -> {
                        for (int j = 0; j < size; j++) {
                            image[j] = Math.max(0f, (image[j] - m[j]) * k[j] + t[j]);
                        }
                    }
                    case RELU6 -> {
                        for (int j = 0; j < size; j++) {
                            image[j] = Math.min(6f, Math.max(0f, (image[j] - m[j]) * k[j] + t[j]));
                        }
                    }
                }
                ys.put(yBase + b * size, image, 0, size);
            };
        });
    }

    /**
     * Per-channel {@code sum(gy)} into {@code sumGrad} and {@code sum(gy * x)} into {@code sumGradX}, where
     * {@code gy} is first multiplied by the derivative of {@code mask}'s activation at the normalized value (the
     * fused activation's backward; nothing for a null mask).
     */
    static void gradientSums(INDArray x, INDArray gy, ActivationMask mask, double[] sumGrad, double[] sumGradX) {
        int batch = (int) x.size(0);
        int channels = (int) x.size(1);
        int plane = (int) (x.size(2) * x.size(3));
        int size = channels * plane;
        FloatBuffer xs = x.data().asNioFloat();
        FloatBuffer gys = gy.data().asNioFloat();
        int xBase = (int) x.offset();
        int gyBase = (int) gy.offset();
        int slices = Math.min(batch, KernelThreads.parallelism());
        KernelScratch scratch = KernelScratch.ofThisThread();
        float[][] grads = new float[slices][];
        float[][] products = new float[slices][];
        for (int i = 0; i < slices; i++) {
            grads[i] = scratch.zeroFloats(ROWS + i, size);
            products[i] = scratch.zeroFloats(ROWS + slices + i, size);
        }
        Rows masked = Rows.of(mask, plane, scratch);
        KernelThreads.forEach(slices, () -> {
            KernelScratch own = KernelScratch.ofThisThread();
            float[] image = own.floats(IMAGE, size);
            float[] grad = own.floats(GRADIENT, size);
            return slice -> {
                float[] g = grads[slice];
                float[] gx = products[slice];
                for (int b = slice * batch / slices; b < (slice + 1) * batch / slices; b++) {
                    xs.get(xBase + b * size, image, 0, size);
                    gys.get(gyBase + b * size, grad, 0, size);
                    masked.apply(image, grad, size);
                    for (int j = 0; j < size; j++) {
                        g[j] += grad[j];
                        gx[j] += grad[j] * image[j];
                    }
                }
            };
        });
        System.arraycopy(reduce(grads, channels, plane), 0, sumGrad, 0, channels);
        System.arraycopy(reduce(products, channels, plane), 0, sumGradX, 0, channels);
    }

    /** {@code gx = (a * x + b) + s * gy}, per channel, {@code gy} masked as in {@link #gradientSums}. */
    static void inputGradient(INDArray x, INDArray gy, ActivationMask mask, double[] a, double[] b, double[] s,
            INDArray gx) {
        int batch = (int) x.size(0);
        int channels = (int) x.size(1);
        int plane = (int) (x.size(2) * x.size(3));
        int size = channels * plane;
        FloatBuffer xs = x.data().asNioFloat();
        FloatBuffer gys = gy.data().asNioFloat();
        FloatBuffer gxs = gx.data().asNioFloat();
        int xBase = (int) x.offset();
        int gyBase = (int) gy.offset();
        int gxBase = (int) gx.offset();
        KernelScratch scratch = KernelScratch.ofThisThread();
        float[] fa = expand(a, plane, scratch.floats(FIRST, size));
        float[] fb = expand(b, plane, scratch.floats(SECOND, size));
        float[] fs = expand(s, plane, scratch.floats(THIRD, size));
        Rows masked = Rows.of(mask, plane, scratch);
        KernelThreads.forEach(batch, () -> {
            KernelScratch own = KernelScratch.ofThisThread();
            float[] image = own.floats(IMAGE, size);
            float[] grad = own.floats(GRADIENT, size);
            return n -> {
                xs.get(xBase + n * size, image, 0, size);
                gys.get(gyBase + n * size, grad, 0, size);
                masked.apply(image, grad, size);
                for (int j = 0; j < size; j++) {
                    image[j] = (fa[j] * image[j] + fb[j]) + fs[j] * grad[j];
                }
                gxs.put(gxBase + n * size, image, 0, size);
            };
        });
    }

    /**
     * A fused activation's mask as image-sized rows: the forward pass's mean, scale and shift expanded, so that the
     * normalized value is recomputed bit for bit as {@link #normalize} computed it (same rows, same expression).
     */
    private record Rows(BatchNorm.Activation activation, float[] mean, float[] scale, float[] shift) {

        static Rows of(ActivationMask mask, int plane, KernelScratch scratch) {
            if (mask == null || mask.activation() == BatchNorm.Activation.NONE) {
                return new Rows(BatchNorm.Activation.NONE, null, null, null);
            }
            int size = mask.mean().length * plane;
            return new Rows(mask.activation(), expand(mask.mean(), plane, scratch.floats(MASK_MEAN, size)),
                    expand(mask.scale(), plane, scratch.floats(MASK_SCALE, size)),
                    expand(mask.shift(), plane, scratch.floats(MASK_SHIFT, size)));
        }

        /**
         * Multiplies {@code grad} by the activation's derivative at the normalized {@code image}: ReLU's {@code v >
         * 0}, ReLU6's {@code 0 < v <= 6} ({@link Relu}, {@link Relu6}), each as branch-free steps.
         */
        void apply(float[] image, float[] grad, int size) {
            float[] m = mean;
            float[] k = scale;
            float[] t = shift;
            switch (activation) {
                case NONE -> {
                }
                case RELU -> {
                    for (int j = 0; j < size; j++) {
                        float v = (image[j] - m[j]) * k[j] + t[j];
                        grad[j] *= Math.min(1f, Math.max(0f, v) * STEP_A * STEP_B);
                    }
                }
                case RELU6 -> {
                    for (int j = 0; j < size; j++) {
                        float v = (image[j] - m[j]) * k[j] + t[j];
                        grad[j] *= Math.min(1f, Math.max(0f, v) * STEP_A * STEP_B)
                                * (1f - Math.min(1f, Math.max(0f, v - 6f) * STEP_A * STEP_B));
                    }
                }
            }
        }
    }

    /** Each channel's part of the rows, summed over slices in order, then over positions, in double. */
    private static double[] reduce(float[][] rows, int channels, int plane) {
        double[] sums = new double[channels];
        for (float[] slice : rows) {
            for (int c = 0; c < channels; c++) {
                double s = 0;
                for (int p = c * plane; p < (c + 1) * plane; p++) {
                    s += slice[p];
                }
                sums[c] += s;
            }
        }
        return sums;
    }

    /**
     * Each channel's value repeated over its plane into {@code row}: a row that lines up with an image, element by
     * element.
     */
    private static float[] expand(double[] perChannel, int plane, float[] row) {
        for (int c = 0; c < perChannel.length; c++) {
            java.util.Arrays.fill(row, c * plane, (c + 1) * plane, (float) perChannel[c]);
        }
        return row;
    }
}
