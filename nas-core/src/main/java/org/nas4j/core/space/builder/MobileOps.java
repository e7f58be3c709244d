package org.nas4j.core.space.builder;

import java.util.List;
import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.OpSpecs;
import org.nas4j.core.space.Shape;

/**
 * Cost formulas of the MobileNetV2-style chain ops that ProxylessNAS searches, counted as its reference
 * implementation counts them (mit-han-lab/proxylessnas, {@code proxyless_nas/layers.py}: every convolution without
 * bias and followed by an affine batch norm; multiply-adds are the convolutions' and the classifier's, batch norm,
 * activations and additions are free).
 *
 * <table>
 *   <caption>Mobile ops</caption>
 *   <tr><th>name</th><th>op</th></tr>
 *   <tr><td>mbconv_{k}x{k}_e{e}, k in {3, 5, 7}, e in {1, 3, 6}</td><td>the inverted residual block: 1x1 convolution
 *       to {@code e * in} channels, BN, ReLU6 (absent when e = 1); depthwise k x k convolution with the stride, BN,
 *       ReLU6; 1x1 convolution to {@code out}, BN; plus the input when the stride is 1 and {@code in == out}</td></tr>
 *   <tr><td>zero</td><td>a skipped searchable layer: the block's identity shortcut only; stride 1, same width</td></tr>
 *   <tr><td>conv_bn_relu6_1x1, conv_bn_relu6_3x3</td><td>convolution, BN, ReLU6 (the first convolution and the
 *       feature-mix layer)</td></tr>
 * </table>
 *
 * <p>The classifier of these networks is {@code pool_linear} (global average pooling, linear with bias).
 */
public final class MobileOps {

    /** The kernels of the MBConv entries. */
    public static final List<Integer> KERNELS = List.of(3, 5, 7);
    /** The expansion ratios of the MBConv entries. */
    public static final List<Integer> EXPANSIONS = List.of(1, 3, 6);

    private MobileOps() {
    }

    /** This catalogue with every mobile op added. */
    static OpCatalogue addTo(OpCatalogue catalogue) {
        OpCatalogue c = catalogue.with(zero("zero"), OpCatalogue.Kind.IDENTITY);
        for (int e : EXPANSIONS) {
            for (int k : KERNELS) {
                c = c.with(mbConv(mbConvName(k, e), k, e));
            }
        }
        return c.with(convBnRelu6("conv_bn_relu6_1x1", 1)).with(convBnRelu6("conv_bn_relu6_3x3", 3));
    }

    /** The catalogue name of the MBConv block with {@code kernel} and {@code expansion}, e.g. {@code mbconv_5x5_e3}. */
    public static String mbConvName(int kernel, int expansion) {
        return "mbconv_" + kernel + "x" + kernel + "_e" + expansion;
    }

    /**
     * The inverted residual block of MobileNetV2 as ProxylessNAS' {@code MBInvertedConvLayer}: the hidden width is
     * {@code expansion * in}; with expansion 1 there is no expanding convolution. The identity shortcut (stride 1,
     * {@code in == out}) adds no parameters and no multiply-adds.
     */
    public static OpSpec mbConv(String name, int kernel, int expansion) {
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("kernel must be odd and >= 1, but was " + kernel);
        }
        if (expansion < 1) {
            throw new IllegalArgumentException("expansion must be >= 1, but was " + expansion);
        }
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                return new Shape(out, Shape.convolved(input.height(), kernel, stride, kernel / 2, 1),
                        Shape.convolved(input.width(), kernel, stride, kernel / 2, 1));
            }

            @Override
            public long parameters(int in, int out, int stride) {
                long hidden = (long) in * expansion;
                long expand = expansion == 1 ? 0 : in * hidden + 2 * hidden;
                return expand + hidden * kernel * kernel + 2 * hidden + hidden * out + OpSpecs.bn(out, true);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                Shape o = output(input, out, stride);
                long hidden = (long) input.channels() * expansion;
                long inputPixels = (long) input.height() * input.width();
                long outputPixels = (long) o.height() * o.width();
                long expand = expansion == 1 ? 0 : inputPixels * input.channels() * hidden;
                return expand + outputPixels * hidden * kernel * kernel + outputPixels * hidden * out;
            }
        };
    }

    /**
     * A searchable layer left out ({@code ZeroLayer} in a block with an identity shortcut): the output is the input.
     * Only at stride 1; the catalogue's {@link OpCatalogue.Kind#IDENTITY} keeps the width.
     */
    public static OpSpec zero(String name) {
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                if (stride != 1) {
                    throw new IllegalArgumentException(name + " skips a layer, so its stride must be 1, but was "
                            + stride);
                }
                return input;
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return 0;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return 0;
            }
        };
    }

    /** A {@code kernel x kernel} convolution with padding kernel/2, BN, ReLU6 ({@code ConvLayer}, weight_bn_act). */
    public static OpSpec convBnRelu6(String name, int kernel) {
        return StandardOps.convBn(name, kernel); // ReLU6 has no parameters and no multiply-adds
    }
}
