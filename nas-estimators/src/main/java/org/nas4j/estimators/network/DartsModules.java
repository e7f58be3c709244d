package org.nas4j.estimators.network;

import java.util.List;
import org.nas4j.estimators.engine.ParameterSet;

/**
 * The compound ops of DARTS, NASNet and PNAS evaluation cells as exportable {@link Module}s, and their op set as an
 * {@link OpFactory} ({@link #create}), as in the reference {@code operations.py} with affine batch norm and as
 * {@code org.nas4j.spaces.darts.DartsOps} counts them:
 * {@code sep_conv_3x3/5x5/7x7}, {@code dil_conv_3x3/5x5}, {@code max_pool_3x3/5x5/7x7}, {@code avg_pool_3x3}
 * (padding excluded), {@code skip_connect} (identity, or a factorized reduce at stride 2), {@code conv_1x1},
 * {@code conv_3x3} (ReLU, conv, BN) and {@code conv_3x1_1x3}, {@code conv_7x1_1x7} (ReLU, 1 x k conv, k x 1 conv,
 * BN).
 */
public final class DartsModules {

    /** The op names {@link #create} builds. */
    public static final List<String> SUPPORTED = List.of("skip_connect", "max_pool_3x3",
            "max_pool_5x5", "max_pool_7x7", "avg_pool_3x3", "sep_conv_3x3", "sep_conv_5x5", "sep_conv_7x7",
            "dil_conv_3x3", "dil_conv_5x5", "conv_1x1", "conv_3x3", "conv_3x1_1x3", "conv_7x1_1x7");

    private DartsModules() {
    }

    /** Makes a DARTS op; see {@link OpFactory#create}. */
    public static Module create(ParameterSet params, String name, String op, int in, int out, int stride) {
        switch (op) {
            case "skip_connect":
                return stride == 1 && in == out ? Modules.identity()
                        : factorizedReduce(params, name + ".skip", in, out);
            case "max_pool_3x3":
            case "max_pool_5x5":
            case "max_pool_7x7": {
                int k = op.charAt(9) - '0';
                return Modules.maxPool(name + ".maxpool", k, stride, k / 2);
            }
            case "avg_pool_3x3":
                return Modules.averagePool(name + ".avgpool", 3, stride, 1, false);
            case "sep_conv_3x3":
            case "sep_conv_5x5":
            case "sep_conv_7x7": {
                int k = op.charAt(9) - '0';
                return Modules.sequence(dilatedConv(params, name + ".sep.a", in, in, k, stride, 1),
                        dilatedConv(params, name + ".sep.b", in, out, k, 1, 1));
            }
            case "dil_conv_3x3":
            case "dil_conv_5x5": {
                int k = op.charAt(9) - '0';
                return dilatedConv(params, name + ".dil", in, out, k, stride, 2);
            }
            case "conv_1x1":
                return Modules.reluConvBn(params, name + ".conv1x1", in, out, 1, stride, true);
            case "conv_3x3":
                return Modules.reluConvBn(params, name + ".conv3x3", in, out, 3, stride, true);
            case "conv_3x1_1x3":
                return factorizedConv(params, name + ".fac", in, out, 3, stride);
            case "conv_7x1_1x7":
                return factorizedConv(params, name + ".fac", in, out, 7, stride);
            default:
                throw new IllegalArgumentException("unsupported DARTS op '" + op + "'; supported: " + SUPPORTED);
        }
    }

    /**
     * NASNet's factorized {@code k x k} convolution ({@code conv_3x1_1x3}, {@code conv_7x1_1x7}): ReLU, a 1 x k
     * convolution {@code in -> out} with stride {@code (1, stride)} and padding {@code (0, k/2)}, a k x 1
     * convolution {@code out -> out} with stride {@code (stride, 1)} and padding {@code (k/2, 0)}, BN.
     */
    public static Module factorizedConv(ParameterSet params, String name, int in, int out, int kernel, int stride) {
        int pad = kernel / 2;
        return Modules.sequence(Modules.relu(name + ".relu"),
                Modules.conv(params, name + ".row",
                        new GraphSink.ConvSpec(in, out, 1, kernel, 1, stride, 0, pad, 1, 1)),
                Modules.conv(params, name + ".column",
                        new GraphSink.ConvSpec(out, out, kernel, 1, stride, 1, pad, 0, 1, 1)),
                Modules.batchNorm(params, name + ".bn", out, true));
    }

    /** ReLU, depthwise k x k conv (stride, dilation, padding {@code dilation*(k-1)/2}), 1x1 conv, BN. */
    public static Module dilatedConv(ParameterSet params, String name, int in, int out, int kernel, int stride,
            int dilation) {
        return dilatedConv(params, name, in, out, kernel, stride, dilation, true);
    }

    /** As {@link #dilatedConv(ParameterSet, String, int, int, int, int, int)}, BN affine or not (DARTS' search ops). */
    static Module dilatedConv(ParameterSet params, String name, int in, int out, int kernel, int stride,
            int dilation, boolean affine) {
        return Modules.sequence(Modules.relu(name + ".relu"),
                Modules.conv(params, name + ".dw",
                        new GraphSink.ConvSpec(in, in, kernel, stride, dilation * (kernel - 1) / 2, dilation, in)),
                Modules.conv(params, name + ".pw", new GraphSink.ConvSpec(in, out, 1, 1, 0, 1, 1)),
                Modules.batchNorm(params, name + ".bn", out, affine));
    }

    /**
     * DARTS' factorized reduce: ReLU, then two 1x1 stride-2 convs to {@code out/2} channels, the second on the input
     * without its first row and column, concatenated, then BN. Needs even height and width.
     */
    public static Module factorizedReduce(ParameterSet params, String name, int in, int out) {
        return factorizedReduce(params, name, in, out, true);
    }

    /** As {@link #factorizedReduce(ParameterSet, String, int, int)}, BN affine or not (DARTS' search ops). */
    static Module factorizedReduce(ParameterSet params, String name, int in, int out, boolean affine) {
        if (out < 2 || out % 2 != 0) {
            throw new IllegalArgumentException("out must be even and >= 2, but was " + out);
        }
        return Modules.sequence(Modules.relu(name + ".relu"),
                new ShiftedConvPair(params, name + ".conv1", name + ".conv2", name + ".shift", name + ".concat", in,
                        out / 2),
                Modules.batchNorm(params, name + ".bn", out, affine));
    }

    /**
     * The reference's {@code AuxiliaryHeadCIFAR}: ReLU, 5x5 average pooling with stride 3 (no padding), conv 1x1 to
     * 128, BN, ReLU, conv 2x2 to 768, BN, ReLU, linear to the classes; the global pooling of its 1x1 map is the
     * reference's flatten.
     */
    public static Module auxiliaryHead(ParameterSet params, String name, int in, int classes) {
        return Modules.sequence(Modules.relu(name + ".relu0"),
                Modules.averagePool(name + ".avgpool", 5, 3, 0, false),
                Modules.conv(params, name + ".conv1", new GraphSink.ConvSpec(in, 128, 1, 1, 0, 1, 1)),
                Modules.batchNorm(params, name + ".bn1", 128, true),
                Modules.relu(name + ".relu1"),
                Modules.conv(params, name + ".conv2", new GraphSink.ConvSpec(128, 768, 2, 1, 0, 1, 1)),
                Modules.batchNorm(params, name + ".bn2", 768, true),
                Modules.relu(name + ".relu2"),
                Modules.globalAveragePool(name + ".flatten"),
                Modules.classifier(params, name + ".classifier", 768, classes));
    }
}
