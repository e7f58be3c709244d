package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.spaces.darts.DartsDefinition;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.darts.Genotype;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DARTS' relaxation in {@link ComposedSupernet}: nodes that pick 2 of their earlier states become one mixed op with
 * {@code none} per candidate state, as the reference's search network ({@code model_search.py}).
 */
class ComposedDartsRelaxationTest {

    /** Two nodes per cell: edges (node 2: states 0, 1), (node 3: states 0, 1, 2). */
    private static final DartsSpace TWO_NODES = DartsSpace.builder().nodes(2).build();

    @Test
    void theDartsSearchNetworkHasTheReferencesEdgesAndWeights() {
        ComposedSupernet net = ComposedSupernet.compile(DartsDefinition.cifar(DartsSpace.darts(), 16, 8, false)
                .build(), PathPolicies.mixed(), ModuleCatalogue.dartsSearch(), DataType.FLOAT, 0);
        // 14 edges of none + 7 ops for the normal cells, then 14 for the reduction cells
        int[] sizes = new int[28];
        Arrays.fill(sizes, 8);
        assertArrayEquals(sizes, net.edgeSizes());
        assertTrue(Arrays.stream(net.edgeChoices()).allMatch(c -> c == -1), "state edges decide no single choice");
        // the reference's model_search.Network(16, 10, 8): 1,930,618 weights (the hand-wired network had as many)
        assertEquals(1_930_618, net.weights().size());
        assertEquals("none", net.sites(0, 0).get(0).op());
        assertEquals("max_pool_3x3", net.sites(14, 1).get(0).op());
        assertEquals(2, net.sites(14, 1).get(0).stride(), "a reduction cell's edge from an input has stride 2");
        assertEquals(1, net.sites(18, 1).get(0).stride(), "node 3's edge from node 2 has stride 1");
    }

    @Test
    void relaxedNodesHaveFiniteDifferenceGradients() {
        ComposedSupernet net = ComposedSupernet.compile(DartsSearchSpaces.search(TWO_NODES, 1, 8, 3, 4, 3),
                PathPolicies.mixed(), ModuleCatalogue.dartsSearch(), DataType.DOUBLE, 5);
        // larger architecture weights than the default, so that their gradients are not tiny
        net.architectureParameters().values().assign(GradientCheck.random(3, net.architectureParameters().size()));
        INDArray x = GradientCheck.random(11, 2, 1, 8, 8);
        int[] counter = {0};
        GradientCheck.check(in -> net.forward(in, Mode.TRAINING), net::backward, net.weights(), x, 2,
                p -> counter[0]++ % 13 == 0);
        GradientCheck.check(in -> net.forward(in, Mode.TRAINING), net::backward, net.architectureParameters(), x, 8);
    }

    @Test
    void theArchitecturesPathTakesItsOpsOnTheStatesItReadsAndNoneElsewhere() {
        ComposedSpace space = DartsSearchSpaces.search(TWO_NODES, 1, 8, 3, 4, 3);
        ComposedSupernet net = ComposedSupernet.compile(space, PathPolicies.mixed(), ModuleCatalogue.dartsSearch(),
                DataType.FLOAT, 0);
        Genotype g = TWO_NODES.genotype(TWO_NODES.parse("Genotype(normal=[('sep_conv_3x3', 0), ('skip_connect', 1),"
                + " ('dil_conv_5x5', 2), ('max_pool_3x3', 0)], normal_concat=[2, 3], reduce=[('avg_pool_3x3', 0),"
                + " ('sep_conv_5x5', 1), ('skip_connect', 1), ('dil_conv_3x3', 2)], reduce_concat=[2, 3])"));
        int none = 0;
        int maxPool = 1;
        int avgPool = 2;
        int skip = 3;
        int sep3 = 4;
        int sep5 = 5;
        int dil3 = 6;
        int dil5 = 7;
        assertEquals(java.util.List.of("none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3",
                "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"), java.util.stream.IntStream.range(0, 8)
                .mapToObj(k -> net.sites(0, k).get(0).op()).toList());
        assertArrayEquals(new int[] {sep3, skip, maxPool, none, dil5, avgPool, sep5, none, skip, dil3},
                net.path(DartsDefinition.architecture(space, g)));
    }

    @Test
    void restrictedToOneArchitectureItGivesTheStandAloneOutput() {
        ComposedSpace space = ComposedSpaces.cells();
        ComposedSupernet net = ComposedSupernet.compile(space, PathPolicies.mixed(), ModuleCatalogue.standard(),
                DataType.FLOAT, 0);
        assertTrue(Arrays.stream(net.edgeChoices()).allMatch(c -> c == -1), "every node of the space is relaxed");
        INDArray x = GradientCheck.random(3, 2, 1, 16, 16);
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 4; i++) {
            ComposedSupernetChoicesTest.assertSameOutput(space.sample(rng), x);
        }
    }

    @Test
    void deriveKeepsTheTwoStrongestStatesOfEveryNodeStrongestFirst() {
        ComposedSpace space = DartsSearchSpaces.search(TWO_NODES, 1, 8, 3, 4, 3);
        ComposedSupernet net = ComposedSupernet.compile(space, PathPolicies.mixed(), ModuleCatalogue.dartsSearch(),
                DataType.DOUBLE, 0);
        // columns: none, max_pool_3x3, avg_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_5x5
        double[][] alpha = new double[10][8];
        alpha[0][4] = 2.0;   // node 2 <- 0: sep_conv_3x3
        alpha[1][0] = 9.0;   // node 2 <- 1: none (ignored); its other ops tie and the first, max_pool_3x3, wins
        alpha[1][3] = -1.0;
        alpha[2][3] = 1.0;   // node 3 <- 0: skip_connect
        alpha[3][0] = 9.0;   // node 3 <- 1: none dominates, its best other op is weak
        alpha[4][5] = 3.0;   // node 3 <- 2: sep_conv_5x5, the strongest: first
        alpha[5][1] = 1.0;   // reduce node 2 <- 0: max_pool_3x3
        alpha[6][2] = 2.0;   // reduce node 2 <- 1: avg_pool_3x3
        alpha[7][6] = 1.0;   // reduce node 3 <- 0 and <- 2 tie (equal rows): the lower state first
        alpha[9][6] = 1.0;
        alpha[8][7] = 0.5;
        ((LearnedPathPolicy) net.policy()).alpha().value().assign(Nd4j.createFromArray(alpha));
        Architecture expected = DartsDefinition.architecture(space, TWO_NODES.genotype(TWO_NODES.parse(
                "Genotype(normal=[('sep_conv_3x3', 0), ('max_pool_3x3', 1), ('sep_conv_5x5', 2), ('skip_connect', 0)],"
                + " normal_concat=[2, 3], reduce=[('max_pool_3x3', 0), ('avg_pool_3x3', 1), ('dil_conv_3x3', 0),"
                + " ('dil_conv_3x3', 2)], reduce_concat=[2, 3])")));
        assertEquals(space.format(expected), space.format(net.derive()));
    }

    @Test
    void nodesThatMayReadAStateTwiceKeepTheGeneralRelaxation() {
        ComposedSpace nasnet = DartsSearchSpaces.search(DartsSpace.builder().nodes(2).distinctInputs(false).build(),
                1, 8, 3, 4, 3);
        ComposedSupernet net = ComposedSupernet.compile(nasnet, PathPolicies.mixed(), ModuleCatalogue.dartsSearch(),
                DataType.FLOAT, 0);
        assertTrue(Arrays.stream(net.edgeChoices()).noneMatch(c -> c == -1), "an edge per op and input choice");
        assertEquals(nasnet.choices().size(), net.edgeChoices().length);
    }
}
