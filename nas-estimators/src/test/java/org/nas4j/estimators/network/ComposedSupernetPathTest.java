package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.SinglePathPolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** A supernet compiled with a sampling policy runs one given path ({@link ComposedSupernet#usePath}). */
class ComposedSupernetPathTest {

    @Test
    void withAPathSetItComputesTheRestrictedSupernetsOutputAndGradientsOnOpChoices() {
        ComposedSpace space = ComposedSupernetChoicesTest.kernels();
        ComposedSupernet supernet = sampledAndStirred(space);
        for (int k = 0; k < 2; k++) {
            for (int a = 0; a < 3; a++) {
                assertSameAsRestricted(supernet, Architecture.of(space, k, a, (k + a) % 2, a % 2));
            }
        }
    }

    @Test
    void withAPathSetItComputesTheRestrictedSupernetsOutputAndGradientsOnChannelChoices() {
        ComposedSpace space = ComposedSupernetChannelsTest.widths();
        ComposedSupernet supernet = sampledAndStirred(space);
        for (int w = 0; w < 2; w++) {
            for (int v = 0; v < 2; v++) {
                for (int a = 0; a < 2; a++) {
                    assertSameAsRestricted(supernet, Architecture.of(space, w, v, a));
                }
            }
        }
    }

    @Test
    void aSetPathDrawsNothingFromThePolicyAndClearingItReturnsToThePolicy() {
        ComposedSpace space = ComposedSupernetChoicesTest.kernels();
        ComposedSupernet sampled = ComposedSupernet.compile(space, PathPolicies.singlePath(4),
                ModuleCatalogue.standard(), DataType.DOUBLE, 2);
        ComposedSupernet reference = ComposedSupernet.compile(space, PathPolicies.singlePath(4),
                ModuleCatalogue.standard(), DataType.DOUBLE, 2);
        INDArray x = GradientCheck.random(1, 2, 1, 8, 8);
        sampled.forward(x, Mode.TRAINING);
        reference.forward(x, Mode.TRAINING);
        sampled.usePath(new int[] {3, 2, 1});
        assertArrayEquals(new int[] {3, 2, 1}, sampled.fixedPath().orElseThrow());
        for (int pass = 0; pass < 3; pass++) {
            sampled.forward(x, Mode.INFERENCE);
        }
        sampled.usePolicyPath();
        assertTrue(sampled.fixedPath().isEmpty());
        for (int pass = 0; pass < 5; pass++) {
            sampled.forward(x, Mode.TRAINING);
            reference.forward(x, Mode.TRAINING);
            assertArrayEquals(((SinglePathPolicy) reference.policy()).current(),
                    ((SinglePathPolicy) sampled.policy()).current(), "pass " + pass);
        }
    }

    @Test
    void refusesAPathOfTheWrongLengthOrACandidateOutOfRangeNamingIt() {
        ComposedSupernet supernet = ComposedSupernet.compile(ComposedSupernetChoicesTest.kernels(),
                PathPolicies.singlePath(4), ModuleCatalogue.standard(), DataType.FLOAT, 2);
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> supernet.usePath(new int[] {0, 0}));
        assertEquals("path must have one candidate per edge (3), but had 2", length.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> supernet.usePath(new int[] {0, 3, 0}));
        assertEquals("path[1] must be in [0, 3), but was 3", range.getMessage());
        assertFalse(supernet.fixedPath().isPresent());
    }

    /** A single-path supernet after a few sampled training passes and a random change of every weight. */
    static ComposedSupernet sampledAndStirred(ComposedSpace space) {
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.singlePath(3),
                ModuleCatalogue.standard(), DataType.DOUBLE, 5);
        for (int pass = 0; pass < 6; pass++) {
            supernet.forward(GradientCheck.random(20 + pass, 4, 1, 8, 8), Mode.TRAINING);
        }
        INDArray values = supernet.weights().values();
        values.addi(GradientCheck.random(7, values.length()).reshape(values.shape()).muli(0.1));
        return supernet;
    }

    /**
     * Sets {@code arch}'s path on {@code supernet} and compares it with the supernet restricted to {@code arch}
     * holding the same weights and statistics: outputs in inference and training, then every weight gradient.
     */
    static void assertSameAsRestricted(ComposedSupernet supernet, Architecture arch) {
        ComposedSupernet restricted = ComposedSupernet.restrictedTo(arch, ModuleCatalogue.standard(),
                DataType.DOUBLE, 11);
        Map<String, Parameter> byName = new HashMap<>();
        restricted.weights().parameters().forEach(p -> byName.put(p.name(), p));
        for (Parameter p : supernet.weights().parameters()) {
            byName.get(p.name()).value().assign(p.value());
        }
        Map<String, double[]> states = restricted.states();
        supernet.states().forEach((name, v) -> System.arraycopy(v, 0, states.get(name), 0, v.length));
        supernet.usePath(supernet.path(arch));
        INDArray x = GradientCheck.random(3, 2, 1, 8, 8);
        for (Mode mode : List.of(Mode.INFERENCE, Mode.TRAINING)) {
            INDArray expected = restricted.forward(x, mode).dup();
            INDArray actual = supernet.forward(x, mode).dup();
            double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
            assertTrue(diff < 1e-10, arch + " " + mode + ": " + diff);
        }
        INDArray g = GradientCheck.random(9, 2, supernet.space().classes());
        supernet.weights().parameters().forEach(Parameter::clearGradient);
        restricted.weights().parameters().forEach(Parameter::clearGradient);
        restricted.backward(g.dup());
        supernet.backward(g.dup());
        for (Parameter p : supernet.weights().parameters()) {
            Parameter q = byName.get(p.name());
            assertEquals(q.hasGradient(), p.hasGradient(), arch + " " + p.name());
            if (!p.hasGradient()) {
                continue;   // an unused parameter's gradient buffer keeps stale values
            }
            double diff = Transforms.abs(q.gradient().sub(p.gradient())).maxNumber().doubleValue();
            assertTrue(diff < 1e-10, arch + " gradient of " + p.name() + ": " + diff);
        }
        supernet.usePolicyPath();
    }
}
