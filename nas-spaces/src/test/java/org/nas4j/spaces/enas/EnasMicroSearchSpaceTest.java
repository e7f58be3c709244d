package org.nas4j.spaces.enas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.CellOutput;
import org.nas4j.core.space.builder.CellTemplate;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.EnasMicroOps;
import org.nas4j.core.space.builder.NetworkPlan;

/**
 * ENAS' micro search child ({@code EnasMicroSpace.searchChild()}; melodyguan/enas {@code src/cifar10/micro_child.py},
 * {@code _model} without {@code fixed_arc}, {@code _enas_layer}): its layout, its choices in the arc's order and a
 * stand-alone parameter count derived by hand.
 */
class EnasMicroSearchSpaceTest {

    @Test
    void itIsLaidOutAsTheReferenceSearchChild() {
        ComposedSpace space = EnasMicroSpace.searchChild();
        assertEquals(40, space.choices().size());
        assertEquals(List.of("normal.n2.in0", "normal.n2.op0", "normal.n2.in1", "normal.n2.op1"),
                space.choices().subList(0, 4).stream().map(c -> c.name()).toList());
        assertEquals("reduce.n2.in0", space.choices().get(20).name());
        assertEquals(EnasMicroOps.SEARCH_OPS, space.choices().get(1).options());
        Architecture published = EnasMicroSpace.fromReference(space, EnasMicroSpace.PUBLISHED_ARC);
        assertEquals(EnasMicroSpace.PUBLISHED_ARC.replaceAll("\\s+", " "), EnasMicroSpace.toReference(published));
        // pool_layers [2, 5] of 8: a factorized reduction of the last state, then a stride-1 cell on [state, it]
        for (Architecture a : List.of(published, space.sample(new SplittableRandom(3)))) {
            List<String> steps = new ArrayList<>();
            List<Integer> widths = new ArrayList<>();
            for (NetworkPlan.Step s : space.plan(a).steps()) {
                steps.add(s.name());
                if (s instanceof NetworkPlan.CellStep c && !c.join()) {
                    widths.add(c.output().channels());
                    assertEquals(c.inputs().get(1).height(), c.output().height(), c.name());
                }
            }
            assertEquals(List.of("stem", "normal#0", "normal#1", "reduce2", "reduce#2", "normal#3", "normal#4",
                    "reduce5", "reduce#5", "normal#6", "normal#7", "head"), steps);
            // final_conv projects the unused states back to the width, whatever the arc
            assertEquals(List.of(20, 20, 40, 40, 40, 80, 80, 80), widths);
        }
    }

    /**
     * The published cells ({@link EnasMicroSpace#PUBLISHED_ARC}) in the search child at the search script's sizes
     * (6 layers, 20 filters, 5 nodes): ops sep3 {@code 2C^2 + 22C}, sep5 {@code 2C^2 + 54C} (two stacks of depthwise,
     * pointwise, BN), a projection {@code C^2} per unused state and {@code 2C} of BN. Normal arc: two sep3 (n2.y,
     * n5.x), four sep5 (n3.y, n4.y, n5.y, n6.y), states 2-6 unused: {@code 17C^2 + 262C}; reduction arc: three sep3
     * (n2.x, n2.y, n5.x), three sep5 (n4.x, n4.y, n6.y), states 2, 4, 5, 6 unused: {@code 16C^2 + 230C}. Cells:
     * 2 x 12,040 (C=20) + 34,800 (reduction, 40) + 2 x 37,680 (40) + 120,800 (reduction, 80) + 2 x 129,760 (80) =
     * 514,560; stem 1,740; calibrations and the reductions before the reduction cells 12,200 (as in
     * {@code EnasMicroSearchNetworkTest}); fc 800: 529,300.
     */
    @Test
    void thePublishedCellsInTheSearchChildHaveTheirHandCount() {
        ComposedSpace space = EnasMicroSpace.searchChild();
        Architecture published = EnasMicroSpace.fromReference(space, EnasMicroSpace.PUBLISHED_ARC);
        assertEquals(529_300, space.parameters(published));
        // the first cell: its ops and projection, and pool_x, pool_y from the stem's 60 channels (2 x 1,240)
        assertEquals(12_040 + 2_480, space.plan(published).steps().get(1).parameters());
    }

    @Test
    void aProjectingCellCannotReduce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellTemplate.builder("r")
                .inputs(2).output(CellOutput.PROJECT_UNUSED_STATES).reduction(true)
                .nodes(2, n -> n.pick(2).ops(EnasMicroOps.SEARCH_OPS).distinct(false)).build());
        assertEquals("cell 'r': output PROJECT_UNUSED_STATES needs reduction(false) (ENAS' search child reduces"
                + " before its cell), but reduction was true", e.getMessage());
    }
}
