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
import org.nas4j.core.space.Graph;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NetworkCompilerTest {

    static final List<String> CELLS = List.of(
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
            "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
            "|nor_conv_1x1~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_3x3~2|",
            "|none~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_3x3~2|",
            "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|");

    @Test
    void parameterCountsEqualTheCostModel() {
        List<NasBench201Space> spaces = List.of(NasBench201Space.standard(),
                NasBench201Space.builder().channels(4).cellsPerStage(1).inputChannels(1).imageSize(28).build(),
                NasBench201Space.builder().channels(8).cellsPerStage(2).classes(5).build());
        for (NasBench201Space space : spaces) {
            for (String cell : CELLS) {
                Architecture a = space.parse(cell);
                TrainableNetwork net = NetworkCompiler.compile(a, 1);
                assertEquals(space.network().parameters(a), net.parameterCount(), space + " " + cell);
            }
        }
    }

    @Test
    void forwardGivesLogitsForEveryCellOnFashionMnistShapes() {
        NasBench201Space space = NasBench201Space.builder().channels(4).cellsPerStage(1).inputChannels(1)
                .imageSize(28).build();
        INDArray x = GradientCheck.random(3, 2, 1, 28, 28).castTo(DataType.FLOAT);
        for (String cell : CELLS) {
            TrainableNetwork net = NetworkCompiler.compile(space.parse(cell), 7);
            INDArray y = net.forward(x, Mode.TRAINING);
            assertArrayEquals(new long[] {2, 10}, y.shape(), cell);
            assertTrue(Double.isFinite(y.sumNumber().doubleValue()), cell);
            net.backward(Nd4j.onesLike(y));
        }
    }

    @Test
    void cellGradientsMatchFiniteDifferences() {
        NasBench201Space space = NasBench201Space.builder().channels(2).cellsPerStage(1).build();
        for (String text : List.of(CELLS.get(0), CELLS.get(3))) {
            Graph g = space.cells(space.parse(text)).get(0);
            ParameterSet params = new ParameterSet(DataType.DOUBLE, 5);
            GraphCell cell = new GraphCell(params, "cell", g, ModuleCatalogue.standard().asOpFactory(), new int[] {2},
                    2, false);
            params.seal();
            GradientCheck.check(cell, params, GradientCheck.random(11, 2, 2, 4, 4), Mode.TRAINING);
        }
    }

    @Test
    void twoInputConcatCellRunsAndSplitsGradients() {
        Graph g = new Graph("normal", List.of(Graph.Node.input(0), Graph.Node.input(1), Graph.Node.sum(2),
                Graph.Node.sum(3), new Graph.Node(4, "identity", Graph.Combine.CONCAT)),
                List.of(new Graph.Edge(0, 2, "nor_conv_3x3"), new Graph.Edge(1, 2, "skip_connect"),
                        new Graph.Edge(1, 3, "avg_pool_3x3"), new Graph.Edge(2, 3, "nor_conv_1x1"),
                        new Graph.Edge(2, 4, "identity"), new Graph.Edge(3, 4, "identity")));
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 5);
        GraphCell cell = new GraphCell(params, "cell", g, ModuleCatalogue.standard().asOpFactory(),
                new int[] {2, 2}, 2, false);
        params.seal();
        assertEquals(4, cell.outputChannels());
        INDArray a = GradientCheck.random(1, 2, 2, 3, 3);
        INDArray b = GradientCheck.random(2, 2, 2, 3, 3);
        GradientCheck.check(x -> cell.forward(List.of(x, b), Mode.TRAINING), gy -> cell.backwardInputs(gy).get(0),
                params, a);
        GradientCheck.check(x -> cell.forward(List.of(a, x), Mode.TRAINING), gy -> cell.backwardInputs(gy).get(1),
                null, b);
    }

    @Test
    void trainingOnASmallBatchLowersTheLoss() {
        NasBench201Space space = NasBench201Space.builder().channels(4).cellsPerStage(1).inputChannels(1)
                .imageSize(8).build();
        TrainableNetwork net = NetworkCompiler.compile(space.parse(CELLS.get(0)), 3);
        INDArray x = GradientCheck.random(4, 16, 1, 8, 8).castTo(DataType.FLOAT);
        int[] labels = new SplittableRandom(1).ints(16, 0, 10).toArray();
        INDArray y = SoftmaxCrossEntropy.oneHot(labels, 10, DataType.FLOAT);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Adam adam = Adam.builder(net.parameters(), LearningRateSchedule.constant(0.01)).build();
        double first = 0;
        double last = 0;
        for (int step = 0; step < 15; step++) {
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
    void nasBench201CompilesFromItsComposedForm() {
        NasBench201Space space = NasBench201Space.builder().channels(4).cellsPerStage(1).build();
        SpaceCompiler compiler = assertInstanceOf(SpaceCompiler.class, NetworkCompiler.factoryFor(space));
        assertEquals(NasBench201Definition.of(space), compiler.space());
        Architecture a = space.parse(CELLS.get(0));
        assertEquals(space.network().multiplyAdds(a), compiler.multiplyAdds(a).getAsLong());
        assertEquals(a.toString(), compiler.build(a, 1).description());
    }

    @Test
    void unknownSpacesAndOpsAreRefusedWithTheirNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkCompiler.factoryFor(DartsSpace.darts()));
        assertTrue(e.getMessage().contains("space '" + DartsSpace.darts().name() + "' has no composed form"),
                e.getMessage());
        assertTrue(e.getMessage().contains("DartsFactory"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModuleCatalogue.standard()
                .create(new ParameterSet(DataType.FLOAT, 1), "x", "my_conv_9x9", 4, 4, 1));
        assertTrue(e.getMessage().contains("no module for op 'my_conv_9x9'"), e.getMessage());
    }
}
