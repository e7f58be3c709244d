package org.nas4j.estimators.engine.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.spaces.darts.DartsSpace;
import org.nd4j.linalg.factory.Nd4j;

/** DARTS' derivation rule on hand-set weights (2 nodes: 5 edges per cell, ops none + the 7 DARTS ops). */
class GenotypeDerivationTest {

    private static final DartsSpace SPACE = DartsSpace.builder().nodes(2).build();
    // none, max_pool_3x3, avg_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5
    private static final List<String> OPS = List.of("none", "max_pool_3x3", "avg_pool_3x3", "skip_connect",
            "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5");

    private static double[] row(int strongest, double weight) {
        double[] r = new double[OPS.size()];
        java.util.Arrays.fill(r, (1 - weight) / (OPS.size() - 1));
        r[strongest] = weight;
        return r;
    }

    @Test
    void picksTheTwoStrongestEdgesIgnoringNoneStrongestFirst() {
        double[][] normal = {
            row(4, 0.3),             // node 2 <- state 0: sep_conv_3x3
            row(6, 0.5),             // node 2 <- state 1: dil_conv_3x3, stronger: comes first
            row(0, 0.9),             // node 3 <- state 0: none dominates; its best other op is weak (0.1/7)
            row(3, 0.4),             // node 3 <- state 1: skip_connect
            row(5, 0.2),             // node 3 <- state 2: sep_conv_5x5
        };
        double[][] reduce = {
            row(1, 0.6), row(2, 0.6), // tie: the lower state first
            row(7, 0.3), row(0, 0.95), row(4, 0.35),
        };
        String text = SPACE.format(GenotypeDerivation.derive(SPACE, OPS, normal, reduce));
        assertEquals("Genotype(normal=[('dil_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 1), "
                + "('sep_conv_5x5', 2)], normal_concat=[2, 3], reduce=[('max_pool_3x3', 0), ('avg_pool_3x3', 1), "
                + "('sep_conv_3x3', 2), ('dil_conv_5x5', 0)], reduce_concat=[2, 3])", text);
    }

    @Test
    void theSupernetDerivesFromSoftmaxOfItsAlphaBlocks() {
        DartsSupernet net = DartsSupernet.builder(SPACE, PathPolicies.mixed()).channels(2).layers(3).classes(2)
                .inputChannels(1).build();
        double[][] normal = new double[5][8];
        double[][] reduce = new double[5][8];
        normal[0][4] = 2.0;   // sep_conv_3x3 from 0
        normal[1][0] = 9.0;   // none from 1 (ignored); its other ops tie at softmax(0) and lose
        normal[1][3] = -1.0;
        normal[2][3] = 1.0;   // node 3: skip from 0
        normal[4][5] = 3.0;   // node 3: sep_conv_5x5 from 2, strongest
        reduce[0][1] = 1.0;
        reduce[1][2] = 2.0;
        reduce[3][6] = 1.0;
        reduce[4][7] = 0.5;
        net.normalAlpha().assign(Nd4j.createFromArray(normal).castTo(net.normalAlpha().dataType()));
        net.reduceAlpha().assign(Nd4j.createFromArray(reduce).castTo(net.reduceAlpha().dataType()));
        assertEquals("Genotype(normal=[('sep_conv_3x3', 0), ('max_pool_3x3', 1), ('sep_conv_5x5', 2), "
                + "('skip_connect', 0)], normal_concat=[2, 3], reduce=[('avg_pool_3x3', 1), ('max_pool_3x3', 0), "
                + "('dil_conv_3x3', 1), ('dil_conv_5x5', 2)], reduce_concat=[2, 3])",
                SPACE.format(net.derive()));
    }
}
