package org.nas4j.spaces.darts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.OpSpecs;
import org.nas4j.core.space.builder.StandardOps;

/**
 * Specifications of the cell operations of the DARTS code ({@code operations.py}), with the names it uses, and of
 * the NASNet / PNAS operations under the names of the same family of code. All convolutions have no bias and are
 * followed by an affine batch norm; every op maps {@code C} channels to {@code C} channels inside a cell.
 *
 * <table>
 *   <caption>Operations and what they are</caption>
 *   <tr><th>name</th><th>operation</th></tr>
 *   <tr><td>none</td><td>zeros (subsampled at stride 2); a search-time op</td></tr>
 *   <tr><td>skip_connect</td><td>identity at stride 1; factorized reduce at stride 2</td></tr>
 *   <tr><td>max_pool_3x3, max_pool_5x5, max_pool_7x7, avg_pool_3x3</td><td>pooling, padding k/2, no
 *       parameters (average pooling does not count the padding)</td></tr>
 *   <tr><td>sep_conv_3x3, _5x5, _7x7</td><td>(ReLU, depthwise k x k, pointwise 1x1, BN) twice, the first
 *       depthwise with the stride</td></tr>
 *   <tr><td>dil_conv_3x3, _5x5</td><td>ReLU, depthwise k x k dilation 2, pointwise 1x1, BN</td></tr>
 *   <tr><td>conv_1x1, conv_3x3</td><td>ReLU, k x k convolution, BN</td></tr>
 *   <tr><td>conv_3x1_1x3, conv_7x1_1x7</td><td>ReLU, 1 x k convolution (stride along the width), k x 1
 *       convolution (stride along the height), BN</td></tr>
 * </table>
 *
 * <pre>{@code
 * DartsOps.spec("sep_conv_3x3").parameters(36, 36, 1);   // 2 * (36*9 + 36*36 + 2*36) = 3384
 * }</pre>
 */
public final class DartsOps {
    /** Name of the zero op, a search-time op. */
    public static final String NONE = "none";
    /** Name of the skip connection (identity, or factorized reduce at stride 2). */
    public static final String SKIP_CONNECT = "skip_connect";

    private static final Map<String, OpSpec> SPECS = new LinkedHashMap<>();

    static {
        add(OpSpecs.zero(NONE));
        add(OpSpecs.pool("max_pool_3x3", 3));
        add(OpSpecs.pool("avg_pool_3x3", 3));
        add(OpSpecs.pool("max_pool_5x5", 5));
        add(OpSpecs.pool("max_pool_7x7", 7));
        add(StandardOps.skipConnect());
        add(OpSpecs.separableConv("sep_conv_3x3", 3, true));
        add(OpSpecs.separableConv("sep_conv_5x5", 5, true));
        add(OpSpecs.separableConv("sep_conv_7x7", 7, true));
        add(OpSpecs.dilatedConv("dil_conv_3x3", 3, 2, true));
        add(OpSpecs.dilatedConv("dil_conv_5x5", 5, 2, true));
        add(OpSpecs.reluConvBn("conv_1x1", 1, true));
        add(OpSpecs.reluConvBn("conv_3x3", 3, true));
        add(StandardOps.factorizedConv("conv_3x1_1x3", 3));
        add(StandardOps.factorizedConv("conv_7x1_1x7", 7));
    }

    private DartsOps() {
    }

    private static void add(OpSpec spec) {
        SPECS.put(spec.name(), spec);
    }

    /** The names of every operation known here, in a fixed order. */
    public static List<String> names() {
        return List.copyOf(SPECS.keySet());
    }

    /** Whether {@code name} is an operation known here. */
    public static boolean isKnown(String name) {
        return SPECS.containsKey(name);
    }

    /** The specification of operation {@code name}; an exception listing the known names if there is none. */
    public static OpSpec spec(String name) {
        OpSpec spec = SPECS.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown operation '" + name + "'; known operations: " + names());
        }
        return spec;
    }

    /** Whether the op is dropped by drop-path in training: every op but the stride-1 skip connection (identity). */
    public static boolean isDropPathTarget(String name, int stride) {
        return !(SKIP_CONNECT.equals(name) && stride == 1);
    }

    /**
     * The preprocessing of a cell input that comes from a cell of the same resolution: ReLU, 1x1 convolution,
     * BN (the reference's {@code ReLUConvBN(C_in, C, 1, 1, 0)}).
     */
    public static OpSpec reluConvBn1x1() {
        return OpSpecs.reluConvBn("relu_conv_bn_1x1", 1, true);
    }

    /**
     * Factorized reduce: ReLU, two 1x1 stride-2 convolutions to {@code out/2} channels each (the second on the
     * input shifted by one pixel), concatenated, BN. The reference concatenates maps of equal size only when the
     * input height and width are even, so odd sizes are refused.
     */
    public static OpSpec factorizedReduce() {
        return StandardOps.factorizedReduce();
    }
}
