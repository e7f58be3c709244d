package org.nas4j.estimators.network;

import org.nas4j.core.space.builder.ShuffleOps;
import org.nas4j.estimators.engine.ParameterSet;

/**
 * The modules of the ShuffleNetV2 choice blocks of {@code org.nas4j.core.space.builder.ShuffleOps} (Single Path
 * One-Shot), with the layers of the reference (megvii-model/ShuffleNet-Series, {@code OneShot/blocks.py},
 * {@code Shufflenet} and {@code Shuffle_Xception}) in its order: convolutions without bias, affine batch norm.
 *
 * <ul>
 *   <li>Stride 1 ({@code in == out}, even): the channel shuffle ({@link Modules#channelShuffle}, groups 2) puts the
 *       even channels first; of those, the first half passes through and the second half (the odd channels) goes
 *       through the main branch to {@code out - in / 2} channels; the two are concatenated
 *       ({@link Modules#channelSplit}).</li>
 *   <li>Stride 2 ({@code out > in}): the projection branch (depthwise k x k stride 2, BN, 1x1 to {@code in}, BN,
 *       ReLU) and the main branch (to {@code out - in}) read the whole input; their outputs are concatenated
 *       ({@link Modules#concatBranches}).</li>
 * </ul>
 * The main branch's hidden width is {@code (int) ((out / 2) * scale)}.
 */
final class ShuffleModules {

    private ShuffleModules() {
    }

    /** This catalogue with a module for every shuffle op and the head without bias. */
    static ModuleCatalogue addTo(ModuleCatalogue catalogue) {
        ModuleCatalogue c = catalogue;
        for (String s : ShuffleOps.SCALES) {
            double scale = Double.parseDouble(s);
            for (int k : ShuffleOps.KERNELS) {
                c = c.with(ShuffleOps.shuffleName(k, s),
                        (p, n, in, out, stride) -> block(p, n, in, out, k, false, scale, stride))
                        .withSlice(ShuffleOps.shuffleName(k, s),
                                new ModuleCatalogue.Slice("shuffle_" + k + "x" + k, scale));
            }
            c = c.with(ShuffleOps.xceptionName(s),
                    (p, n, in, out, stride) -> block(p, n, in, out, 3, true, scale, stride))
                    .withSlice(ShuffleOps.xceptionName(s), new ModuleCatalogue.Slice("shuffle_xception", scale));
        }
        return c.with("pool_linear_no_bias", (p, n, in, classes, s) -> Modules.sequence(
                Modules.globalAveragePool(n + ".gap"), Modules.classifier(p, n + ".classifier", in, classes, false)));
    }

    /**
     * A ShuffleNetV2 block: {@code Shufflenet} of {@code kernel}, or with {@code xception} {@code Shuffle_Xception}
     * (whose kernel is 3), whose main branch has {@code (int) ((out / 2) * scale)} hidden channels.
     */
    static Module block(ParameterSet p, String n, int in, int out, int kernel, boolean xception, double scale,
            int stride) {
        if (stride == 1 && (in != out || in % 2 != 0)) {
            throw new IllegalArgumentException("shuffle block '" + n + "' at stride 1 splits its input in halves and"
                    + " keeps the width, so it needs an even input width equal to its output width, but maps " + in
                    + " to " + out + " channels");
        }
        if (stride == 2 && out <= in) {
            throw new IllegalArgumentException("shuffle block '" + n + "' at stride 2 needs more output than input"
                    + " channels, but maps " + in + " to " + out);
        }
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("shuffle block '" + n + "' stride must be 1 or 2, but was " + stride);
        }
        int mid = (int) ((out / 2) * scale);
        if (mid < 1) {
            throw new IllegalArgumentException("shuffle block '" + n + "' hidden width (int) ((out / 2) * scale) ="
                    + " (int) ((" + out + " / 2) * " + scale + ") must be >= 1, but was " + mid);
        }
        int branchIn = stride == 1 ? in / 2 : in;
        int branchOut = out - branchIn;
        Module main = xception ? xceptionBranch(p, n + ".main", branchIn, mid, branchOut, stride)
                : shuffleBranch(p, n + ".main", branchIn, mid, branchOut, kernel, stride);
        if (stride == 1) {
            return Modules.sequence(Modules.channelShuffle(n + ".shuffle", 2),
                    Modules.channelSplit(n, in, in / 2, main));
        }
        return Modules.concatBranches(n, projection(p, n + ".proj", in, kernel), main);
    }

    /** 1x1 to mid, BN, ReLU; depthwise k x k with the stride, BN; 1x1 to out, BN, ReLU. */
    private static Module shuffleBranch(ParameterSet p, String n, int in, int mid, int out, int kernel, int stride) {
        return Modules.sequence(pointwise(p, n + ".pw", in, mid),
                depthwise(p, n + ".dw", mid, kernel, stride), pointwise(p, n + ".pwl", mid, out));
    }

    /** Three times depthwise 3x3 (the first with the stride), BN, 1x1, BN, ReLU; 1x1 to mid, mid, out. */
    private static Module xceptionBranch(ParameterSet p, String n, int in, int mid, int out, int stride) {
        return Modules.sequence(depthwise(p, n + ".dw1", in, 3, stride), pointwise(p, n + ".pw1", in, mid),
                depthwise(p, n + ".dw2", mid, 3, 1), pointwise(p, n + ".pw2", mid, mid),
                depthwise(p, n + ".dw3", mid, 3, 1), pointwise(p, n + ".pw3", mid, out));
    }

    /** Depthwise k x k stride 2, BN; 1x1 to the same width, BN, ReLU. */
    private static Module projection(ParameterSet p, String n, int in, int kernel) {
        return Modules.sequence(depthwise(p, n + ".dw", in, kernel, 2), pointwise(p, n + ".pw", in, in));
    }

    private static Module depthwise(ParameterSet p, String n, int channels, int kernel, int stride) {
        return Modules.sequence(
                Modules.conv(p, n, new GraphSink.ConvSpec(channels, channels, kernel, stride, kernel / 2, 1, channels)),
                Modules.batchNorm(p, n + "_bn", channels, true));
    }

    private static Module pointwise(ParameterSet p, String n, int in, int out) {
        return Modules.sequence(Modules.conv(p, n, new GraphSink.ConvSpec(in, out, 1, 1, 0, 1, 1)),
                Modules.batchNorm(p, n + "_bn", out, true), Modules.relu(n + "_relu"));
    }
}
