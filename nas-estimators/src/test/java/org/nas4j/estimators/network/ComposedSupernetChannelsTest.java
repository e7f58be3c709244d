package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Supernets of builder spaces with channel choices: the widest weights sliced, as SPOS' channel search. */
class ComposedSupernetChannelsTest {

    /** Width {@code w} (4 or 6) of the stem and of {@code mid}, width {@code v} (3 or 5) of the op choice {@code a}. */
    static ComposedSpace widths() {
        return widths(List.of("nor_conv_3x3", "conv_bn_relu_3x3"));
    }

    static ComposedSpace widths(List<String> ops) {
        return SpaceBuilder.create("widths").input(1, 8, 8).classes(3).value("w", 4, 6).value("v", 3, 5)
                .layer("stem", "conv_bn_3x3", Width.value("w"))
                .choice("a", ops, Width.value("v"), 1)
                .layer("mid", "sep_conv_3x3", Width.value("w"))
                .head("bn_relu_pool_linear").build();
    }

    @Test
    void theWidestWeightsAreAllocatedOnceAndEveryChannelChoiceIsAnEdge() {
        ComposedSupernet supernet = ComposedSupernet.compile(widths(), PathPolicies.singlePath(1),
                ModuleCatalogue.standard(), DataType.FLOAT, 1);
        assertArrayEquals(new int[] {2, 0, 1}, supernet.edgeChoices());   // a, then the channel choices w, v
        assertArrayEquals(new int[] {2, 2, 2}, supernet.edgeSizes());
        Parameter stem = supernet.weights().parameters().stream().filter(p -> p.name().startsWith("stem"))
                .findFirst().orElseThrow();
        assertEquals(6, stem.shape()[0]);
        Parameter a = supernet.weights().parameters().stream()
                .filter(p -> p.name().startsWith("a~nor_conv_3x3") && p.shape().length == 4).findFirst()
                .orElseThrow();
        assertArrayEquals(new long[] {5, 6, 3, 3}, a.shape());
        assertArrayEquals(new int[] {0, 1, 0}, supernet.path(supernet.space().parse(
                "w=6; v=3; a=nor_conv_3x3")));
    }

    @Test
    void restrictedToOneArchitectureItGivesTheStandAloneOutput() {
        ComposedSpace space = widths();
        INDArray x = GradientCheck.random(3, 2, 1, 8, 8);
        for (int w = 0; w < 2; w++) {
            for (int v = 0; v < 2; v++) {
                for (int a = 0; a < 2; a++) {
                    ComposedSupernetChoicesTest.assertSameOutput(Architecture.of(space, w, v, a), x);
                }
            }
        }
    }

    @Test
    void aChannelSlicedPathHasFiniteDifferenceGradients() {
        ComposedSpace space = widths(List.of("nor_conv_3x3"));
        Architecture narrow = space.parse("w=4; v=3");   // a one-op choice is no choice
        ComposedSupernet supernet = ComposedSupernet.restrictedTo(narrow, ModuleCatalogue.standard(),
                DataType.DOUBLE, 2);
        // every weight of the widest layers, inside and outside the slice (zero there)
        GradientCheck.check(in -> supernet.forward(in, Mode.TRAINING), supernet::backward, supernet.weights(),
                GradientCheck.random(4, 2, 1, 8, 8), 40);
        Parameter stem = supernet.weights().parameters().stream().filter(p -> p.name().startsWith("stem"))
                .findFirst().orElseThrow();
        supernet.forward(GradientCheck.random(4, 2, 1, 8, 8), Mode.TRAINING);
        supernet.backward(GradientCheck.random(5, 2, 3));
        assertEquals(0.0, stem.gradient().getDouble(5, 0, 1, 1), 0.0);   // channel 5 is not in the 4-channel slice
        assertTrue(stem.gradient().getDouble(3, 0, 1, 1) != 0.0);
    }

    @Test
    void aSampledPathComputesOnlyTheSampledWidth() {
        ComposedSupernet supernet = ComposedSupernet.compile(widths(), PathPolicies.singlePath(5),
                ModuleCatalogue.standard(), DataType.DOUBLE, 2);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int pass = 0; pass < 12; pass++) {
            INDArray x = GradientCheck.random(pass, 2, 1, 8, 8);
            INDArray y = supernet.forward(x, Mode.TRAINING);
            assertArrayEquals(new long[] {2, 3}, y.shape());
            supernet.backward(y.dup());
            int[] drawn = ((org.nas4j.estimators.engine.supernet.SinglePathPolicy) supernet.policy()).current();
            seen.add((long) drawn[1] * 2 + drawn[2]);
        }
        assertEquals(4, seen.size());
    }

    @Test
    void refusesLearnedPoliciesForChannelChoicesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComposedSupernet.compile(
                widths(), PathPolicies.mixed(), ModuleCatalogue.standard(), DataType.FLOAT, 1));
        assertTrue(e.getMessage().startsWith("channel choice 'w' of space 'widths' is sampled"), e.getMessage());
    }
}
