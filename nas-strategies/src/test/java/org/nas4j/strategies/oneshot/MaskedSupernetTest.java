package org.nas4j.strategies.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.RestrictedSpace;
import org.nas4j.core.space.SpaceRestriction;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.supernet.CandidateMask;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.engine.supernet.ProxylessPolicy;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ForwardingModule;
import org.nas4j.estimators.network.Module;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.estimators.network.SupernetMasks;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The candidate mask of a steering restriction on a NAS-Bench-201 supernet: a removed op's softmax weight and
 * architecture gradient are exactly 0 and it never runs (every op's module counts its training passes), even with
 * its logits set far above the others; a pinned edge runs its op alone; derivation never returns a removed op.
 */
class MaskedSupernetTest {

    static final ComposedSpace NB201 = NasBench201Definition.of(NasBench201Space.builder().channels(4)
            .cellsPerStage(1).inputChannels(1).imageSize(8).build());
    static final String REMOVED = "avg_pool_3x3";
    static final String PINNED = "nor_conv_3x3";

    /** {@link #REMOVED} taken out of every edge: choice 0 pinned to {@link #PINNED}, the others without it. */
    static RestrictedSpace restricted(ComposedSpace space) {
        SpaceRestriction r = SpaceRestriction.none().pin(space.choices().get(0).name(), PINNED);
        for (int i = 1; i < space.choices().size(); i++) {
            r = r.remove(space.choices().get(i).name(), REMOVED);
        }
        return r.applyTo(space);
    }

    /** Whether {@code a} holds no {@link #REMOVED} and the pinned op on choice 0. */
    static boolean honours(Architecture a) {
        for (int i = 0; i < a.size(); i++) {
            if (a.option(i).equals(REMOVED)) {
                return false;
            }
        }
        return a.option(0).equals(PINNED);
    }

    private final Map<String, Integer> trainingPasses = new TreeMap<>();

    private ComposedSupernet compile(PathPolicy.Factory policy) {
        ModuleCatalogue counting = ModuleCatalogue.standard().wrapped(Counted::new);
        return ComposedSupernet.compile(NB201, policy, counting, DataType.FLOAT, 3);
    }

    /** The candidate of {@code edge} that runs {@code op}. */
    private static int candidate(ComposedSupernet net, int edge, String op) {
        for (int k = 0; k < net.edgeSizes()[edge]; k++) {
            if (net.sites(edge, k).get(0).op().equals(op)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no candidate " + op + " on edge " + edge);
    }

    /** Sets the removed op's logit on every edge (and the unpinned ops' on edge 0) to 5: far above the rest. */
    private static void favourRemoved(ComposedSupernet net) {
        LearnedPathPolicy p = (LearnedPathPolicy) net.policy();
        for (int e = 0; e < 6; e++) {
            for (int k = 0; k < p.ops(e); k++) {
                String op = net.sites(e, k).get(0).op();
                if (op.equals(REMOVED) || e == 0 && !op.equals(PINNED)) {
                    p.alpha().value().putScalar(new long[] {e, k}, 5.0);
                }
            }
        }
    }

    private static INDArray images(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[8 * 64];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return Nd4j.createFromArray(v).reshape(8, 1, 8, 8);
    }

    /** One training pass: forward, backward of the logits themselves as the loss gradient. */
    private static void trainingPass(ComposedSupernet net, long seed) {
        INDArray logits = net.forward(images(seed), Mode.TRAINING);
        net.backward(logits.dup());
    }

    /** Checks that every removed (and, on edge 0, unpinned) candidate's probability and gradient are exactly 0. */
    private static void assertMaskedZero(ComposedSupernet net) {
        LearnedPathPolicy p = (LearnedPathPolicy) net.policy();
        double[][] grad = p.alpha().gradient().toDoubleMatrix();
        for (int e = 0; e < 6; e++) {
            double[] probs = p.probabilities(e);
            for (int k = 0; k < probs.length; k++) {
                String op = net.sites(e, k).get(0).op();
                if (op.equals(REMOVED) || e == 0 && !op.equals(PINNED)) {
                    assertEquals(0.0, probs[k], "probability of " + op + " on edge " + e);
                    assertEquals(0.0, grad[e][k], "gradient of " + op + " on edge " + e);
                }
            }
        }
        assertEquals(1.0, p.probabilities(0)[candidate(net, 0, PINNED)]);
    }

    @Test
    void dartsGivesRemovedOpsWeightAndGradientZeroAndNeverComputesThem() {
        ComposedSupernet net = compile(PathPolicies.mixed(SupernetMasks.of(restricted(NB201))));
        favourRemoved(net);
        for (int step = 0; step < 3; step++) {
            trainingPass(net, step);
            assertMaskedZero(net);
            assertEquals(1, net.policy().path(0).size(), "the pinned edge runs its op alone");
        }
        double[][] grad = ((LearnedPathPolicy) net.policy()).alpha().gradient().toDoubleMatrix();
        assertNotEquals(0.0, grad[1][candidate(net, 1, PINNED)], "an allowed op gets a gradient");
        assertEquals(0, trainingPasses.getOrDefault(REMOVED, 0), trainingPasses.toString());
        assertTrue(trainingPasses.getOrDefault(PINNED, 0) > 0, trainingPasses.toString());
        assertTrue(honours(net.derive()), net.derive().toString());
    }

    @Test
    void gdasNeverDrawsARemovedOpThoughItsLogitsLeadWhileUnmaskedItDoes() {
        ComposedSupernet net = compile(PathPolicies.gdas(11, pass -> 1.0, SupernetMasks.of(restricted(NB201))));
        favourRemoved(net);
        int pinned = candidate(net, 0, PINNED);
        for (int step = 0; step < 20; step++) {
            trainingPass(net, step);
            assertMaskedZero(net);
            assertEquals(pinned, net.policy().path(0).op(0));
        }
        assertEquals(0, trainingPasses.getOrDefault(REMOVED, 0), trainingPasses.toString());
        assertTrue(honours(net.derive()), net.derive().toString());

        // the same logits unmasked: the removed op leads and runs, so the counts above can tell
        trainingPasses.clear();
        ComposedSupernet open = compile(PathPolicies.gdas(11, pass -> 1.0));
        favourRemoved(open);
        for (int step = 0; step < 5; step++) {
            trainingPass(open, step);
        }
        assertTrue(trainingPasses.getOrDefault(REMOVED, 0) > 0, trainingPasses.toString());
    }

    @Test
    void proxylessNeverSamplesARemovedOpInEitherPathWhileUnmaskedItDoes() {
        ComposedSupernet net = compile(PathPolicies.proxyless(13, SupernetMasks.of(restricted(NB201))));
        favourRemoved(net);
        ProxylessPolicy gates = (ProxylessPolicy) net.policy();
        int pinned = candidate(net, 0, PINNED);
        for (int step = 0; step < 20; step++) {
            gates.architecturePasses(step % 2 == 0);
            trainingPass(net, step);
            gates.rescale();
            assertMaskedZero(net);
            assertEquals(pinned, gates.active()[0]);
            assertEquals(-1, gates.inactive()[0], "the pinned edge samples no second op");
        }
        assertEquals(0, trainingPasses.getOrDefault(REMOVED, 0), trainingPasses.toString());
        assertTrue(honours(net.derive()), net.derive().toString());

        trainingPasses.clear();
        ComposedSupernet open = compile(PathPolicies.proxyless(13));
        favourRemoved(open);
        for (int step = 0; step < 5; step++) {
            trainingPass(open, step);
        }
        assertTrue(trainingPasses.getOrDefault(REMOVED, 0) > 0, trainingPasses.toString());
    }

    @Test
    void aMaskThatDoesNotFitIsRefusedNamingTheEdge() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> CandidateMask.of(new boolean[][] {{true}, {false, false}}));
        assertTrue(none.getMessage().contains("allowed[1]"), none.getMessage());
        CandidateMask mask = CandidateMask.all(new int[] {5, 5, 5, 5, 5, 4});
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> compile(PathPolicies.mixed(mask)));
        assertTrue(shape.getMessage().contains("edge 5"), shape.getMessage());
    }

    private final class Counted extends ForwardingModule {
        private final String op;

        Counted(String op, Module module) {
            super(module);
            this.op = op;
        }

        @Override
        public INDArray forward(INDArray input, Mode mode) {
            if (mode == Mode.TRAINING) {
                trainingPasses.merge(op, 1, Integer::sum);
            }
            return super.forward(input, mode);
        }
    }
}
