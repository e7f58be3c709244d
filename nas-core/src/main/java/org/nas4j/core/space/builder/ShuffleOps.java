package org.nas4j.core.space.builder;

import java.util.List;
import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.OpSpecs;
import org.nas4j.core.space.Shape;

/**
 * Cost formulas of the ShuffleNetV2 choice blocks that Single Path One-Shot (SPOS) searches, counted as the
 * reference implementation builds them (megvii-model/ShuffleNet-Series, {@code OneShot/blocks.py}: convolutions
 * without bias, affine batch norm; multiply-adds are the convolutions' and the classifier's).
 *
 * <p>At stride 1 a block splits its {@code in} channels into two halves (channel shuffle): one passes through, the
 * other goes through the main branch to {@code out - in/2} channels, and the two are concatenated; {@code in} must
 * equal {@code out}. At stride 2 both branches read the whole input: a projection branch (depthwise k x k stride 2,
 * BN, 1x1 to {@code in}, BN, ReLU) and the main branch to {@code out - in} channels. The main branch's hidden width
 * is {@code (int) ((out / 2) * scale)}, the reference's channel search.
 *
 * <table>
 *   <caption>Shuffle ops (not in {@link OpCatalogue#standard()}: in {@link #catalogue()})</caption>
 *   <tr><th>name</th><th>main branch</th></tr>
 *   <tr><td>shuffle_{k}x{k}_c{s}, k in {3, 5, 7}</td><td>1x1 to mid, BN, ReLU; depthwise k x k (stride), BN; 1x1 to
 *       the branch's output, BN, ReLU</td></tr>
 *   <tr><td>shuffle_xception_c{s}</td><td>three times depthwise 3x3 (the first with the stride), BN, 1x1, BN, ReLU;
 *       the 1x1 convolutions map to mid, mid, then the branch's output</td></tr>
 *   <tr><td>pool_linear_no_bias</td><td>a head: global average pooling, linear without bias</td></tr>
 * </table>
 *
 * <p>{@code s} is one of {@link #SCALES}, written as in the reference's {@code scale_list}.
 */
public final class ShuffleOps {

    /** The channel scales of SPOS' channel search. */
    public static final List<String> SCALES = List.of("0.2", "0.4", "0.6", "0.8", "1.0", "1.2", "1.4", "1.6");
    /** The kernels of the Shuffle blocks. */
    public static final List<Integer> KERNELS = List.of(3, 5, 7);

    private static final OpCatalogue CATALOGUE = addTo(OpCatalogue.standard());

    private ShuffleOps() {
    }

    /** The standard catalogue and every shuffle op. */
    public static OpCatalogue catalogue() {
        return CATALOGUE;
    }

    private static OpCatalogue addTo(OpCatalogue catalogue) {
        OpCatalogue c = catalogue;
        for (String s : SCALES) {
            double scale = Double.parseDouble(s);
            for (int k : KERNELS) {
                c = c.with(shuffleBlock(shuffleName(k, s), k, false, scale));
            }
            c = c.with(shuffleBlock(xceptionName(s), 3, true, scale));
        }
        return c.with(linearHead("pool_linear_no_bias"));
    }

    /** The catalogue name of the Shuffle block of {@code kernel} at channel {@code scale}, e.g. {@code shuffle_5x5_c1.2}. */
    public static String shuffleName(int kernel, String scale) {
        return "shuffle_" + kernel + "x" + kernel + "_c" + scale;
    }

    /** The catalogue name of the Xception block at channel {@code scale}, e.g. {@code shuffle_xception_c0.8}. */
    public static String xceptionName(String scale) {
        return "shuffle_xception_c" + scale;
    }

    /**
     * A ShuffleNetV2 block ({@code Shufflenet} or, with {@code xception}, {@code Shuffle_Xception} of the
     * reference) whose main branch has {@code (int) ((out / 2) * scale)} hidden channels.
     */
    public static OpSpec shuffleBlock(String name, int kernel, boolean xception, double scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be > 0, but was " + scale);
        }
        return new OpSpec() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Shape output(Shape input, int out, int stride) {
                int in = input.channels();
                if (stride == 1 && (in != out || in % 2 != 0)) {
                    throw new IllegalArgumentException(name + " at stride 1 splits its input in halves and keeps"
                            + " the width, so it needs an even input width equal to its output width, but maps "
                            + in + " to " + out + " channels");
                }
                if (stride == 2 && out <= in) {
                    throw new IllegalArgumentException(name + " at stride 2 concatenates its input's projection"
                            + " with a branch of out - in channels, so it needs more output than input channels,"
                            + " but maps " + in + " to " + out);
                }
                if (stride != 1 && stride != 2) {
                    throw new IllegalArgumentException(name + " stride must be 1 or 2, but was " + stride);
                }
                return new Shape(out, Shape.convolved(input.height(), kernel, stride, kernel / 2, 1),
                        Shape.convolved(input.width(), kernel, stride, kernel / 2, 1));
            }

            @Override
            public long parameters(int in, int out, int stride) {
                long branchIn = stride == 1 ? in / 2 : in;
                long branchOut = out - branchIn;
                long mid = mid(out);
                long p;
                if (xception) {
                    p = branchIn * 9 + 2 * branchIn + branchIn * mid + 2 * mid
                            + mid * 9 + 2 * mid + mid * mid + 2 * mid
                            + mid * 9 + 2 * mid + mid * branchOut + 2 * branchOut;
                } else {
                    p = branchIn * mid + 2 * mid + mid * kernel * kernel + 2 * mid + mid * branchOut + 2 * branchOut;
                }
                if (stride == 2) {
                    p += (long) in * kernel * kernel + OpSpecs.bn(in, true) + (long) in * in + OpSpecs.bn(in, true);
                }
                return p;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                Shape o = output(input, out, stride);
                long inPixels = (long) input.height() * input.width();
                long outPixels = (long) o.height() * o.width();
                int in = input.channels();
                long branchIn = stride == 1 ? in / 2 : in;
                long branchOut = out - branchIn;
                long mid = mid(out);
                long m;
                if (xception) {
                    m = outPixels * (branchIn * 9 + branchIn * mid + mid * 9 + mid * mid + mid * 9 + mid * branchOut);
                } else {
                    m = inPixels * branchIn * mid + outPixels * (mid * kernel * kernel + mid * branchOut);
                }
                if (stride == 2) {
                    m += outPixels * ((long) in * kernel * kernel + (long) in * in);
                }
                return m;
            }

            private long mid(int out) {
                return (long) ((out / 2) * scale);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** Global average pooling and a linear layer without bias (SPOS' classifier). */
    public static OpSpec linearHead(String name) {
        return new OpSpec() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Shape output(Shape input, int classes, int stride) {
                return new Shape(classes, 1, 1);
            }

            @Override
            public long parameters(int in, int classes, int stride) {
                return (long) in * classes;
            }

            @Override
            public long multiplyAdds(Shape input, int classes, int stride) {
                return (long) input.channels() * classes;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
