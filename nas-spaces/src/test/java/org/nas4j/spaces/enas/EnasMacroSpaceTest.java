package org.nas4j.spaces.enas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.EnasOps;
import org.nas4j.core.space.builder.NetworkPlan;

/** ENAS' macro space: the reference's choices, pooling positions, arc format and parameter counts. */
class EnasMacroSpaceTest {

    @Test
    void theSearchSpaceHasAnOpAndTheSkipFlagsPerLayerInTheReferencesArcOrder() {
        ComposedSpace space = EnasMacroSpace.cifar10();
        // 12 op choices and 0 + 1 + ... + 11 = 66 skip flags: the reference's arc of 78 numbers
        assertEquals(78, space.choices().size());
        assertEquals("layer0.op", space.choices().get(0).name());
        assertEquals(List.of("layer1.op", "layer1.skip0", "layer2.op", "layer2.skip0", "layer2.skip1"),
                space.choices().subList(1, 6).stream().map(Choice::name).toList());
        assertEquals(EnasOps.BRANCHES, space.choices().get(0).options());
        assertEquals(List.of("none", "skip_connect"), space.choices().get(2).options());
        assertTrue(space.choices().stream().allMatch(c -> c.kind() == Choice.Kind.OPERATION));
        assertEquals(List.of(3, 7), EnasMacroSpace.poolLayers(12));
        assertEquals(List.of(7, 15), EnasMacroSpace.poolLayers(24));
        assertEquals(List.of(1, 3), EnasMacroSpace.poolLayers(6));
        assertEquals(List.of(), EnasMacroSpace.poolLayers(2));
    }

    @Test
    void poolLayersReduceEveryStateAndTheWidthStays() {
        ComposedSpace space = EnasMacroSpace.cifar10();
        NetworkPlan plan = space.plan(space.sample(new SplittableRandom(1)));
        List<String> names = plan.steps().stream().map(NetworkPlan.Step::name).toList();
        // after layer 3 the stem and layers 0..3 (5 states), after layer 7 those 5 reductions and layers 4..7 (9)
        assertEquals(List.of("pool3_from0", "pool3_from1", "pool3_from2", "pool3_from3", "pool3_from4"),
                names.subList(names.indexOf("layer3") + 1, names.indexOf("layer4")));
        assertEquals(9, names.indexOf("layer8") - names.indexOf("layer7") - 1);
        assertEquals(1 + 12 + 5 + 9 + 1, plan.steps().size());
        NetworkPlan.CellStep layer11 = (NetworkPlan.CellStep) plan.steps().get(names.indexOf("layer11"));
        assertEquals(12, layer11.sources().size());
        assertEquals("36x8x8", layer11.output().toString());
        assertEquals("36x16x16", plan.steps().get(names.indexOf("layer4")).output().toString());
        assertEquals("10x1x1", plan.output().toString());
    }

    @Test
    void samplingMutationKeysAndTextStayInTheSpace() {
        ComposedSpace space = EnasMacroSpace.small().build();
        SplittableRandom rng = new SplittableRandom(7);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Architecture a = space.sample(rng);
            assertEquals(a, space.parse(space.format(a)));
            assertEquals(a, EnasMacroSpace.fromReference(space, EnasMacroSpace.toReference(a)));
            Architecture child = space.mutate(a, rng);
            assertTrue(space.isValid(child));
            assertEquals(1, differences(a, child));
            assertNotEquals(space.canonicalKey(a), space.canonicalKey(child));
            keys.add(space.canonicalKey(a));
        }
        assertEquals(20, keys.size());
        // the key reads the network: a skip is the state it adds, whatever the text says
        Architecture a = EnasMacroSpace.fromReference(space, "0 3 0 0 1 0 2 0 0 1 2 0 0 0 0 3 1 1 0 1 0");
        assertEquals(space.canonicalKey(a), space.canonicalKey(space.parse(space.format(a))));
        assertTrue(space.canonicalKey(a).contains(" join(s2@enas_sep_conv_5x5).batch_norm>16 "), space.canonicalKey(a));
        assertTrue(space.format(a).startsWith("layer0.op=enas_conv_3x3; layer1.op=enas_sep_conv_5x5;"
                + " layer1.skip0=none; layer2.op=enas_conv_3x3; layer2.skip0=skip_connect; layer2.skip1=none;"),
                space.format(a));
    }

    private static int differences(Architecture a, Architecture b) {
        int n = 0;
        for (int i = 0; i < a.size(); i++) {
            n += a.index(i) == b.index(i) ? 0 : 1;
        }
        return n;
    }

    /**
     * The published network (scripts/cifar10_macro_final.sh, 24 layers) in the search child at out_filters=36,
     * counted by hand from general_child.py's shapes (C = 36; every BN has offset and scale, 2C):
     * <ul>
     *   <li>stem: 3x3x3xC conv + BN = 27C + 2C = 1,044;</li>
     *   <li>conv k (op 0, 2): inp_conv 1x1 C*C + BN 2C, k x k C*C*k*k + BN 2C: 13,104 (k=3), 33,840 (k=5);</li>
     *   <li>separable k (op 1, 3): C*C + 2C, depthwise k*k*C, pointwise C*C, BN 2C: 3,060 (k=3), 3,636 (k=5);</li>
     *   <li>the arc has 8 x op 0, 2 x op 1, 9 x op 2, 5 x op 3: 104,832 + 6,120 + 304,560 + 18,180 = 433,692;</li>
     *   <li>the BN after the skip sum of layers 1..23: 23 x 2C = 1,656;</li>
     *   <li>pool layers 7 and 15 (24 / 3 - 1, 2 * 24 / 3 - 1) reduce 9 and 17 states, each two 1x1 convs C to C/2
     *       and BN: 26 x (C*C + 2C) = 35,568;</li>
     *   <li>fc without bias: C x 10 = 360.</li>
     * </ul>
     * Total 1,044 + 433,692 + 1,656 + 35,568 + 360 = 472,320. Skips add no parameters.
     */
    @Test
    void thePublishedArchitectureHasTheHandCountedParameters() {
        ComposedSpace space = EnasMacroSpace.builder().layers(24).branches(4).build();
        Architecture published = EnasMacroSpace.fromReference(space, EnasMacroSpace.PUBLISHED_ARC);
        assertEquals(300, published.size());
        assertEquals(472_320, space.parameters(published));
        assertEquals(EnasMacroSpace.PUBLISHED_ARC, EnasMacroSpace.toReference(published));
        // 98 skip connections: the reference's skip_rate of this arc is 98 / 276
        assertEquals(98, published.toString().split("skip_connect", -1).length - 1);
    }

    /**
     * The published network in the reference's fixed-arc child, as cifar10_macro_final.sh trains it (24 layers,
     * out_filters 96 doubled after layers 7 and 15), counted by hand from _fixed_layer's shapes:
     * <ul>
     *   <li>stem 27 x 96 + 2 x 96 = 2,784;</li>
     *   <li>branches, ReLU-conv1x1-BN-ReLU-conv k-BN = C*C + 2C + k*k*C*C + 2C (op ids 1 and 3 are plain 3x3 and 5x5
     *       convolutions there): layers 0..7 at C=96 (two k=3, six k=5) 1,625,088, layers 8..15 at 192 (five k=3,
     *       three k=5) 4,724,736, layers 16..23 at 384 (three k=3, five k=5) 23,605,248: 29,955,072;</li>
     *   <li>skip projections of layers 1..23, (skips + 1) x C x C + 2C: 11 skips in layers 1..7, 30 in 8..15, 57 in
     *       16..23: 18 x 96^2 + 7 x 192 + 38 x 192^2 + 8 x 384 + 65 x 384^2 + 8 x 768 = 11,161,920;</li>
     *   <li>reductions to 2C of 9 states after layer 7 and of 17 after layer 15, C x 2C + 2 x 2C each:
     *       9 x 18,816 + 17 x 74,496 = 1,435,776;</li>
     *   <li>fc 384 x 10 = 3,840.</li>
     * </ul>
     * Total 42,559,392 (the paper's table gives 21.3M for its macro network; this is what the released script
     * builds).
     */
    @Test
    void thePublishedArchitectureInTheFixedChildHasTheHandCountedParameters() {
        ComposedSpace space = EnasMacroSpace.finalChild();
        Architecture published = EnasMacroSpace.fromReference(space, EnasMacroSpace.PUBLISHED_ARC);
        assertEquals(300, space.choices().size());
        assertEquals(List.of("layer0.op", "layer1_branch.op", "layer1.skip0", "layer2_branch.op"),
                space.choices().subList(0, 4).stream().map(Choice::name).toList());
        assertEquals(42_559_392, space.parameters(published));
        assertEquals("384x8x8", space.plan(published).steps().get(space.plan(published).steps().size() - 2)
                .output().toString());
        assertEquals("branches of the fixed-arc child must be at most 4 (the reference builds no pooling branch"
                + " there), but was 6", assertThrows(IllegalArgumentException.class,
                        () -> EnasMacroSpace.small().fixedChild(true).build()).getMessage());
    }

    @Test
    void multiplyAddsAreTheConvolutionsAndTheClassifier() {
        ComposedSpace space = EnasMacroSpace.small().layers(1).build();
        // 1x28x28: stem 3x3 1->16 (144 per pixel), layer0 conv 3x3: 1x1 16->16 and 3x3 16->16 (256 + 2,304 per
        // pixel); no pool layer below 3 layers; fc 16 x 10
        Architecture a = EnasMacroSpace.fromReference(space, "0");
        assertEquals(784L * (144 + 256 + 2304) + 160, space.multiplyAdds(a));
        assertEquals(16 * 9 + 32 + (256 + 32 + 2304 + 32) + 160, space.parameters(a));
    }

    @Test
    void badArcsAndSizesAreNamed() {
        ComposedSpace space = EnasMacroSpace.small().build();
        assertEquals("arc must have 21 numbers for space 'enas-macro-small', but had 2", assertThrows(
                IllegalArgumentException.class, () -> EnasMacroSpace.fromReference(space, "0 1")).getMessage());
        assertEquals("arc number 2 ('layer1.skip0') must be in [0, 1], but was 2", assertThrows(
                IllegalArgumentException.class, () -> EnasMacroSpace.fromReference(space,
                        "0 3 2 0 1 0 2 0 0 1 2 0 0 0 0 3 1 1 0 1 0")).getMessage());
        assertEquals("outFilters must be even and >= 2, but was 15", assertThrows(IllegalArgumentException.class,
                () -> EnasMacroSpace.builder().outFilters(15)).getMessage());
        assertEquals("branches must be in [4, 6], but was 3", assertThrows(IllegalArgumentException.class,
                () -> EnasMacroSpace.builder().branches(3)).getMessage());
    }
}
