package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.spaces.darts.DartsCostModel;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.darts.Genotype;
import org.nas4j.spaces.darts.Genotypes;
import org.nas4j.spaces.darts.OpSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NASNet and PNAS cells, whose ops go beyond the DARTS set (factorized 1 x k / k x 1 convolutions, plain
 * convolutions, 5x5 and 7x7 max pooling), compile into networks counted as {@link DartsCostModel} counts them and train.
 */
public class NasnetPnasFactoryTest {

    /** Every NASNet op, each at stride 1 (normal cell) and most at stride 2 (reduction cell). */
    public static final String EVERY_NASNET_OP = "Genotype(normal=[('conv_3x1_1x3', 0), ('conv_7x1_1x7', 1),"
            + " ('conv_1x1', 0), ('conv_3x3', 1), ('max_pool_5x5', 0), ('max_pool_7x7', 1), ('sep_conv_7x7', 0),"
            + " ('dil_conv_3x3', 1), ('avg_pool_3x3', 0), ('skip_connect', 1)], normal_concat=[2, 3, 4, 5, 6],"
            + " reduce=[('conv_3x1_1x3', 1), ('conv_7x1_1x7', 0), ('conv_1x1', 1), ('conv_3x3', 0),"
            + " ('max_pool_5x5', 1), ('max_pool_7x7', 0), ('sep_conv_3x3', 1), ('sep_conv_5x5', 0),"
            + " ('skip_connect', 1), ('max_pool_3x3', 0)], reduce_concat=[2, 3, 4, 5, 6])";

    /** A PNAS cell with all 8 PNAS ops; {@code conv_7x1_1x7} reads a cell input and an intermediate node. */
    public static final String PNAS_CELL = "Genotype(normal=[('sep_conv_5x5', 0), ('max_pool_3x3', 0),"
            + " ('sep_conv_7x7', 1), ('conv_7x1_1x7', 1), ('conv_7x1_1x7', 2), ('sep_conv_3x3', 1),"
            + " ('dil_conv_3x3', 3), ('skip_connect', 0), ('avg_pool_3x3', 4), ('sep_conv_3x3', 0)],"
            + " normal_concat=[5, 6], reduce=[('sep_conv_5x5', 0), ('max_pool_3x3', 0), ('sep_conv_7x7', 1),"
            + " ('conv_7x1_1x7', 1), ('conv_7x1_1x7', 2), ('sep_conv_3x3', 1), ('dil_conv_3x3', 3),"
            + " ('skip_connect', 0), ('avg_pool_3x3', 4), ('sep_conv_3x3', 0)], reduce_concat=[5, 6])";

    @Test
    void everyNasnetAndPnasOpCompiles() {
        Set<String> used = new HashSet<>();
        for (String text : List.of(EVERY_NASNET_OP, Genotypes.NASNET.toString())) {
            Genotype g = DartsSpace.nasnet().genotype(DartsSpace.nasnet().parse(text));
            for (Genotype.Pair p : g.normal()) {
                used.add(p.op());
            }
            for (Genotype.Pair p : g.reduce()) {
                used.add(p.op());
            }
        }
        assertTrue(used.containsAll(OpSet.NASNET.ops()), "untested NASNet ops: " + OpSet.NASNET.ops());
        assertTrue(DartsModules.SUPPORTED.containsAll(OpSet.NASNET.ops()));
        assertTrue(DartsModules.SUPPORTED.containsAll(OpSet.PNAS.ops()));
    }

    @Test
    void parameterCountsEqualTheReferenceNetwork() {
        check(DartsSpace.nasnet(), Genotypes.NASNET.toString());
        check(DartsSpace.nasnet(), Genotypes.AMOEBANET.toString());
        check(DartsSpace.nasnet(), EVERY_NASNET_OP);
        check(DartsSpace.pnas(), PNAS_CELL);
    }

    private static void check(DartsSpace space, String genotype) {
        Architecture a = space.parse(genotype);
        for (int[] cl : new int[][] {{8, 5}, {36, 20}}) {
            long expected = DartsCostModel.cifar(space.genotype(a)).channels(cl[0]).layers(cl[1]).auxiliary(false)
                    .build().parameters();
            TrainableNetwork net = new DartsFactory(space, cl[0], cl[1], 10, 3, 32).build(a, 1);
            assertEquals(expected, net.parameterCount(), genotype + " C=" + cl[0] + " L=" + cl[1]);
        }
    }

    @Test
    void aTrainingStepLowersTheLoss() {
        DartsSpace space = DartsSpace.nasnet();
        TrainableNetwork net = new DartsFactory(space, 4, 3, 10, 1, 16).build(space.parse(EVERY_NASNET_OP), 3);
        INDArray x = GradientCheck.random(4, 4, 1, 16, 16).castTo(DataType.FLOAT);
        INDArray y = SoftmaxCrossEntropy.oneHot(new int[] {0, 3, 6, 9}, 10, DataType.FLOAT);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Sgd sgd = Sgd.builder(net.parameters(), LearningRateSchedule.constant(0.05)).build();
        double first = loss.forward(net.forward(x, Mode.TRAINING), y);
        assertArrayEquals(new long[] {4, 10}, net.forward(x, Mode.TRAINING).shape());
        loss.forward(net.forward(x, Mode.TRAINING), y);
        net.backward(loss.backward());
        sgd.step();
        double second = loss.forward(net.forward(x, Mode.TRAINING), y);
        assertTrue(Double.isFinite(second) && second < first, "loss went from " + first + " to " + second);
    }

    @Test
    void factorizedConvolutionAtStrideTwoMatchesFiniteDifferences() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 5);
        Module op = DartsModules.factorizedConv(params, "fac", 2, 3, 3, 2);
        params.seal();
        INDArray x = GradientCheck.random(6, 3, 2, 6, 6);
        assertArrayEquals(new long[] {3, 3, 3, 3}, op.forward(x, Mode.TRAINING).shape());
        GradientCheck.check(in -> op.forward(in, Mode.TRAINING), op::backward, params, x);
    }
}
