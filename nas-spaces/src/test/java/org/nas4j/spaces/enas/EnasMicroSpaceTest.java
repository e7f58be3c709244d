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
import org.nas4j.core.space.builder.EnasMicroOps;
import org.nas4j.core.space.builder.NetworkPlan;

/** ENAS' micro space: the reference's choices, reduction positions, arc format, outputs and parameter counts. */
class EnasMicroSpaceTest {

    /** An arc whose nodes never read state 0 in either cell: the calibrated first input joins the output. */
    static final String INPUT0_UNUSED = "1 0 1 1 2 4 1 2 3 3 3 0 4 1 4 4 5 0 1 3";

    @Test
    void eachNodeChoosesTwoInputsAndTwoOpsInTheReferencesArcOrder() {
        ComposedSpace space = EnasMicroSpace.cifar10();
        assertEquals(40, space.choices().size());
        assertEquals(List.of("normal.n2.in0", "normal.n2.op0", "normal.n2.in1", "normal.n2.op1", "normal.n3.in0"),
                space.choices().subList(0, 5).stream().map(Choice::name).toList());
        assertEquals("reduce.n2.in0", space.choices().get(20).name());
        assertEquals(List.of("0", "1"), space.choices().get(0).options());
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), space.choices().get(16).options());
        assertEquals(EnasMicroOps.OPS, space.choices().get(1).options());
        assertEquals(List.of(5, 11), EnasMicroSpace.poolLayers(15));
        assertEquals(1 + 8 + 1, space.plan(space.sample(new SplittableRandom(2))).steps().size());
        assertEquals(List.of(2, 5), EnasMicroSpace.poolLayers(6));
        assertEquals(List.of(1, 3), EnasMicroSpace.poolLayers(3));
    }

    /**
     * The published network as {@code cifar10_micro_final.sh} builds it (15 layers, i.e. 17 cells, 36 filters, 5
     * nodes, cells 5 and 11 reducing), counted by hand from {@code micro_child.py}'s shapes: convolutions without
     * bias, BN 2 per channel, a sep conv {@code 2 (k^2 C + C^2 + 2C)}, a factorized reduction {@code in*C + 2C}.
     * <ul>
     *   <li>stem: 3*3*3*108 + 216 = 3,132;</li>
     *   <li>the normal cell's ops (sep 3x3 twice, sep 5x5 four times, two avg pools, two identities) at width C:
     *       {@code 2 * 2(9C + C^2 + 2C) + 4 * 2(25C + C^2 + 2C)}; its calibration {@code layer_base} {@code C^2 + 2C}
     *       plus 1x1 convs from 5C (its output: the unused nodes 2 to 6) where the channels differ;</li>
     *   <li>C = 36: the normal cell's ops 2 * 2(324 + 1,296 + 72) + 4 * 2(900 + 1,296 + 72) = 24,912; cell 0 reads
     *       the 108-channel stem twice: {@code pool_x} 108*36 + 72 = 3,960, {@code pool_y} 3,960, {@code layer_base}
     *       1,368: 34,200; cell 1 (stem and 180 channels: {@code pool_y} 6,552) 36,792; cells 2-4 (180 and 180)
     *       39,384 each;</li>
     *   <li>cell 5 (reducing, C = 72; the reduction arc leaves nodes 2, 4, 5, 6 unused: 4C = 288 channels; its
     *       identity on state 0 is a factorized reduction) 115,488; cell 6 (first input larger: ReLU and a
     *       factorized reduction) 120,240; cell 7 133,200; cells 8-10 138,384 each;</li>
     *   <li>cell 11 (C = 144) 427,968; cell 12 442,656; cell 13 494,496; cells 14-16 515,232 each;</li>
     *   <li>fc 720 * 10 = 7,200.</li>
     * </ul>
     * Sum: 3,894,372, the reference's "Model has N params" (its {@code _build_train} leaves the auxiliary head's
     * variables out). The paper's table gives 4.6M for ENAS micro on CIFAR-10; the released script's shapes give
     * 3.89M.
     */
    @Test
    void thePublishedNetworkHasTheReferencesParameterCount() {
        assertEquals(3_894_372L, EnasMicroSpace.published(10, 32).parameters());
        // convolutions and the classifier at 32x32 (BN, ReLU, pooling, sums free), checked against an independent
        // script while writing this test
        assertEquals(620_907_552L, EnasMicroSpace.published(10, 32).multiplyAdds());
        NetworkPlan plan = EnasMicroSpace.published(10, 32).space().plan(EnasMicroSpace.published(10, 32)
                .architecture());
        assertEquals(1 + 17 + 1, plan.steps().size());
        assertEquals(List.of("180x32x32", "288x16x16", "360x16x16", "576x8x8", "720x8x8"),
                List.of(plan.steps().get(5).output().toString(), plan.steps().get(6).output().toString(),
                        plan.steps().get(7).output().toString(), plan.steps().get(12).output().toString(),
                        plan.steps().get(13).output().toString()));
        assertEquals(34_200L, plan.steps().get(1).parameters());
        assertEquals(115_488L, plan.steps().get(6).parameters());
        assertEquals(120_240L, plan.steps().get(7).parameters());
    }

    /**
     * Unused cell inputs are part of the output: with {@link #INPUT0_UNUSED} in both cells each output is the
     * calibrated state 0 and node 6 (2C channels), and each reduction cell halves its unused state 0 by a factorized
     * reduction ({@code _fixed_combine}). Counted by hand as above: 2,601,468 at the final script's sizes and
     * 54,312 in {@link EnasMicroSpace#small()}.
     */
    @Test
    void unusedInputsJoinTheOutputAndAreReducedInReductionCells() {
        ComposedSpace space = EnasMicroSpace.finalChild();
        Architecture a = EnasMicroSpace.fromReference(space, INPUT0_UNUSED + " " + INPUT0_UNUSED);
        NetworkPlan plan = space.plan(a);
        NetworkPlan.CellStep reduce = (NetworkPlan.CellStep) plan.steps().get(6);
        assertEquals(List.of(0, 6), reduce.concat());
        assertEquals("144x16x16", reduce.output().toString());
        assertEquals(2_601_468L, space.parameters(a));
        ComposedSpace small = EnasMicroSpace.small().build();
        assertEquals(54_312L, small.parameters(EnasMicroSpace.fromReference(small, INPUT0_UNUSED + " "
                + INPUT0_UNUSED)));
    }

    @Test
    void samplingMutationKeysAndTextStayInTheSpace() {
        ComposedSpace space = EnasMicroSpace.small().build();
        SplittableRandom rng = new SplittableRandom(7);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            Architecture a = space.sample(rng);
            assertTrue(space.isValid(a));
            assertEquals(a, space.parse(space.format(a)));
            assertEquals(a, EnasMicroSpace.fromReference(space, EnasMicroSpace.toReference(a)));
            Architecture m = space.mutate(a, rng);
            assertTrue(space.isValid(m));
            assertNotEquals(a, m);
            assertEquals(space.parameters(a), space.plan(a).parameters());
            keys.add(space.canonicalKey(a));
        }
        assertTrue(keys.size() > 25, "distinct samples should mostly have distinct keys: " + keys.size());
    }

    @Test
    void swappingANodesTwoInputsKeepsTheKeyAndChangingAnOpChangesIt() {
        ComposedSpace space = EnasMicroSpace.cifar10();
        Architecture published = EnasMicroSpace.fromReference(space, EnasMicroSpace.PUBLISHED_ARC);
        // the normal cell's node 2 reads "0 2 0 0": swapped, "0 0 0 2"
        Architecture swapped = EnasMicroSpace.fromReference(space, "0 0 0 2"
                + EnasMicroSpace.PUBLISHED_ARC.substring("0 2 0 0".length()));
        assertNotEquals(published, swapped);
        assertEquals(space.canonicalKey(published), space.canonicalKey(swapped));
        Architecture other = EnasMicroSpace.fromReference(space, "0 3 0 0"
                + EnasMicroSpace.PUBLISHED_ARC.substring("0 2 0 0".length()));
        assertNotEquals(space.canonicalKey(published), space.canonicalKey(other));
        // a node may read one state twice
        assertTrue(space.isValid(EnasMicroSpace.fromReference(space, EnasMicroSpace.PUBLISHED_ARC)));
        assertEquals("1 0 1 0", EnasMicroSpace.toReference(published).substring(40, 47));
    }

    @Test
    void badArcsAndSizesGetNamedErrors() {
        ComposedSpace space = EnasMicroSpace.small().build();
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> EnasMicroSpace.fromReference(space, "0 1 0"));
        assertTrue(count.getMessage().contains("40 numbers"), count.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> EnasMicroSpace.fromReference(space, "2" + EnasMicroSpace.PUBLISHED_ARC.substring(1)));
        assertTrue(range.getMessage().contains("normal.n2.in0") && range.getMessage().contains("[0, 1]"),
                range.getMessage());
        IllegalArgumentException op = assertThrows(IllegalArgumentException.class,
                () -> EnasMicroSpace.fromReference(space, "0 5" + EnasMicroSpace.PUBLISHED_ARC.substring(3)));
        assertTrue(op.getMessage().contains("normal.n2.op0"), op.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EnasMicroSpace.builder().outFilters(7));
        assertThrows(IllegalArgumentException.class, () -> EnasMicroSpace.builder().keepProbability("0.5"));
    }
}
