package org.nas4j.spaces.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Shape;

/** Op formulas checked against hand counts of the modules in the reference operations.py. */
class DartsOpsTest {
    private static final Shape IN = new Shape(36, 32, 32);

    @Test
    void parameterFormulas() {
        // SepConv(36, 36, 3): 2 x (depthwise 36*9 + pointwise 36*36 + BN 72)
        assertEquals(2 * (36 * 9 + 36 * 36 + 72), DartsOps.spec("sep_conv_3x3").parameters(36, 36, 1));
        assertEquals(2 * (36 * 49 + 36 * 36 + 72), DartsOps.spec("sep_conv_7x7").parameters(36, 36, 2));
        // DilConv(36, 36, 5, dilation 2): 36*25 + 36*36 + 72
        assertEquals(36 * 25 + 36 * 36 + 72, DartsOps.spec("dil_conv_5x5").parameters(36, 36, 1));
        // conv_7x1_1x7: Conv(1,7) 36*36*7 + Conv(7,1) 36*36*7 + BN 72
        assertEquals(2 * 36 * 36 * 7 + 72, DartsOps.spec("conv_7x1_1x7").parameters(36, 36, 2));
        assertEquals(0, DartsOps.spec("skip_connect").parameters(36, 36, 1));
        // FactorizedReduce(36, 36): two 36 -> 18 1x1 convolutions and BN(36)
        assertEquals(2 * 36 * 18 + 72, DartsOps.spec("skip_connect").parameters(36, 36, 2));
        assertEquals(0, DartsOps.spec("max_pool_7x7").parameters(36, 36, 2));
        assertEquals(0, DartsOps.spec("none").parameters(36, 36, 2));
    }

    @Test
    void shapesHalveAtStrideTwo() {
        for (String op : DartsOps.names()) {
            assertEquals(new Shape(36, 32, 32), DartsOps.spec(op).output(IN, 36, 1), op);
            assertEquals(new Shape(36, 16, 16), DartsOps.spec(op).output(IN, 36, 2), op);
        }
    }

    @Test
    void multiplyAddsOfTheFactorizedConvolution() {
        // 1x7 stride (1,2): 32x16 outputs x 36 x 36 x 7; then 7x1 stride (2,1): 16x16 x 36 x 36 x 7
        assertEquals(32L * 16 * 36 * 36 * 7 + 16L * 16 * 36 * 36 * 7,
                DartsOps.spec("conv_7x1_1x7").multiplyAdds(IN, 36, 2));
    }

    @Test
    void factorizedReduceRefusesOddSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DartsOps.factorizedReduce().output(new Shape(8, 7, 7), 8, 2));
        assertTrue(e.getMessage().contains("even height and width"), e.getMessage());
    }

    @Test
    void dropPathSkipsOnlyIdentities() {
        assertFalse(DartsOps.isDropPathTarget("skip_connect", 1));
        assertTrue(DartsOps.isDropPathTarget("skip_connect", 2));
        assertTrue(DartsOps.isDropPathTarget("max_pool_3x3", 1));
    }

    @Test
    void unknownOpIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DartsOps.spec("conv_9x9"));
        assertTrue(e.getMessage().contains("unknown operation 'conv_9x9'"), e.getMessage());
    }

    @Test
    void dropPathScheduleIsLinearInTheEpoch() {
        DropPathSchedule s = DropPathSchedule.CIFAR_DEFAULT;
        assertEquals(0.0, s.probability(0));
        assertEquals(0.1, s.probability(300), 1e-12);
        assertEquals(0.2 * 599 / 600, s.probability(599), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> s.probability(600));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DropPathSchedule(1.0, 10));
        assertTrue(e.getMessage().contains("dropPathProb must be in [0, 1), but was 1.0"));
    }
}
