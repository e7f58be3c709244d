package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.core.space.builder.MobileOps;
import org.nas4j.estimators.engine.ParameterSet;

/**
 * The modules of the mobile chain ops of {@code org.nas4j.core.space.builder.MobileOps}: ProxylessNAS' inverted
 * residual block and the ReLU6 convolutions of the MobileNetV2 backbone, with the layer order of the reference's
 * {@code MBInvertedConvLayer} and {@code ConvLayer} (weight, batch norm, activation).
 */
final class MobileModules {

    private MobileModules() {
    }

    /** This catalogue with a module for every mobile op. */
    static ModuleCatalogue addTo(ModuleCatalogue catalogue) {
        ModuleCatalogue c = catalogue.with("zero", (p, n, in, out, s) -> zero(in, out, s));
        for (int e : MobileOps.EXPANSIONS) {
            for (int k : MobileOps.KERNELS) {
                c = c.with(MobileOps.mbConvName(k, e), (p, n, in, out, s) -> mbConv(p, n, in, out, k, e, s));
            }
        }
        return c.with("conv_bn_relu6_1x1", (p, n, in, out, s) -> convBnRelu6(p, n, in, out, 1, s))
                .with("conv_bn_relu6_3x3", (p, n, in, out, s) -> convBnRelu6(p, n, in, out, 3, s));
    }

    /**
     * 1x1 convolution to {@code expansion * in}, BN, ReLU6 (left out when the expansion is 1); depthwise
     * {@code kernel x kernel} convolution with {@code stride}, BN, ReLU6; 1x1 convolution to {@code out}, BN; the
     * input added when {@code stride == 1} and {@code in == out}.
     */
    static Module mbConv(ParameterSet p, String n, int in, int out, int kernel, int expansion, int stride) {
        int hidden = in * expansion;
        List<Module> parts = new ArrayList<>();
        if (expansion > 1) {
            parts.add(Modules.conv(p, n + ".expand", new GraphSink.ConvSpec(in, hidden, 1, 1, 0, 1, 1)));
            parts.add(Modules.batchNorm(p, n + ".expand_bn", hidden, true));
            parts.add(Modules.relu6(n + ".expand_relu6"));
        }
        parts.add(Modules.conv(p, n + ".depthwise",
                new GraphSink.ConvSpec(hidden, hidden, kernel, stride, kernel / 2, 1, hidden)));
        parts.add(Modules.batchNorm(p, n + ".depthwise_bn", hidden, true));
        parts.add(Modules.relu6(n + ".depthwise_relu6"));
        parts.add(Modules.conv(p, n + ".project", new GraphSink.ConvSpec(hidden, out, 1, 1, 0, 1, 1)));
        parts.add(Modules.batchNorm(p, n + ".project_bn", out, true));
        Module main = Modules.sequence(parts.toArray(Module[]::new));
        return stride == 1 && in == out ? Modules.residual(n, main, Modules.identity()) : main;
    }

    /** Convolution with padding kernel/2, BN, ReLU6. */
    static Module convBnRelu6(ParameterSet p, String n, int in, int out, int kernel, int stride) {
        return Modules.sequence(
                Modules.conv(p, n + ".conv", new GraphSink.ConvSpec(in, out, kernel, stride, kernel / 2, 1, 1)),
                Modules.batchNorm(p, n + ".bn", out, true), Modules.relu6(n + ".relu6"));
    }

    private static Module zero(int in, int out, int stride) {
        if (stride != 1 || in != out) {
            throw new IllegalArgumentException("zero (a skipped layer) needs stride 1 and as many channels out as"
                    + " in, but had stride " + stride + ", " + in + " -> " + out + " channels");
        }
        return Modules.identity();
    }
}
