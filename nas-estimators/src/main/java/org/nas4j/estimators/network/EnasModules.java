package org.nas4j.estimators.network;

import org.nas4j.core.random.Seeds;
import org.nas4j.estimators.engine.ParameterSet;

/**
 * The modules of ENAS' macro ops ({@code org.nas4j.core.space.builder.EnasOps}), built as the reference's
 * shared-weight child builds them (melodyguan/enas, {@code src/cifar10/general_child.py}: {@code _conv_branch},
 * {@code _pool_branch}, {@code _factorized_reduction}, the end of {@code _model}; {@code image_ops.batch_norm}:
 * decay 0.9, i.e. momentum 0.1 here, epsilon 1e-3). Convolutions have no bias.
 */
final class EnasModules {

    /** The reference's batch-norm epsilon ({@code image_ops.batch_norm(..., epsilon=1e-3)}). */
    static final double BN_EPSILON = 1e-3;
    /** The batch-norm momentum, PyTorch's convention, of the reference's {@code decay=0.9}. */
    static final double BN_MOMENTUM = 0.1;

    private EnasModules() {
    }

    /** The catalogue with the ENAS macro ops' modules added. */
    static ModuleCatalogue addTo(ModuleCatalogue catalogue) {
        return catalogue.with("enas_conv_3x3", (p, n, in, out, s) -> conv(p, n, in, out, 3, false, s))
                .with("enas_conv_5x5", (p, n, in, out, s) -> conv(p, n, in, out, 5, false, s))
                .with("enas_sep_conv_3x3", (p, n, in, out, s) -> conv(p, n, in, out, 3, true, s))
                .with("enas_sep_conv_5x5", (p, n, in, out, s) -> conv(p, n, in, out, 5, true, s))
                .with("enas_avg_pool_3x3", (p, n, in, out, s) -> pool(p, n, in, out, false, s))
                .with("enas_max_pool_3x3", (p, n, in, out, s) -> pool(p, n, in, out, true, s))
                .with("enas_factorized_reduce", EnasModules::factorizedReduce)
                .with("batch_norm", (p, n, in, out, s) -> bn(p, n + ".bn", out))
                .with("enas_fixed_conv_3x3", (p, n, in, out, s) -> fixedConv(p, n, in, out, 3, s))
                .with("enas_fixed_sep_conv_3x3", (p, n, in, out, s) -> fixedConv(p, n, in, out, 3, s))
                .with("enas_fixed_conv_5x5", (p, n, in, out, s) -> fixedConv(p, n, in, out, 5, s))
                .with("enas_fixed_sep_conv_5x5", (p, n, in, out, s) -> fixedConv(p, n, in, out, 5, s))
                .with("enas_relu_conv_1x1", (p, n, in, out, s) -> {
                    requireStride1(n, s);
                    return Modules.sequence(Modules.relu(n + ".relu"),
                            Modules.conv(p, n + ".conv", new GraphSink.ConvSpec(in, out, 1, 1, 0, 1, 1)));
                })
                .with("enas_range_conv_3x3", (p, n, in, out, s) -> rangeConv(p, n, in, out, 3, false, s))
                .with("enas_range_sep_conv_3x3", (p, n, in, out, s) -> rangeConv(p, n, in, out, 3, true, s))
                .with("enas_range_conv_5x5", (p, n, in, out, s) -> rangeConv(p, n, in, out, 5, false, s))
                .with("enas_range_sep_conv_5x5", (p, n, in, out, s) -> rangeConv(p, n, in, out, 5, true, s))
                .with("enas_range_avg_pool_3x3", (p, n, in, out, s) -> pool(p, n, in, out, false, s))
                .with("enas_range_max_pool_3x3", (p, n, in, out, s) -> pool(p, n, in, out, true, s))
                .with("enas_bn_relu", (p, n, in, out, s) -> Modules.sequence(bn(p, n + ".bn", out),
                        Modules.relu(n + ".relu")))
                .with("enas_head_keep1.0", (p, n, in, classes, s) -> head(p, n, in, classes, 0))
                .with("enas_head_keep0.9", (p, n, in, classes, s) -> head(p, n, in, classes, 0.1))
                .with("enas_head_keep0.5", (p, n, in, classes, s) -> head(p, n, in, classes, 0.5));
    }

    /** {@code inp_conv_1} / {@code conv_1}: 1x1 convolution, BN, ReLU. */
    private static Module inputConv(ParameterSet p, String n, int in, int out) {
        return Modules.sequence(Modules.conv(p, n + ".inp_conv", new GraphSink.ConvSpec(in, out, 1, 1, 0, 1, 1)),
                bn(p, n + ".inp_bn", out), Modules.relu(n + ".inp_relu"));
    }

    private static Module conv(ParameterSet p, String n, int in, int out, int k, boolean separable, int stride) {
        requireStride1(n, stride);
        Module body = separable
                ? Modules.sequence(
                        Modules.conv(p, n + ".depthwise", new GraphSink.ConvSpec(out, out, k, 1, k / 2, 1, out)),
                        Modules.conv(p, n + ".pointwise", new GraphSink.ConvSpec(out, out, 1, 1, 0, 1, 1)))
                : Modules.conv(p, n + ".conv", new GraphSink.ConvSpec(out, out, k, 1, k / 2, 1, 1));
        return Modules.sequence(inputConv(p, n, in, out), body, bn(p, n + ".out_bn", out),
                Modules.relu(n + ".out_relu"));
    }

    /**
     * A branch on a channel range of {@code out} channels ({@code whole_channels=False}): {@code inp_conv_1} on the
     * whole layer ({@code in -> in}), BN, ReLU, then the range's rows of {@code out_conv} ({@code in -> out};
     * separable: depthwise on {@code in}, pointwise {@code in -> out}), BN, ReLU. The parameter names are the
     * whole-layer branch's ({@link #conv}), so that a range is a slice of them.
     */
    private static Module rangeConv(ParameterSet p, String n, int in, int out, int k, boolean separable,
            int stride) {
        requireStride1(n, stride);
        Module body = separable
                ? Modules.sequence(
                        Modules.conv(p, n + ".depthwise", new GraphSink.ConvSpec(in, in, k, 1, k / 2, 1, in)),
                        Modules.conv(p, n + ".pointwise", new GraphSink.ConvSpec(in, out, 1, 1, 0, 1, 1)))
                : Modules.conv(p, n + ".conv", new GraphSink.ConvSpec(in, out, k, 1, k / 2, 1, 1));
        return Modules.sequence(inputConv(p, n, in, in), body, bn(p, n + ".out_bn", out),
                Modules.relu(n + ".out_relu"));
    }

    /**
     * {@code _fixed_layer}'s branch: ReLU, 1x1 conv, BN ({@code conv_1x1}), ReLU, k x k conv, BN
     * ({@code conv_kxk}); the reference builds op ids 1 and 3 this way too.
     */
    private static Module fixedConv(ParameterSet p, String n, int in, int out, int k, int stride) {
        requireStride1(n, stride);
        return Modules.sequence(Modules.relu(n + ".relu1"),
                Modules.conv(p, n + ".conv_1x1", new GraphSink.ConvSpec(in, out, 1, 1, 0, 1, 1)),
                bn(p, n + ".bn1", out), Modules.relu(n + ".relu2"),
                Modules.conv(p, n + ".conv_" + k + "x" + k, new GraphSink.ConvSpec(out, out, k, 1, k / 2, 1, 1)),
                bn(p, n + ".bn2", out));
    }

    private static Module pool(ParameterSet p, String n, int in, int out, boolean max, int stride) {
        requireStride1(n, stride);
        // tf.layers.*_pooling2d(x, [3, 3], [1, 1], "SAME"): the average counts the pixels inside the map only
        Module pooling = max ? Modules.maxPool(n + ".maxpool", 3, 1, 1)
                : Modules.averagePool(n + ".avgpool", 3, 1, 1, false);
        return Modules.sequence(inputConv(p, n, in, out), pooling);
    }

    /**
     * {@code _factorized_reduction(x, out, 2)}: a 1x1 conv to {@code out/2} of {@code x} sampled at stride 2, one of
     * {@code x} shifted by one pixel (padded at the bottom and right, then cropped at the top and left: for even
     * sizes the same samples as cropping first), concatenated, BN; no ReLU (DARTS' has one).
     */
    static Module factorizedReduce(ParameterSet p, String n, int in, int out, int stride) {
        if (stride != 2 || out < 2 || out % 2 != 0) {
            throw new IllegalArgumentException("enas_factorized_reduce needs stride 2 and an even out >= 2, but had"
                    + " stride=" + stride + ", out=" + out);
        }
        return Modules.sequence(new ShiftedConvPair(p, n + ".path1", n + ".path2", n + ".shift", n + ".concat", in,
                out / 2), bn(p, n + ".bn", out));
    }

    /** Global average pooling, dropout with {@code rate} = 1 - keep_prob, linear without bias. */
    private static Module head(ParameterSet p, String n, int in, int classes, double rate) {
        Module classifier = Modules.classifier(p, n + ".fc", in, classes, false);
        return rate == 0 ? Modules.sequence(Modules.globalAveragePool(n + ".gap"), classifier)
                : Modules.sequence(Modules.globalAveragePool(n + ".gap"),
                        Modules.dropout(p, n + ".dropout", rate, Seeds.derive(p.seed(), n + ".dropout")), classifier);
    }

    static Module bn(ParameterSet p, String n, int channels) {
        return Modules.batchNorm(p, n, channels, true, BN_MOMENTUM, BN_EPSILON);
    }

    /** The engine layer of {@link #bn} (the same parameters and statistics), for {@link EnasRangeModules}. */
    static org.nas4j.estimators.engine.ops.BatchNorm bnLayer(ParameterSet p, String n, int channels) {
        return new org.nas4j.estimators.engine.ops.BatchNorm(p, n, channels, true, BN_MOMENTUM, BN_EPSILON);
    }

    /** The check of every ENAS branch's stride (the reference's branches run at stride 1). */
    static void requireStride1(String name, int stride) {
        if (stride != 1) {
            throw new IllegalArgumentException("the ENAS branch '" + name + "' runs at stride 1, but was asked for "
                    + stride);
        }
    }
}
