package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.estimators.engine.darts.DartsSupernet;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.engine.supernet.SinglePathPolicy;
import org.nas4j.spaces.darts.DartsDefinition;
import org.nas4j.spaces.darts.DartsSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The composed DARTS search network against the hand-wired {@code DartsSupernet} it replaces: same weight count,
 * and, with the same weights (copied by name), the same output and gradients under mixed() and singlePath, and the
 * same derived genotype.
 */
class ComposedDartsParityTest {

    /**
     * Roundings of the longest chain a value of the tiny networks goes through (a few dozen layers, each summing up
     * to 8 * 49 products): both networks compute the same sums in other orders, so they agree within
     * {@link Tolerances#parity} of the summed magnitudes.
     */
    private static final long ROUNDINGS = 20_000;
    private static final DartsSpace SPACE = DartsSpace.darts();

    @Test
    void theComposedSearchNetworkHasTheHandWiredOnesWeights() {
        DartsSupernet hand = DartsSupernet.builder(SPACE, PathPolicies.mixed()).build();
        ComposedSupernet composed = ComposedSupernet.compile(DartsDefinition.cifar(SPACE, 16, 8, false).build(),
                PathPolicies.mixed(), ModuleCatalogue.dartsSearch(), DataType.FLOAT, 0);
        assertEquals(hand.weights().size(), composed.weights().size());
        assertEquals(1_930_618, composed.weights().size());
        assertArrayEquals(hand.architectureParameters().parameters().get(0).shape(),
                composed.architectureParameters().parameters().get(0).shape());
    }

    @Test
    void mixedPolicyGivesTheSameOutputAndGradients() {
        Pair nets = pair(PathPolicies.mixed());
        INDArray alpha = GradientCheck.random(3, nets.hand.architectureParameters().size());
        nets.hand.architectureParameters().values().assign(alpha);
        nets.composed.architectureParameters().values().assign(alpha);
        compare(nets);
        assertClose("alpha gradient", nets.hand.architectureParameters().gradients(),
                nets.composed.architectureParameters().gradients());
    }

    @Test
    void singlePathGivesTheSameDrawsOutputAndGradients() {
        Pair nets = pair(PathPolicies.singlePath(4));
        for (int pass = 0; pass < 3; pass++) {
            compare(nets);
            assertArrayEquals(((SinglePathPolicy) nets.hand.policy()).current(),
                    ((SinglePathPolicy) nets.composed.policy()).current(), "draws of pass " + pass);
        }
    }

    @Test
    void deriveGivesTheReferencesGenotype() {
        Pair nets = pair(PathPolicies.mixed());
        for (long seed = 1; seed <= 20; seed++) {
            INDArray alpha = GradientCheck.random(seed, nets.hand.architectureParameters().size());
            nets.hand.architectureParameters().values().assign(alpha);
            nets.composed.architectureParameters().values().assign(alpha);
            Architecture expected = DartsDefinition.architecture(nets.composed.space(),
                    SPACE.genotype(nets.hand.derive()));
            assertEquals(nets.composed.space().format(expected), nets.composed.space().format(nets.composed.derive()),
                    "alpha of seed " + seed);
            assertArrayEquals(nets.composed.path(expected), nets.composed.path(nets.composed.derive()));
        }
    }

    private record Pair(DartsSupernet hand, ComposedSupernet composed) {
    }

    private static Pair pair(PathPolicy.Factory policy) {
        DartsSupernet hand = DartsSupernet.builder(SPACE, policy).channels(4).layers(3).classes(3).inputChannels(1)
                .dataType(DataType.DOUBLE).seed(5).build();
        ComposedSpace space = DartsSearchSpaces.search(SPACE, 1, 8, 3, 4, 3);
        ComposedSupernet composed = ComposedSupernet.compile(space, policy, ModuleCatalogue.dartsSearch(),
                DataType.DOUBLE, 9);
        Map<String, Parameter> byName = new HashMap<>();
        hand.weights().parameters().forEach(p -> byName.put(p.name(), p));
        for (Parameter p : composed.weights().parameters()) {
            Parameter h = byName.remove(handName(p.name()));
            assertTrue(h != null, "no hand-wired weight for " + p.name() + " (" + handName(p.name()) + ")");
            assertArrayEquals(h.shape(), p.shape(), p.name());
            p.value().assign(h.value());
        }
        assertTrue(byName.isEmpty(), "hand-wired weights without a composed one: " + byName.keySet());
        return new Pair(hand, composed);
    }

    /**
     * The hand-wired network's name of a composed weight: cell {@code <template>_<i>} is {@code cell<i>}; the edge
     * from state {@code s} into node {@code to} is {@code edge<e>}, numbered as the reference ({@code (node 2: 0,
     * 1), (node 3: 0, 1, 2), ...}); the head's classifier is {@code classifier}; the ops' inner names differ.
     */
    private static String handName(String composed) {
        if (composed.startsWith("head.")) {
            return composed.substring("head.".length());
        }
        if (composed.startsWith("stem.")) {
            return composed;
        }
        int dot = composed.indexOf('.');
        String cell = "cell" + composed.substring(composed.indexOf('_') + 1, dot);
        String rest = composed.substring(dot + 1);
        if (rest.startsWith("pre")) {
            return cell + "." + rest;
        }
        // node<to>~from<s>~<op>.<inner>
        int to = Integer.parseInt(rest.substring("node".length(), rest.indexOf('~')));
        int from = Integer.parseInt(rest.substring(rest.indexOf("~from") + 5, rest.indexOf('~', rest.indexOf("~from") + 1)));
        String op = rest.substring(rest.indexOf('~', rest.indexOf("~from") + 1) + 1);
        int edge = (to - 2) * (to + 1) / 2 + from;
        op = op.replace(".sep.", ".").replace(".dil.", ".").replace("skip_connect.skip.", "skip_connect.");
        return cell + ".edge" + edge + "." + op;
    }

    /** One pass of both on the same images: the logits, the input gradient and every weight's gradient agree. */
    private static void compare(Pair nets) {
        INDArray x = GradientCheck.random(11, 2, 1, 8, 8);
        INDArray r = GradientCheck.random(12, 2, 3);
        nets.hand.weights().parameters().forEach(Parameter::clearGradient);
        nets.composed.weights().parameters().forEach(Parameter::clearGradient);
        assertClose("logits", nets.hand.forward(x, Mode.TRAINING).dup(), nets.composed.forward(x, Mode.TRAINING));
        assertClose("input gradient", nets.hand.backward(r).dup(), nets.composed.backward(r));
        Map<String, Parameter> byName = new HashMap<>();
        nets.hand.weights().parameters().forEach(p -> byName.put(p.name(), p));
        for (Parameter p : nets.composed.weights().parameters()) {
            Parameter h = byName.get(handName(p.name()));
            assertEquals(h.hasGradient(), p.hasGradient(), p.name() + " took part in one pass only");
            if (h.hasGradient()) {
                assertClose("gradient of " + p.name(), h.gradient(), p.gradient());
            }
        }
    }

    private static void assertClose(String what, INDArray expected, INDArray actual) {
        double magnitude = Transforms.abs(expected).sumNumber().doubleValue();
        double bound = Tolerances.parity(DataType.DOUBLE, ROUNDINGS, Math.max(magnitude, Double.MIN_NORMAL));
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= bound, what + ": differs by " + diff + " (bound " + bound + ")");
    }
}
