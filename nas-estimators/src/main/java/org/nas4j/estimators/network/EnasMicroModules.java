package org.nas4j.estimators.network;

import org.nas4j.core.random.Seeds;
import org.nas4j.estimators.engine.ParameterSet;

/**
 * The modules of ENAS' micro ops ({@code org.nas4j.core.space.builder.EnasMicroOps}), built as the reference's
 * fixed-arc child builds them (melodyguan/enas, {@code src/cifar10/micro_child.py}: {@code _fixed_conv},
 * {@code _maybe_calibrate_size}, {@code layer_base}, {@code _factorized_reduction}, the end of {@code _model}; BN as
 * {@link EnasModules}: momentum 0.1, epsilon 1e-3). Convolutions have no bias. Strided convolutions and pooling pad
 * {@code k/2} on every side (PyTorch's convention); the reference's TensorFlow {@code "SAME"} pads an even input at
 * the bottom and right only, which shifts the sampled window by one pixel (same shapes and parameters).
 */
final class EnasMicroModules {

    /** The epsilon of {@code _enas_conv}'s {@code tf.nn.fused_batch_norm} (the other BNs: {@code 1e-3}). */
    static final double SEARCH_BN_EPSILON = 1e-5;

    private EnasMicroModules() {
    }

    /** The catalogue with the ENAS micro ops' modules added. */
    static ModuleCatalogue addTo(ModuleCatalogue catalogue) {
        return catalogue.with("enas_micro_sep_conv_3x3", (p, n, in, out, s) -> sepConv(p, n, in, out, 3, s))
                .with("enas_micro_sep_conv_5x5", (p, n, in, out, s) -> sepConv(p, n, in, out, 5, s))
                .with("enas_micro_search_sep_conv_3x3", (p, n, in, out, s) -> searchSepConv(p, n, in, out, 3, s))
                .with("enas_micro_search_sep_conv_5x5", (p, n, in, out, s) -> searchSepConv(p, n, in, out, 5, s))
                .with("enas_identity", EnasMicroModules::identity)
                .with("enas_calibrate", (p, n, in, out, s) -> calibrate(p, n, in, out, s, false))
                .with("enas_calibrate_base", (p, n, in, out, s) -> calibrate(p, n, in, out, s, true))
                .with("enas_calibrate_reduce", (p, n, in, out, s) -> {
                    requireStride1(n, s);
                    return Modules.sequence(Modules.relu(n + ".relu"),
                            EnasModules.factorizedReduce(p, n + ".reduce", in, out, 2));
                })
                .with("enas_micro_head_keep1.0", (p, n, in, classes, s) -> head(p, n, in, classes, 0))
                .with("enas_micro_head_keep0.9", (p, n, in, classes, s) -> head(p, n, in, classes, 0.1))
                .with("enas_micro_head_keep0.8", (p, n, in, classes, s) -> head(p, n, in, classes, 0.2));
    }

    /** {@code _fixed_conv}: (ReLU, depthwise k x k, pointwise to {@code out}, BN) twice, the stride on the first. */
    private static Module sepConv(ParameterSet p, String n, int in, int out, int k, int stride) {
        return Modules.sequence(sepStack(p, n + ".sep_conv_0", in, out, k, stride),
                sepStack(p, n + ".sep_conv_1", out, out, k, 1));
    }

    private static Module sepStack(ParameterSet p, String n, int in, int out, int k, int stride) {
        return Modules.sequence(Modules.relu(n + ".relu"),
                Modules.conv(p, n + ".depthwise", new GraphSink.ConvSpec(in, in, k, stride, k / 2, 1, in)),
                Modules.conv(p, n + ".pointwise", new GraphSink.ConvSpec(in, out, 1, 1, 0, 1, 1)),
                EnasModules.bn(p, n + ".bn", out));
    }

    /**
     * {@code _enas_conv}: (ReLU, depthwise k x k, pointwise to {@code out}, BN) twice at stride 1, the BN as
     * {@code tf.nn.fused_batch_norm(..., epsilon=1e-5)}. The reference's weights of one (node, input state) are one
     * row of a tensor with a row per input state; here each input state's op is a module of its own
     * ({@code ComposedSupernet}), which holds the same numbers.
     */
    private static Module searchSepConv(ParameterSet p, String n, int in, int out, int k, int stride) {
        if (stride != 1) {
            throw new IllegalArgumentException("enas_micro_search_sep_conv_" + k + "x" + k + " runs at stride 1, but"
                    + " was asked for " + stride);
        }
        return Modules.sequence(searchStack(p, n + ".stack_0", in, out, k),
                searchStack(p, n + ".stack_1", out, out, k));
    }

    private static Module searchStack(ParameterSet p, String n, int in, int out, int k) {
        return Modules.sequence(Modules.relu(n + ".relu"),
                Modules.conv(p, n + ".depthwise", new GraphSink.ConvSpec(in, in, k, 1, k / 2, 1, in)),
                Modules.conv(p, n + ".pointwise", new GraphSink.ConvSpec(in, out, 1, 1, 0, 1, 1)),
                Modules.batchNorm(p, n + ".bn", out, true, EnasModules.BN_MOMENTUM, SEARCH_BN_EPSILON));
    }

    /** Op id 4: the input at stride 1, {@code _factorized_reduction} at stride 2. */
    private static Module identity(ParameterSet p, String n, int in, int out, int stride) {
        if (stride == 2) {
            return EnasModules.factorizedReduce(p, n + ".reduce", in, out, 2);
        }
        if (stride != 1 || in != out) {
            throw new IllegalArgumentException("enas_identity keeps its input at stride 1, but was asked for " + in
                    + " -> " + out + " channels at stride " + stride);
        }
        return Modules.identity();
    }

    /** {@code pool_x} (when the channels differ) and, for the second input, {@code pool_y} then {@code layer_base}. */
    private static Module calibrate(ParameterSet p, String n, int in, int out, int stride, boolean base) {
        requireStride1(n, stride);
        Module fix = in == out ? Modules.identity() : reluConvBn(p, n + ".pool", in, out);
        return base ? Modules.sequence(fix, reluConvBn(p, n + ".layer_base", out, out)) : fix;
    }

    private static Module reluConvBn(ParameterSet p, String n, int in, int out) {
        return Modules.sequence(Modules.relu(n + ".relu"),
                Modules.conv(p, n + ".conv", new GraphSink.ConvSpec(in, out, 1, 1, 0, 1, 1)),
                EnasModules.bn(p, n + ".bn", out));
    }

    /** ReLU, global average pooling, dropout with {@code rate} = 1 - keep_prob, linear without bias. */
    private static Module head(ParameterSet p, String n, int in, int classes, double rate) {
        Module classifier = Modules.classifier(p, n + ".fc", in, classes, false);
        Module relu = Modules.relu(n + ".relu");
        return rate == 0 ? Modules.sequence(relu, Modules.globalAveragePool(n + ".gap"), classifier)
                : Modules.sequence(relu, Modules.globalAveragePool(n + ".gap"),
                        Modules.dropout(p, n + ".dropout", rate, Seeds.derive(p.seed(), n + ".dropout")), classifier);
    }

    private static void requireStride1(String name, int stride) {
        if (stride != 1) {
            throw new IllegalArgumentException("the ENAS calibration '" + name + "' runs at stride 1, but was asked"
                    + " for " + stride);
        }
    }
}
