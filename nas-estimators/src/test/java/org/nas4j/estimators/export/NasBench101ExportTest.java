package org.nas4j.estimators.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.network.NasBench101Factory;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nas4j.spaces.nasbench101.NasBench101Cell;
import org.nas4j.spaces.nasbench101.NasBench101Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

class NasBench101ExportTest {

    static final NasBench101Space SPACE = NasBench101Space.create();
    static final NasBench101Factory TINY = NasBench101Factory.builder(SPACE).inputChannels(1).imageSize(8)
            .stemChannels(5).stacks(2).cellsPerStack(1).batchNormMomentum(0.3).build();

    /** Cells with truncation (5 output channels split 2/2/1), every op, projections to vertices and output. */
    static final List<NasBench101Cell> CELLS = List.of(
            NasBench101Cell.of(new int[][] {
                    {0, 1, 0, 1, 1}, {0, 0, 1, 0, 1}, {0, 0, 0, 0, 1}, {0, 0, 0, 0, 1}, {0, 0, 0, 0, 0}},
                    List.of("input", "conv3x3-bn-relu", "maxpool3x3", "conv1x1-bn-relu", "output")),
            NasBench101Cell.of(new int[][] {
                    {0, 1, 1, 1, 0, 1, 0}, {0, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 1, 0, 0},
                    {0, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 0}},
                    List.of("input", "conv1x1-bn-relu", "conv3x3-bn-relu", "conv3x3-bn-relu", "conv3x3-bn-relu",
                            "maxpool3x3", "output")),
            NasBench101Cell.of(new int[][] {{0, 1}, {0, 0}}, List.of("input", "output")));

    @Test
    void exportedNb101NetworksGiveTheEngineOutputsAndSurviveSerialization(@TempDir Path dir) throws Exception {
        INDArray x = GradientCheck.random(9, 6, 1, 8, 8).castTo(DataType.FLOAT);
        INDArray y = SoftmaxCrossEntropy.oneHot(new SplittableRandom(2).ints(6, 0, 10).toArray(), 10,
                DataType.FLOAT);
        for (NasBench101Cell cell : CELLS) {
            TrainableNetwork net = TINY.build(SPACE.architecture(cell), 4);
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            Sgd sgd = Sgd.builder(net.parameters(), LearningRateSchedule.constant(0.05)).momentum(0.9).build();
            for (int step = 0; step < 3; step++) { // weights and batch-norm statistics move off their initial values
                loss.forward(net.forward(x, Mode.TRAINING), y);
                net.backward(loss.backward());
                sgd.step();
            }
            INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
            Path file = dir.resolve("nb101.zip");
            ComputationGraph graph = ComputationGraphExport.save(net, file);
            assertEquals(net.parameterCount(), ExportParity.graphParameters(graph), cell.toString());
            INDArray actual = graph.outputSingle(x);
            assertArrayEquals(expected.shape(), actual.shape());
            double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
            assertTrue(diff <= ExportParity.TOLERANCE, cell + ": max |engine - dl4j| = " + diff);
            ComputationGraph restored = ModelSerializer.restoreComputationGraph(file.toFile(), true);
            assertEquals(0.0, Transforms.abs(actual.sub(restored.outputSingle(x))).maxNumber().doubleValue(), 1e-7);
            if (cell == CELLS.get(0)) {
                assertTrue(graph.getConfiguration().getVertices().values().stream()
                        .anyMatch(v -> v instanceof SubsetVertex), "truncation exported as a SubsetVertex");
            }
            var bn = (BatchNormalization) graph.getLayer("stem.bn").conf().getLayer();
            assertEquals(0.7, bn.getDecay(), 1e-12, "decay = 1 - momentum");
        }
    }
}
