package org.nas4j.spaces.enas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.builder.ChannelRange;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.Spaces;

/** ENAS' macro space with whole_channels=False: the choices, the arc both ways, keys and hand-counted parameters. */
class EnasMacroChannelsTest {

    /**
     * A 3-layer instance (pool layers 0 and 1), 4 filters, 1x8x8; the arc holds per layer six (start, count) pairs,
     * then the layer's skip flags: layer 0 (0,3) (1,2) (2,2) (3,1) (0,1) (1,3); layer 1 every branch (2,2), skip
     * from the stem; layer 2 every branch (0,3), skip from state 1 (layer 0's reduction) only.
     */
    static final String TINY_ARC = "0 3 1 2 2 2 3 1 0 1 1 3" + " 2 2 2 2 2 2 2 2 2 2 2 2 1"
            + " 0 3 0 3 0 3 0 3 0 3 0 3 0 1";

    static ComposedSpace tiny(boolean fixed) {
        return EnasMacroSpace.small().wholeChannels(false).fixedChild(fixed).layers(3).outFilters(4).input(1, 8)
                .build();
    }

    @Test
    void theChoicesAreARangePerBranchAndTheSkipFlags() {
        ComposedSpace space = EnasMacroSpace.channels();
        assertEquals(space, Spaces.byName("enas-macro-channels"));
        // 12 x 6 ranges, then 66 skip flags
        assertEquals(72 + 66, space.choices().size());
        assertEquals("layer0.range0", space.choices().get(0).name());
        assertEquals("layer11.range5", space.choices().get(71).name());
        assertEquals("layer1.skip0", space.choices().get(72).name());
        assertTrue(space.choices().subList(0, 72).stream().allMatch(c -> c.kind() == Choice.Kind.VALUE));
        // the controller's ranges at 36 channels: start 0 takes 1..35 channels, start s >= 1 takes 1..36-s:
        // 35 + (35 + 34 + ... + 1) = 35 + 630 = 665; none covers all 36
        List<String> options = space.choices().get(0).options();
        assertEquals(665, options.size());
        assertEquals(List.of("0+1", "0+2"), options.subList(0, 2));
        assertEquals("0+35", options.get(34));
        assertEquals("1+35", options.get(69));
        assertEquals("35+1", options.get(664));
        assertEquals(ChannelRange.sampled(36).size(), options.size());
    }

    @Test
    void theArcGoesBothWaysAndKeysIgnoreTheStarts() {
        ComposedSpace space = tiny(false);
        Architecture a = EnasMacroSpace.fromReference(space, TINY_ARC);
        assertEquals(TINY_ARC, EnasMacroSpace.toReference(a));
        assertEquals(a, space.parse(space.format(a)));
        assertTrue(space.format(a).startsWith("layer0.range0=0+3; layer0.range1=1+2;"), space.format(a));
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 30; i++) {
            Architecture s = space.sample(rng);
            assertTrue(space.isValid(s));
            assertEquals(s, EnasMacroSpace.fromReference(space, EnasMacroSpace.toReference(s)));
            Architecture m = space.mutate(s, rng);
            assertTrue(space.isValid(m));
            assertEquals(m, EnasMacroSpace.fromReference(space, EnasMacroSpace.toReference(m)));
        }
        // a stand-alone network computes only the counts: moving layer 0's first range (0,3) to (1,3) keeps the key
        Architecture moved = EnasMacroSpace.fromReference(space, "1" + TINY_ARC.substring(1));
        assertNotEquals(a, moved);
        assertEquals(space.canonicalKey(a), space.canonicalKey(moved));
        Architecture narrower = EnasMacroSpace.fromReference(space, "0 2" + TINY_ARC.substring(3));
        assertNotEquals(space.canonicalKey(a), space.canonicalKey(narrower));
        Architecture noSkip = EnasMacroSpace.fromReference(space, TINY_ARC.replace(" 2 2 1 0 3", " 2 2 0 0 3"));
        assertNotEquals(space.canonicalKey(a), space.canonicalKey(noSkip));
    }

    /**
     * The search child's stand-alone network of {@link #TINY_ARC}, by hand (C = 4 everywhere; a branch on a range of
     * n channels holds the weights of the reference's search child that reach its output):
     * <ul>
     *   <li>stem 3x3 1 -> 4 and BN: 36 + 8 = 44;</li>
     *   <li>a branch on n channels (input C): conv k: inp_conv_1 C*C + BN 2C, k*k*C*n + BN 2n = 24 + (k*k*4 + 2) n;
     *       sep k: 24 + k*k*C (depthwise) + C*n + 2n = 24 + 9*4 or 25*4 + 6n; pool: the range's rows of conv_1 and its
     *       BN, C*n + 2n = 6n;</li>
     *   <li>layer 0, counts 3,2,2,1,1,3: 138 + 72 + 228 + 130 + 6 + 18 = 592; final_conv's rows of the ranges
     *       (3+2+2+1+1+3) x C = 48 and its BN 8: 648;</li>
     *   <li>2 reductions after layer 0, 2 x C x C/2 + 2C = 24 each: 48;</li>
     *   <li>layer 1, counts all 2: 100 + 72 + 228 + 136 + 12 + 12 = 560, final_conv 12 x 4 + 8 = 56, the skip sum's BN
     *       8: 624;</li>
     *   <li>3 reductions after layer 1: 72;</li>
     *   <li>layer 2, counts all 3: 138 + 78 + 330 + 142 + 18 + 18 = 724, final_conv 18 x 4 + 8 = 80, BN 8: 812;</li>
     *   <li>fc 4 x 10 = 40.</li>
     * </ul>
     * Total 44 + 648 + 48 + 624 + 72 + 812 + 40 = 2,288.
     */
    @Test
    void theSearchChildHasTheHandCountedParameters() {
        ComposedSpace space = tiny(false);
        assertEquals(2_288, space.parameters(EnasMacroSpace.fromReference(space, TINY_ARC)));
        // multiply-adds of layer 0's first branch alone at 8x8: 64 x (4 x 4 + 9 x 4 x 3)
        assertEquals(64L * (16 + 108), org.nas4j.core.space.builder.EnasOps.rangeConv("x", 3, false)
                .multiplyAdds(new org.nas4j.core.space.Shape(4, 8, 8), 3, 1));
    }

    /**
     * The same arc in the fixed-arc child (widths 4, 8 after layer 0, 16 after layer 1; the counts stay the arc's):
     * <ul>
     *   <li>stem 44; layer 0 as in the search child, 592 + final_conv 48 + BN 8 = 648;</li>
     *   <li>2 reductions to 8: 2 x 4 x 4 + 16 = 48 each, 96;</li>
     *   <li>layer 1 at C = 8, counts 2: conv3 64 + 16 + 144 + 4 = 228, sep3 64 + 16 + 72 + 16 + 4 = 172, conv5
     *       64 + 16 + 400 + 4 = 484, sep5 64 + 16 + 200 + 16 + 4 = 300, pools 20 each: 1,224; final_conv 12 x 8 + 16 =
     *       112; skip projection of the layer and the stem 2 x 64 + 16 = 144: 1,480;</li>
     *   <li>3 reductions to 16: 2 x 8 x 8 + 32 = 160 each, 480;</li>
     *   <li>layer 2 at C = 16, counts 3: conv3 256 + 32 + 432 + 6 = 726, sep3 256 + 32 + 144 + 48 + 6 = 486, conv5
     *       256 + 32 + 1,200 + 6 = 1,494, sep5 256 + 32 + 400 + 48 + 6 = 742, pools 54 each: 3,556; final_conv
     *       18 x 16 + 32 = 320; skip projection of the layer and state 1: 2 x 256 + 32 = 544: 4,420;</li>
     *   <li>fc 16 x 10 = 160.</li>
     * </ul>
     * Total 44 + 648 + 96 + 1,480 + 480 + 4,420 + 160 = 7,328.
     */
    @Test
    void theFixedChildHasTheHandCountedParameters() {
        ComposedSpace space = tiny(true);
        Architecture a = EnasMacroSpace.fromReference(space, TINY_ARC);
        assertEquals(TINY_ARC, EnasMacroSpace.toReference(a));
        assertEquals(7_328, space.parameters(a));
        assertEquals("16x2x2", space.plan(a).steps().get(space.plan(a).steps().size() - 2).output().toString());
    }

    @Test
    void badArcsAreNamed() {
        ComposedSpace space = tiny(false);
        assertEquals("arc must have 39 numbers (per layer i: start and count of each of 6 branches, then i skip"
                + " flags) for space 'enas-macro-small', but had 2", assertThrows(IllegalArgumentException.class,
                        () -> EnasMacroSpace.fromReference(space, "0 1")).getMessage());
        assertEquals("arc number 1 (count of layer0.range0) must be in [1, 3] after start 0, but was 4",
                assertThrows(IllegalArgumentException.class, () -> EnasMacroSpace.fromReference(space,
                        "0 4" + TINY_ARC.substring(3))).getMessage());
        assertEquals("arc number 2 (start of layer0.range1) must be in [0, 3], but was 4",
                assertThrows(IllegalArgumentException.class, () -> EnasMacroSpace.fromReference(space,
                        "0 3 4" + TINY_ARC.substring(5))).getMessage());
        assertEquals("arc number 3 (count of layer0.range1) must be in [1, 2] after start 2, but was 3",
                assertThrows(IllegalArgumentException.class, () -> EnasMacroSpace.fromReference(space,
                        "0 3 2 3" + TINY_ARC.substring(7))).getMessage());
        assertEquals("arc number 24 (layer1.skip0) must be 0 or 1, but was 2",
                assertThrows(IllegalArgumentException.class, () -> EnasMacroSpace.fromReference(space,
                        TINY_ARC.replace(" 2 2 1 0 3", " 2 2 2 0 3"))).getMessage());
        assertEquals("arc number 0 (start of layer0.range0) must be an integer, but was 'x'",
                assertThrows(IllegalArgumentException.class, () -> EnasMacroSpace.fromReference(space,
                        "x" + TINY_ARC.substring(1))).getMessage());
        assertEquals("option '3' of value 'v' must be a channel range 'start+count' with start >= 0 and count >= 1",
                assertThrows(IllegalArgumentException.class, () -> ChannelRange.parse("v", "3")).getMessage());
        assertEquals("channels of a layer with channel ranges must be >= 2, but was 1",
                assertThrows(IllegalArgumentException.class, () -> ChannelRange.sampled(1)).getMessage());
        assertEquals("outFilters must be even and >= 2, but was 3", assertThrows(IllegalArgumentException.class,
                () -> EnasMacroSpace.small().wholeChannels(false).outFilters(3)).getMessage());
    }
}
