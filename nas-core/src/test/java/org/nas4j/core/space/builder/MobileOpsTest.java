package org.nas4j.core.space.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.Shape;

/** The MBConv, zero and ReLU6-convolution formulas, counted by hand as ProxylessNAS' layers.py builds them. */
class MobileOpsTest {

    private static final OpCatalogue OPS = OpCatalogue.standard();

    @Test
    void mbConvCountsExpandDepthwiseAndProject() {
        OpSpec op = OPS.spec("mbconv_5x5_e3");
        // 24 -> 72 (1x1 + BN), depthwise 5x5 on 72 (+ BN), 72 -> 32 (1x1 + BN)
        long expected = 24 * 72 + 2 * 72 + 72 * 25 + 2 * 72 + 72 * 32 + 2 * 32;
        assertEquals(expected, op.parameters(24, 32, 2));
        Shape in = new Shape(24, 56, 56);
        assertEquals(new Shape(32, 28, 28), op.output(in, 32, 2));
        assertEquals(56L * 56 * 24 * 72 + 28L * 28 * 72 * 25 + 28L * 28 * 72 * 32, op.multiplyAdds(in, 32, 2));
    }

    @Test
    void expansionOneHasNoExpandingConvolution() {
        OpSpec op = OPS.spec("mbconv_3x3_e1");
        assertEquals(32 * 9 + 2 * 32 + 32 * 16 + 2 * 16, op.parameters(32, 16, 1));
        assertEquals(112L * 112 * 32 * 9 + 112L * 112 * 32 * 16, op.multiplyAdds(new Shape(32, 112, 112), 16, 1));
    }

    @Test
    void mobileNetV2StemAndFeatureMix() {
        assertEquals(3 * 32 * 9 + 2 * 32, OPS.spec("conv_bn_relu6_3x3").parameters(3, 32, 2));
        assertEquals(112L * 112 * 32 * 27, OPS.spec("conv_bn_relu6_3x3").multiplyAdds(new Shape(3, 224, 224), 32, 2));
        assertEquals(320 * 1280 + 2 * 1280, OPS.spec("conv_bn_relu6_1x1").parameters(320, 1280, 1));
        assertEquals(1280L * 1000 + 1000, OPS.spec("pool_linear").parameters(1280, 1000, 1));
    }

    @Test
    void zeroIsAFreeIdentityAtStrideOneOnly() {
        OpSpec zero = OPS.spec("zero");
        assertEquals(OpCatalogue.Kind.IDENTITY, OPS.entry("zero").kind());
        assertEquals(0, zero.parameters(40, 40, 1));
        assertEquals(new Shape(40, 14, 14), zero.output(new Shape(40, 14, 14), 40, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> zero.output(new Shape(40, 14, 14), 40, 2));
        assertTrue(e.getMessage().contains("stride must be 1, but was 2"), e.getMessage());
    }

    @Test
    void aSkippedLayerCannotChangeTheWidthOrStride() {
        SpaceBuilder base = SpaceBuilder.create("chain").input(3, 16, 16)
                .layer("stem", "conv_bn_relu6_3x3", Width.of(8));
        SpaceDefinitionException wider = assertThrows(SpaceDefinitionException.class, () -> base
                .choice("layer1", List.of("mbconv_3x3_e3", "zero"), Width.of(16), 1).head("pool_linear").build());
        assertEquals(DefinitionError.SHAPE_MISMATCH, wider.error(), wider.getMessage());
        SpaceBuilder again = SpaceBuilder.create("chain").input(3, 16, 16)
                .layer("stem", "conv_bn_relu6_3x3", Width.of(8));
        SpaceDefinitionException strided = assertThrows(SpaceDefinitionException.class, () -> again
                .choice("layer1", List.of("mbconv_3x3_e3", "zero"), Width.of(8), 2).head("pool_linear").build());
        assertEquals(DefinitionError.SHAPE_MISMATCH, strided.error(), strided.getMessage());
    }

    @Test
    void badKernelOrExpansionIsNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MobileOps.mbConv("m", 4, 3)).getMessage()
                .contains("kernel must be odd and >= 1, but was 4"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MobileOps.mbConv("m", 3, 0)).getMessage()
                .contains("expansion must be >= 1, but was 0"));
    }
}
