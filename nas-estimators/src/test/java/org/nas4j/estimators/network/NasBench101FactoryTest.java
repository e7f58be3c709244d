package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.spaces.nasbench101.NasBench101Cell;
import org.nas4j.spaces.nasbench101.NasBench101CostModel;
import org.nas4j.spaces.nasbench101.NasBench101Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class NasBench101FactoryTest {

    static final NasBench101Space SPACE = NasBench101Space.create();

    /** The Inception-like cell of the benchmark's README (2,694,282 parameters in the benchmark network). */
    static final NasBench101Cell INCEPTION = NasBench101Cell.of(new int[][] {
            {0, 1, 1, 1, 0, 1, 0}, {0, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 1, 0, 0},
            {0, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 0}},
            List.of("input", "conv1x1-bn-relu", "conv3x3-bn-relu", "conv3x3-bn-relu", "conv3x3-bn-relu",
                    "maxpool3x3", "output"));

    /**
     * Input to 1, 3 and output; 1 to 2 and output; 2 and 3 to output. With 4 output channels vertex 1 gets 2
     * and vertices 2 and 3 get 1 each, so 1 -> 2 is truncated; every op kind and both projections occur.
     */
    static final NasBench101Cell TRUNCATING = NasBench101Cell.of(new int[][] {
            {0, 1, 0, 1, 1}, {0, 0, 1, 0, 1}, {0, 0, 0, 0, 1}, {0, 0, 0, 0, 1}, {0, 0, 0, 0, 0}},
            List.of("input", "conv3x3-bn-relu", "maxpool3x3", "conv1x1-bn-relu", "output"));

    static NasBench101Factory tiny(int stem, int stacks, int cells, DataType type) {
        return NasBench101Factory.builder(SPACE).inputChannels(1).imageSize(8).stemChannels(stem).stacks(stacks)
                .cellsPerStack(cells).batchNormMomentum(0.1).dataType(type).build();
    }

    @Test
    void inceptionCellHasTheBenchmarksParameterCount() {
        // NAS-Bench-101 compiles through NetworkCompiler with its own cell rules, in the benchmark's configuration
        NasBench101Factory benchmark = assertInstanceOf(NasBench101Factory.class, NetworkCompiler.factoryFor(SPACE));
        TrainableNetwork net = benchmark.build(SPACE.architecture(INCEPTION), 1);
        assertEquals(2_694_282L, net.parameterCount());
        assertEquals(NasBench101CostModel.benchmark().parameters(INCEPTION), net.parameterCount());
    }

    @Test
    void randomCellsHaveTheCostModelsParameterCount() {
        SplittableRandom rng = new SplittableRandom(7);
        List<NasBench101Factory> factories = List.of(tiny(4, 2, 2, DataType.FLOAT), tiny(5, 3, 1, DataType.FLOAT),
                NasBench101Factory.builder(SPACE).stemChannels(7).stacks(2).cellsPerStack(1).classes(5).build());
        for (int i = 0; i < 30; i++) {
            Architecture a = SPACE.sample(rng);
            NasBench101Factory f = factories.get(i % factories.size());
            assertEquals(f.network().parameters(SPACE.cell(a)), f.build(a, i).parameterCount(), f + " " + a);
        }
    }

    @Test
    void truncatingCellGradientsMatchFiniteDifferences() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 3);
        Nb101Cell cell = new Nb101Cell(params, "cell", TRUNCATING, 3, 4, 0.1);
        params.seal();
        assertArrayEquals(new int[] {3, 2, 1, 1, 4}, cell.vertexChannels());
        GradientCheck.check(cell, params, GradientCheck.random(4, 2, 3, 4, 4), Mode.TRAINING);
    }

    @Test
    void wholeNetworkGradientsMatchFiniteDifferences() {
        NasBench101Factory f = tiny(3, 2, 1, DataType.DOUBLE);
        TrainableNetwork net = f.build(SPACE.architecture(TRUNCATING), 5);
        GradientCheck.check(x -> net.forward(x, Mode.TRAINING), net.body()::backward, net.parameters(),
                GradientCheck.random(6, 3, 1, 8, 8), 4);
    }

    @Test
    void trainingOnASmallBatchLowersTheLoss() {
        TrainableNetwork net = tiny(8, 1, 1, DataType.FLOAT).build(SPACE.architecture(INCEPTION), 3);
        INDArray x = GradientCheck.random(4, 16, 1, 8, 8).castTo(DataType.FLOAT);
        INDArray y = SoftmaxCrossEntropy.oneHot(new SplittableRandom(1).ints(16, 0, 10).toArray(), 10,
                DataType.FLOAT);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Adam adam = Adam.builder(net.parameters(), LearningRateSchedule.constant(0.03)).build();
        double first = 0;
        double last = 0;
        for (int step = 0; step < 20; step++) {
            last = loss.forward(net.forward(x, Mode.TRAINING), y);
            if (step == 0) {
                first = last;
            }
            net.backward(loss.backward());
            adam.step();
        }
        assertTrue(last < 0.5 * first, "loss went from " + first + " to " + last);
    }

    @Test
    void badConfigurationsAreRefusedWithTheirNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NasBench101Factory.builder(SPACE).imageSize(30).stacks(3).build());
        assertTrue(e.getMessage().contains("imageSize") && e.getMessage().contains("30"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NasBench101Factory.builder(SPACE).stemChannels(0));
        assertTrue(e.getMessage().contains("stemChannels"), e.getMessage());
    }
}
