package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.ParameterSet;

/**
 * Factories of the engine layers of DARTS-style compound candidate ops (the op <em>specifications</em>, names and
 * parameter formulas, are {@code org.nas4j.spaces.darts.DartsOps}).
 *
 * <pre>{@code
 * Layer sep3 = DartsLayers.separableConv(params, "cell0.e1.sep3", 16, 16, 3, 1, true);
 * Layer dil5 = DartsLayers.dilatedConv(params, "cell0.e1.dil5", 16, 16, 5, 1, 2, true);
 * }</pre>
 */
public final class DartsLayers {

    private DartsLayers() {
    }

    /**
     * ReLU, convolution (no bias, padding {@code kernel/2}), batch norm: NAS-Bench-201's {@code nor_conv_kxk} and
     * the building block of ResNet-style reductions.
     */
    public static Layer reluConvBn(ParameterSet params, String name, int in, int out, int kernel, int stride,
            boolean affine) {
        Conv2d conv = Conv2d.builder(params, name + ".conv", in, out, kernel).stride(stride).padding(kernel / 2)
                .build();
        return new Sequential(new Relu(), conv, new BatchNorm(params, name + ".bn", out, affine));
    }

    /**
     * {@link #reluConvBn} without the ReLU (same parameters, same names), for a caller that computes the ReLU of
     * the input once and feeds several such ops.
     */
    public static Layer convBn(ParameterSet params, String name, int in, int out, int kernel, int stride,
            boolean affine) {
        Conv2d conv = Conv2d.builder(params, name + ".conv", in, out, kernel).stride(stride).padding(kernel / 2)
                .build();
        return new Sequential(conv, new BatchNorm(params, name + ".bn", out, affine));
    }

    /**
     * Dilated convolution: ReLU, depthwise {@code kernel x kernel} convolution with the given dilation and stride
     * (padding {@code dilation * (kernel - 1) / 2}), pointwise 1x1 convolution to {@code out} channels, batch norm.
     */
    public static Layer dilatedConv(ParameterSet params, String name, int in, int out, int kernel, int stride,
            int dilation, boolean affine) {
        Conv2d depthwise = Conv2d.builder(params, name + ".dw", in, in, kernel).stride(stride)
                .padding(dilation * (kernel - 1) / 2).dilation(dilation).groups(in).build();
        Conv2d pointwise = Conv2d.builder(params, name + ".pw", in, out, 1).build();
        return new Sequential(new Relu(), depthwise, pointwise, new BatchNorm(params, name + ".bn", out, affine));
    }

    /**
     * Separable convolution: two dilated-convolution blocks with dilation 1, the first with the given stride and
     * {@code in -> in} channels, the second with stride 1 and {@code in -> out} channels (DARTS' {@code SepConv}).
     */
    public static Layer separableConv(ParameterSet params, String name, int in, int out, int kernel, int stride,
            boolean affine) {
        return new Sequential(
                dilatedConv(params, name + ".a", in, in, kernel, stride, 1, affine),
                dilatedConv(params, name + ".b", in, out, kernel, 1, 1, affine));
    }
}
