package org.nas4j.core.space.builder;

import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.OpSpecs;
import org.nas4j.core.space.Shape;
import org.nas4j.core.space.builder.OpCatalogue.Kind;

/**
 * The entries of {@link OpCatalogue#standard()}. Every convolution has no bias and is followed by an affine batch
 * norm (as the papers' evaluation networks count them).
 *
 * <table>
 *   <caption>Standard ops</caption>
 *   <tr><th>name</th><th>op</th></tr>
 *   <tr><td>none</td><td>zeros (subsampled at stride 2)</td></tr>
 *   <tr><td>skip_connect</td><td>identity at stride 1; DARTS factorized reduce at stride 2</td></tr>
 *   <tr><td>nor_conv_1x1, _3x3, _5x5, _7x7; conv_1x1, conv_3x3</td><td>ReLU, k x k convolution, BN
 *       (NAS-Bench-201's and DARTS' names)</td></tr>
 *   <tr><td>conv_bn_relu_1x1, _3x3, _5x5, _7x7</td><td>k x k convolution, BN, ReLU (post-activation)</td></tr>
 *   <tr><td>avg_pool_3x3, max_pool_3x3, _5x5, _7x7</td><td>pooling, padding k/2 (the average excludes it)</td></tr>
 *   <tr><td>sep_conv_3x3, _5x5, _7x7</td><td>DARTS separable convolution (twice ReLU, depthwise, pointwise, BN)</td></tr>
 *   <tr><td>dil_conv_3x3, _5x5</td><td>ReLU, depthwise k x k dilation 2, pointwise, BN</td></tr>
 *   <tr><td>conv_3x1_1x3, conv_7x1_1x7</td><td>ReLU, 1 x k then k x 1 convolution, BN</td></tr>
 *   <tr><td>relu_conv_bn_1x1</td><td>the preprocessing of a DARTS cell input</td></tr>
 *   <tr><td>factorized_reduce</td><td>ReLU, two shifted 1x1 stride-2 convolutions concatenated, BN</td></tr>
 *   <tr><td>conv_bn_3x3</td><td>3x3 convolution, BN (a stem)</td></tr>
 *   <tr><td>res_block_3x3</td><td>NAS-Bench-201's residual block: ReLU-conv3x3(stride)-BN, ReLU-conv3x3-BN; shortcut
 *       avg-pool 2x2 and conv 1x1 at stride 2, ReLU-conv1x1-BN when only the channels change, else identity</td></tr>
 *   <tr><td>bn_relu_pool_linear</td><td>a head: BN, ReLU, global average pooling, linear with bias (NAS-Bench-201)</td></tr>
 *   <tr><td>pool_linear</td><td>a head: global average pooling, linear with bias (DARTS)</td></tr>
 *   <tr><td>mbconv_{k}x{k}_e{e}, zero, conv_bn_relu6_1x1, conv_bn_relu6_3x3</td><td>the MobileNetV2 / ProxylessNAS
 *       chain ops ({@link MobileOps})</td></tr>
 *   <tr><td>darts_auxiliary_head</td><td>DARTS' CIFAR auxiliary head (ReLU, 5x5 average pooling stride 3, 1x1
 *       convolution to 128, BN, ReLU, 2x2 convolution to 768, BN, ReLU, linear), for 8x8 maps</td></tr>
 * </table>
 */
public final class StandardOps {

    static final OpCatalogue CATALOGUE = build();

    private StandardOps() {
    }

    private static OpCatalogue build() {
        OpCatalogue c = OpCatalogue.empty()
                .with(OpSpecs.zero("none"), Kind.ZERO)
                .with(skipConnect(), Kind.IDENTITY);
        for (int k : new int[] {1, 3, 5, 7}) {
            c = c.with(OpSpecs.reluConvBn("nor_conv_" + k + "x" + k, k, true))
                    .with(convBn("conv_bn_relu_" + k + "x" + k, k));
        }
        c = c.with(OpSpecs.reluConvBn("conv_1x1", 1, true)).with(OpSpecs.reluConvBn("conv_3x3", 3, true))
                .with(OpSpecs.pool("avg_pool_3x3", 3), Kind.CHANNEL_PRESERVING);
        for (int k : new int[] {3, 5, 7}) {
            c = c.with(OpSpecs.pool("max_pool_" + k + "x" + k, k), Kind.CHANNEL_PRESERVING)
                    .with(OpSpecs.separableConv("sep_conv_" + k + "x" + k, k, true));
        }
        c = c.with(OpSpecs.dilatedConv("dil_conv_3x3", 3, 2, true))
                .with(OpSpecs.dilatedConv("dil_conv_5x5", 5, 2, true))
                .with(factorizedConv("conv_3x1_1x3", 3))
                .with(factorizedConv("conv_7x1_1x7", 7))
                .with(OpSpecs.reluConvBn("relu_conv_bn_1x1", 1, true))
                .with(factorizedReduce())
                .with(convBn("conv_bn_3x3", 3))
                .with(residualBlock("res_block_3x3"))
                .with(head("bn_relu_pool_linear", true))
                .with(head("pool_linear", false))
                .with(dartsAuxiliaryHead());
        return EnasMicroOps.addTo(EnasOps.addTo(MobileOps.addTo(c)));
    }

    /**
     * DARTS' factorized reduce: ReLU, two 1x1 stride-2 convolutions to {@code out/2} channels each (the second on the
     * input shifted by one pixel), concatenated, BN. The reference concatenates maps of equal size only when the
     * input height and width are even, so odd sizes are refused.
     */
    public static OpSpec factorizedReduce() {
        OpSpec inner = OpSpecs.factorizedReduce("factorized_reduce", true);
        return new NamedOpSpec("factorized_reduce") {
            @Override
            public Shape output(Shape input, int out, int stride) {
                if (input.height() % 2 != 0 || input.width() % 2 != 0) {
                    throw new IllegalArgumentException("factorized reduce needs an even height and width, but the"
                            + " input was " + input + "; choose an input size that stays even at each reduction");
                }
                return inner.output(input, out, stride);
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return inner.parameters(in, out, stride);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                output(input, out, stride);
                return inner.multiplyAdds(input, out, stride);
            }
        };
    }

    /** DARTS' {@code skip_connect}: the identity at stride 1, {@link #factorizedReduce()} at stride 2. */
    public static OpSpec skipConnect() {
        OpSpec identity = OpSpecs.identity("skip_connect");
        OpSpec reduce = factorizedReduce();
        return new NamedOpSpec("skip_connect") {
            @Override
            public Shape output(Shape input, int out, int stride) {
                return pick(stride).output(input, out, stride);
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return pick(stride).parameters(in, out, stride);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return pick(stride).multiplyAdds(input, out, stride);
            }

            private OpSpec pick(int stride) {
                if (stride == 1) {
                    return identity;
                }
                if (stride == 2) {
                    return reduce;
                }
                throw new IllegalArgumentException("skip_connect stride must be 1 or 2, but was " + stride);
            }
        };
    }

    /** ReLU, 1 x k convolution with stride (1, s), k x 1 convolution with stride (s, 1), BN (NASNet's conv_7x1_1x7). */
    public static OpSpec factorizedConv(String name, int k) {
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                return new Shape(out, Shape.convolved(input.height(), k, stride, k / 2, 1),
                        Shape.convolved(input.width(), k, stride, k / 2, 1));
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return (long) in * out * k + (long) out * out * k + OpSpecs.bn(out, true);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                Shape o = output(input, out, stride);
                return (long) input.height() * o.width() * out * input.channels() * k
                        + (long) o.height() * o.width() * out * out * k;
            }
        };
    }

    /** A {@code k x k} convolution (padding k/2, no bias) and batch norm: shapes and costs of any such op. */
    static OpSpec convBn(String name, int k) {
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                return new Shape(out, Shape.convolved(input.height(), k, stride, k / 2, 1),
                        Shape.convolved(input.width(), k, stride, k / 2, 1));
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return (long) in * out * k * k + OpSpecs.bn(out, true);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                Shape o = output(input, out, stride);
                return (long) o.height() * o.width() * out * input.channels() * k * k;
            }
        };
    }

    private static OpSpec residualBlock(String name) {
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                Shape main = new Shape(out, Shape.convolved(input.height(), 3, stride, 1, 1),
                        Shape.convolved(input.width(), 3, stride, 1, 1));
                if (stride == 2) {
                    if (input.height() % 2 != 0 || input.width() % 2 != 0) {
                        throw new IllegalArgumentException(name + " at stride 2 needs an even height and width (its"
                                + " shortcut pools 2x2), but the input was " + input);
                    }
                } else if (stride != 1) {
                    throw new IllegalArgumentException(name + " stride must be 1 or 2, but was " + stride);
                }
                return main;
            }

            @Override
            public long parameters(int in, int out, int stride) {
                long p = (long) in * out * 9 + OpSpecs.bn(out, true) + (long) out * out * 9 + OpSpecs.bn(out, true);
                if (stride == 2) {
                    p += (long) in * out;
                } else if (in != out) {
                    p += (long) in * out + OpSpecs.bn(out, true);
                }
                return p;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                Shape o = output(input, out, stride);
                long hw = (long) o.height() * o.width();
                long m = hw * out * input.channels() * 9 + hw * out * out * 9;
                if (stride == 2 || input.channels() != out) {
                    m += hw * out * input.channels();
                }
                return m;
            }
        };
    }

    private static OpSpec head(String name, boolean batchNorm) {
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int classes, int stride) {
                return new Shape(classes, 1, 1);
            }

            @Override
            public long parameters(int in, int classes, int stride) {
                return (batchNorm ? OpSpecs.bn(in, true) : 0) + (long) in * classes + classes;
            }

            @Override
            public long multiplyAdds(Shape input, int classes, int stride) {
                return (long) input.channels() * classes;
            }
        };
    }

    /**
     * DARTS' CIFAR auxiliary head: ReLU, 5x5 average pooling stride 3 (no padding), 1x1 convolution to 128, BN,
     * ReLU, 2x2 convolution to 768, BN, ReLU, linear with bias; its input must pool to 2x2 (8x8 maps).
     */
    private static OpSpec dartsAuxiliaryHead() {
        return new NamedOpSpec("darts_auxiliary_head") {
            @Override
            public Shape output(Shape input, int classes, int stride) {
                int h = Shape.convolved(input.height(), 5, 3, 0, 1);
                int w = Shape.convolved(input.width(), 5, 3, 0, 1);
                if (input.height() < 5 || input.width() < 5 || h != 2 || w != 2) {
                    throw new IllegalArgumentException("darts_auxiliary_head needs a map that its 5x5 pooling"
                            + " (stride 3) reduces to 2x2, but the input was " + input);
                }
                return new Shape(classes, 1, 1);
            }

            @Override
            public long parameters(int in, int classes, int stride) {
                return (long) in * 128 + OpSpecs.bn(128, true) + 128L * 768 * 4 + OpSpecs.bn(768, true)
                        + 768L * classes + classes;
            }

            @Override
            public long multiplyAdds(Shape input, int classes, int stride) {
                return 4L * 128 * input.channels() + 768L * 128 * 4 + 768L * classes;
            }
        };
    }
}
