package org.nas4j.spaces.timeseries;

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
import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.Shape;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.core.space.builder.SpaceDefinitionException;

class TimeSeriesSpaceTest {

    private static final ComposedSpace SMALL = TimeSeriesSpace.create("ts-small", 2, 24, 3,
            new TimeSeriesSpace.Skeleton(2, 8, 3, 1));

    @Test
    void everyCellChoiceOffersPopnasOperatorsAndInputs() {
        List<Choice> choices = SMALL.choices();
        assertEquals(2 * 2 * 4, choices.size(), "2 templates x 2 blocks x (2 inputs + 2 ops)");
        long ops = choices.stream().filter(c -> c.kind() == Choice.Kind.OPERATION)
                .peek(c -> assertEquals(TimeSeriesOps.CELL_OPS, c.options(), c.name())).count();
        assertEquals(8, ops);
        Choice secondBlockInput = choices.stream().filter(c -> c.name().equals("normal.n3.in0")).findFirst()
                .orElseThrow(() -> new AssertionError("no normal.n3.in0 in " + choices));
        assertEquals(3, secondBlockInput.size(), "the two cell inputs and the first block");
    }

    @Test
    void samplingIsSeededValidAndReachesEveryOp() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Architecture a = SMALL.sample(new SplittableRandom(i));
            assertEquals(a, SMALL.sample(new SplittableRandom(i)), "same seed, same architecture");
            assertTrue(SMALL.isValid(a));
            for (int c = 0; c < a.size(); c++) {
                seen.add(a.option(c));
            }
        }
        assertTrue(seen.containsAll(TimeSeriesOps.CELL_OPS), "ops seen: " + seen);
    }

    @Test
    void aMutationChangesExactlyOneChoice() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 50; i++) {
            Architecture parent = SMALL.sample(rng);
            Architecture child = SMALL.mutate(parent, rng);
            int changed = 0;
            for (int c = 0; c < parent.size(); c++) {
                changed += parent.index(c) == child.index(c) ? 0 : 1;
            }
            assertEquals(1, changed, parent + " -> " + child);
        }
    }

    @Test
    void theTextFormRoundTripsAndTheKeyIgnoresTheOrderOfABlocksInputs() {
        String text = "normal.n2=conv_k7~0+identity~1; normal.n3=max_pool_2~2+sep_conv_k13~0; "
                + "reduce.n2=conv_k7_d4~1+avg_pool_2~0; reduce.n3=conv_k21~2+conv_k7_d2~2";
        Architecture a = SMALL.parse(text);
        assertEquals(text, a.toString());
        assertEquals(a, SMALL.parse(a.toString()));
        Architecture swapped = SMALL.parse(text.replace("conv_k7~0+identity~1", "identity~1+conv_k7~0"));
        assertNotEquals(a, swapped, "another vector");
        assertEquals(a.key(), swapped.key(), "the same network");
        Architecture other = SMALL.parse(text.replace("conv_k7~0+identity~1", "conv_k13~0+identity~1"));
        assertNotEquals(a.key(), other.key());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SMALL.parse(text.replace("conv_k7~0", "conv_k9~0")));
        assertTrue(e.getMessage().contains("conv_k9"), e.getMessage());
    }

    @Test
    void parametersFollowTheFormulasOfATinyNetwork() {
        ComposedSpace tiny = TimeSeriesSpace.create("tiny", 1, 8, 2, new TimeSeriesSpace.Skeleton(1, 4, 1, 1));
        Architecture a = tiny.parse("normal.n2=conv_k7~0+identity~1");
        // stem 1*4*7 + BN 8; two 1x1 preprocessings 4*4 + 8 each; conv_k7 4*4*7 + 8; identity 0; linear 4*2 + 2
        assertEquals(36 + 24 + 24 + 120 + 10, tiny.parameters(a));
    }

    @Test
    void lstmParametersAreKerasLstmPlusBatchNorm() {
        ComposedSpace tiny = TimeSeriesSpace.create("tiny", 1, 8, 2, new TimeSeriesSpace.Skeleton(1, 4, 1, 1));
        Architecture a = tiny.parse("normal.n2=lstm~0+identity~1");
        // as above, with POPNASv3's lstm of 4 units on 4 channels in place of conv_k7:
        // 4 * (4*4 + 4*4 + 4) (Keras' LSTM, one bias) + 8 (BN)
        assertEquals(36 + 24 + 24 + 152 + 10, tiny.parameters(a));
        OpSpec lstm = TimeSeriesOps.catalogue().spec("lstm");
        assertEquals(4L * (24 * 16 + 24 * 24 + 24) + 48, lstm.parameters(16, 24, 2), "stride adds no parameter");
        // 150 steps of the four gates' products, [4H, C] x and [4H, H] h; a reduction runs at the input length
        assertEquals(150L * 4 * 24 * (16 + 24), lstm.multiplyAdds(new Shape(16, 1, 150), 24, 2));
    }

    @Test
    void gruParametersAreKerasGruPlusBatchNorm() {
        OpSpec gru = TimeSeriesOps.catalogue().spec("gru");
        // Keras' GRU(24) on 16 features, reset_after=True (input and recurrent biases), then BN's 48
        assertEquals(3L * (24 * 16 + 24 * 24 + 2 * 24) + 48, gru.parameters(16, 24, 1));
        assertEquals(150L * 3 * 24 * (16 + 24), gru.multiplyAdds(new Shape(16, 1, 150), 24, 2));
    }

    @Test
    void aSpaceMayLeaveOpsOut() {
        java.util.List<String> convolutional = TimeSeriesOps.CELL_OPS.stream()
                .filter(op -> !op.equals("lstm") && !op.equals("gru")).toList();
        ComposedSpace space = TimeSeriesSpace.create("x", 1, 24, 2, new TimeSeriesSpace.Skeleton(2, 8, 2, 1),
                convolutional);
        assertEquals(TimeSeriesOps.CELL_OPS.size() - 2, convolutional.size());
        long ops = space.choices().stream().filter(c -> c.kind() == Choice.Kind.OPERATION)
                .peek(c -> assertEquals(convolutional, c.options(), c.name())).count();
        assertEquals(8, ops);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeSeriesSpace.create("x",
                1, 24, 2, new TimeSeriesSpace.Skeleton(2, 8, 2, 1), java.util.List.of("lstm", "conv_k9")));
        assertTrue(e.getMessage().startsWith("ops must be a non-empty subset of") && e.getMessage().endsWith(
                "without repeats, but was [lstm, conv_k9]"), e.getMessage());
    }

    @Test
    void reductionsHalveTheLengthAndDoubleTheFilters() {
        Architecture a = SMALL.sample(new SplittableRandom(3));
        NetworkPlan plan = SMALL.plan(a);
        List<NetworkPlan.CellStep> cells = plan.steps().stream().filter(s -> s instanceof NetworkPlan.CellStep)
                .map(s -> (NetworkPlan.CellStep) s).toList();
        assertEquals(5, cells.size(), "3 normal and 2 reduction cells");
        assertEquals(List.of(24, 24, 12, 12, 6), cells.stream().map(c -> c.inputs().get(1).width()).toList());
        assertEquals(List.of(false, true, false, true, false), cells.stream().map(c -> c.reduction()).toList());
        assertEquals(List.of("time_reduce", "relu_conv_bn_1x1"), cells.get(2).preprocess(),
                "the input from before the reduction is halved along time");
        NetworkPlan.CellStep last = (NetworkPlan.CellStep) plan.steps().get(plan.steps().size() - 2);
        assertEquals(32, last.channels(), "8 doubled twice");
        assertEquals(6, last.output().width(), "24 halved twice");
        assertEquals(1, last.output().height());
    }

    @Test
    void oddLengthsRoundUpLikeSamePadding() {
        ComposedSpace odd = TimeSeriesSpace.create("odd", 1, 251, 3, new TimeSeriesSpace.Skeleton(2, 4, 3, 1));
        NetworkPlan plan = odd.plan(odd.sample(new SplittableRandom(1)));
        NetworkPlan.CellStep last = (NetworkPlan.CellStep) plan.steps().get(plan.steps().size() - 2);
        assertEquals(63, last.output().width(), "251 -> 126 -> 63");
    }

    @Test
    void imagesAreRefusedByTheOneDimensionalOps() {
        SpaceDefinitionException e = assertThrows(SpaceDefinitionException.class,
                () -> TimeSeriesOpsHolder.imageSpace());
        assertTrue(e.getMessage().contains("reads channels x 1 x length maps"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TimeSeriesSpace.Skeleton(0, 8, 1, 1));
    }

    /** A space of the time-series ops on 8x8 images, which the shape checks refuse. */
    private static final class TimeSeriesOpsHolder {
        static ComposedSpace imageSpace() {
            return org.nas4j.core.space.builder.SpaceBuilder.create("image").catalogue(TimeSeriesOps.catalogue())
                    .input(1, 8, 8).classes(2)
                    .layer("stem", "conv_bn_k7", org.nas4j.core.space.builder.Width.of(4))
                    .head("pool_linear").build();
        }
    }
}
