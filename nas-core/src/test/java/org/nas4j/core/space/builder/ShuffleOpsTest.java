package org.nas4j.core.space.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.Shape;

/** The ShuffleNetV2 choice blocks counted by hand as SPOS' OneShot/blocks.py builds them. */
class ShuffleOpsTest {

    private static final OpCatalogue OPS = ShuffleOps.catalogue();

    @Test
    void strideOneSplitsTheInputAndScalesTheHiddenWidth() {
        OpSpec op = OPS.spec("shuffle_5x5_c1.4");
        // 64 -> 64: 32 pass through; main 32 -> mid (int) (32 * 1.4) = 44 -> dw 5x5 -> 32
        long expected = 32 * 44 + 2 * 44 + 44 * 25 + 2 * 44 + 44 * 32 + 2 * 32;
        assertEquals(expected, op.parameters(64, 64, 1));
        assertEquals(28L * 28 * (32 * 44 + 44 * 25 + 44 * 32), op.multiplyAdds(new Shape(64, 28, 28), 64, 1));
    }

    @Test
    void strideTwoAddsTheProjectionBranch() {
        OpSpec op = OPS.spec("shuffle_3x3_c1.0");
        // 16 -> 64: projection dw 3x3 + 1x1 on 16; main 16 -> 32 -> dw 3x3 stride 2 -> 48
        long main = 16 * 32 + 2 * 32 + 32 * 9 + 2 * 32 + 32 * 48 + 2 * 48;
        long projection = 16 * 9 + 2 * 16 + 16 * 16 + 2 * 16;
        assertEquals(main + projection, op.parameters(16, 64, 2));
        assertEquals(new Shape(64, 56, 56), op.output(new Shape(16, 112, 112), 64, 2));
        assertEquals(112L * 112 * 16 * 32 + 56L * 56 * (32 * 9 + 32 * 48) + 56L * 56 * (16 * 9 + 16 * 16),
                op.multiplyAdds(new Shape(16, 112, 112), 64, 2));
    }

    @Test
    void xceptionHasThreeDepthwiseAndPointwisePairs() {
        OpSpec op = OPS.spec("shuffle_xception_c0.2");
        // 160 -> 160: main 80 -> mid 16 -> 16 -> 80, three depthwise 3x3 (on 80, 16, 16)
        long expected = 80 * 9 + 2 * 80 + 80 * 16 + 2 * 16 + 16 * 9 + 2 * 16 + 16 * 16 + 2 * 16 + 16 * 9 + 2 * 16
                + 16 * 80 + 2 * 80;
        assertEquals(expected, op.parameters(160, 160, 1));
    }

    @Test
    void shapesThatTheBlocksCannotMakeAreNamed() {
        OpSpec op = OPS.spec("shuffle_7x7_c1.0");
        IllegalArgumentException wider = assertThrows(IllegalArgumentException.class,
                () -> op.output(new Shape(64, 14, 14), 96, 1));
        assertTrue(wider.getMessage().contains("needs an even input width equal to its output width, but maps 64 to"
                + " 96 channels"), wider.getMessage());
        IllegalArgumentException narrower = assertThrows(IllegalArgumentException.class,
                () -> op.output(new Shape(64, 14, 14), 64, 2));
        assertTrue(narrower.getMessage().contains("needs more output than input channels"), narrower.getMessage());
    }

    @Test
    void theHeadHasNoBiasAndTheShuffleOpsStayOutOfTheStandardCatalogue() {
        assertEquals(1024L * 1000, OPS.spec("pool_linear_no_bias").parameters(1024, 1000, 1));
        assertEquals(32 + 1, ShuffleOps.catalogue().names().size() - OpCatalogue.standard().names().size());
        assertFalse(OpCatalogue.standard().contains("shuffle_3x3_c1.0"));
    }
}
