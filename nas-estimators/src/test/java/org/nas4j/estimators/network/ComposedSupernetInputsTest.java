package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.builder.CellOutput;
import org.nas4j.core.space.builder.CellTemplate;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.SinglePathPolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Supernets of builder spaces whose cell nodes pick their inputs and keep the general relaxation (an input choice
 * over the candidate states, an op per state): one input per node, or the zero op among the ops, so they are not
 * relaxed as DARTS does ({@code ComposedDartsRelaxationTest}). Normal and reduction cells.
 */
class ComposedSupernetInputsTest {

    /** A normal and a reduction cell of two nodes that each pick one input; small enough for whole gradient checks. */
    static ComposedSpace picks() {
        CellTemplate cell = CellTemplate.builder("c").inputs(2).output(CellOutput.CONCAT_ALL)
                .nodes(2, n -> n.pick(1).ops("nor_conv_1x1", "skip_connect", "avg_pool_3x3")).build();
        return SpaceBuilder.create("picks").input(1, 8, 8).classes(3).layer("stem", "conv_bn_3x3", Width.of(4))
                .cell(cell, Width.of(4)).cell(cell.reducing("r"), Width.of(4)).head("pool_linear").build();
    }

    /** Two cells of two nodes picking two distinct inputs each, with the zero op among their ops. */
    static ComposedSpace cells() {
        List<String> ops = List.of("none", "sep_conv_3x3", "dil_conv_3x3");
        CellTemplate normal = CellTemplate.builder("normal").inputs(2).output(CellOutput.CONCAT_ALL)
                .nodes(2, n -> n.pick(2).ops(ops)).build();
        return SpaceBuilder.create("cells").input(1, 16, 16).classes(10)
                .layer("stem", "conv_bn_3x3", Width.of(12))
                .cell(normal, Width.of(4)).cell(normal.reducing("reduce"), Width.of(8)).head("pool_linear")
                .build();
    }

    @Test
    void everyInputChoiceIsAnEdgeOverItsCandidateStates() {
        ComposedSpace space = cells();
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.mixed(), ModuleCatalogue.standard(),
                DataType.FLOAT, 1);
        int inputs = 0;
        int[] choices = supernet.edgeChoices();
        int[] sizes = supernet.edgeSizes();
        for (int e = 0; e < choices.length; e++) {
            Choice c = space.choices().get(choices[e]);
            assertEquals(c.size(), sizes[e], c.name());
            inputs += c.kind() == Choice.Kind.INPUT ? 1 : 0;
        }
        assertEquals(space.choices().stream().filter(c -> c.kind() == Choice.Kind.INPUT).count(), inputs);
        assertTrue(inputs > 0);
        // node 3 of a cell reads one of states 0, 1, 2 on each input: an op per (input, state), own weights each
        assertTrue(supernet.weights().parameters().stream().anyMatch(p -> p.name().contains("~from2~sep_conv")));
    }

    @Test
    void restrictedToOneArchitectureItGivesTheStandAloneOutput() {
        ComposedSpace space = cells();
        INDArray x = GradientCheck.random(3, 2, 1, 16, 16);
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 4; i++) {
            ComposedSupernetChoicesTest.assertSameOutput(space.sample(rng), x);
        }
        INDArray small = GradientCheck.random(5, 2, 1, 8, 8);
        for (int i = 0; i < 4; i++) {
            ComposedSupernetChoicesTest.assertSameOutput(picks().sample(rng), small);
        }
    }

    @Test
    void mixedInputsHaveFiniteDifferenceGradients() {
        ComposedSupernet supernet = ComposedSupernet.compile(picks(), PathPolicies.mixed(),
                ModuleCatalogue.standard(), DataType.DOUBLE, 2);
        for (ParameterSet set : java.util.List.of(supernet.weights(), supernet.architectureParameters())) {
            GradientCheck.check(in -> supernet.forward(in, Mode.TRAINING), supernet::backward, set,
                    GradientCheck.random(4, 2, 1, 8, 8), 3);
        }
    }

    @Test
    void aSampledPathReadsOneStatePerInputAndHasFiniteDifferenceGradients() {
        ComposedSpace space = cells();
        ComposedSupernet single = ComposedSupernet.compile(space, PathPolicies.singlePath(3),
                ModuleCatalogue.standard(), DataType.DOUBLE, 2);
        INDArray x = GradientCheck.random(4, 2, 1, 16, 16);
        INDArray y = single.forward(x, Mode.TRAINING);
        single.weights().parameters().forEach(Parameter::clearGradient);
        single.backward(y.dup());
        int[] drawn = ((SinglePathPolicy) single.policy()).current();
        assertEquals(single.edgeChoices().length, drawn.length);
        // per cell edge whose input is chosen: the candidates of one state only (the drawn one) got gradients
        java.util.Map<String, java.util.Set<String>> trained = new java.util.HashMap<>();
        for (Parameter p : single.weights().parameters()) {
            int from = p.name().indexOf("~from");
            if (from >= 0 && p.hasGradient()) {
                String state = p.name().substring(from + 5, p.name().indexOf('~', from + 1));
                trained.computeIfAbsent(p.name().substring(0, from), k -> new java.util.HashSet<>()).add(state);
            }
        }
        assertTrue(!trained.isEmpty());
        trained.forEach((place, states) -> assertEquals(1, states.size(), place + " " + states));
        Architecture a = space.sample(new SplittableRandom(9));
        ComposedSupernet fixed = ComposedSupernet.restrictedTo(a, ModuleCatalogue.standard(), DataType.DOUBLE, 2);
        GradientCheck.check(in -> fixed.forward(in, Mode.TRAINING), fixed::backward, null, x, 20);
    }

    @Test
    void derivesTheStrongestDistinctInputsOfEveryNode() {
        ComposedSpace space = cells();
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.mixed(), ModuleCatalogue.standard(),
                DataType.DOUBLE, 2);
        INDArray alpha = ((LearnedPathPolicy) supernet.policy()).alpha().value();
        int[] choices = supernet.edgeChoices();
        int in0 = -1;
        int in1 = -1;
        for (int e = 0; e < choices.length; e++) {
            String name = space.choices().get(choices[e]).name();
            if (name.equals("normal.n3.in0")) {
                in0 = e;
            } else if (name.equals("normal.n3.in1")) {
                in1 = e;
            }
        }
        assertTrue(in0 >= 0 && in1 >= 0, space.choices().toString());
        // both inputs prefer state 2; input 0 more strongly: it takes 2, input 1 its next best, state 0
        alpha.putRow(in0, org.nd4j.linalg.factory.Nd4j.createFromArray(0.0, 0.0, 5.0));
        alpha.putRow(in1, org.nd4j.linalg.factory.Nd4j.createFromArray(1.0, 0.0, 3.0));
        Architecture derived = supernet.derive();
        assertTrue(space.isValid(derived), derived.toString());
        assertEquals("2", derived.option("normal.n3.in0"));
        assertEquals("0", derived.option("normal.n3.in1"));
        assertArrayEquals(supernet.path(derived), supernet.path(space.parse(derived.toString())));
    }

    @Test
    void gdasAndProxylessGateInputsAsTheyGateOps() {
        for (org.nas4j.estimators.engine.supernet.PathPolicy.Factory factory : List.of(
                PathPolicies.gdas(5, pass -> 1.0), PathPolicies.proxyless(5))) {
            ComposedSupernet supernet = ComposedSupernet.compile(picks(), factory, ModuleCatalogue.standard(),
                    DataType.DOUBLE, 2);
            Parameter alpha = ((LearnedPathPolicy) supernet.policy()).alpha();
            int[] choices = supernet.edgeChoices();
            boolean[] moved = new boolean[choices.length];
            for (int pass = 0; pass < 6; pass++) {
                INDArray y = supernet.forward(GradientCheck.random(pass, 2, 1, 8, 8), Mode.TRAINING);
                supernet.backward(GradientCheck.random(pass + 50, y.shape()));
                for (int e = 0; e < choices.length; e++) {
                    moved[e] |= alpha.gradient().getRow(e).amaxNumber().doubleValue() > 0;
                }
            }
            for (int e = 0; e < choices.length; e++) {
                assertTrue(moved[e], factory + ": no gradient for '" + supernet.space().choices().get(choices[e])
                        .name() + "'");
            }
        }
    }
}
