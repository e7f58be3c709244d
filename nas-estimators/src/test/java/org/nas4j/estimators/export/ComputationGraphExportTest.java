package org.nas4j.estimators.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.network.DartsFactory;
import org.nas4j.estimators.network.NetworkCompiler;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.darts.Genotypes;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class ComputationGraphExportTest {

    static final NasBench201Space SPACE = NasBench201Space.builder().channels(4).cellsPerStage(1).inputChannels(1)
            .imageSize(8).build();

    /** A network trained for a few steps, so that weights and batch-norm statistics are not the initial ones. */
    static TrainableNetwork trained(String cell, INDArray x) {
        TrainableNetwork net = NetworkCompiler.compile(SPACE.parse(cell), 5);
        INDArray y = SoftmaxCrossEntropy.oneHot(new SplittableRandom(2).ints(x.size(0), 0, 10).toArray(), 10,
                DataType.FLOAT);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Sgd sgd = Sgd.builder(net.parameters(), LearningRateSchedule.constant(0.05)).momentum(0.9).build();
        for (int step = 0; step < 3; step++) {
            loss.forward(net.forward(x, Mode.TRAINING), y);
            net.backward(loss.backward());
            sgd.step();
        }
        return net;
    }

    @Test
    void exportedGraphGivesTheEngineOutputsAndSurvivesSerialization(@TempDir Path dir) throws Exception {
        INDArray x = GradientCheck.random(9, 6, 1, 8, 8).castTo(DataType.FLOAT);
        for (String cell : List.of(
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
                "|nor_conv_1x1~0|+|none~0|none~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_3x3~2|",
                "|none~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|none~0|none~1|none~2|")) {
            TrainableNetwork net = trained(cell, x);
            INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
            ComputationGraph graph = ComputationGraphExport.toComputationGraph(net);
            if (!cell.contains("none")) {
                assertEquals(net.parameterCount(), ExportParity.graphParameters(graph), cell);
            } else { // ops that cannot reach the output are left out of the graph
                assertTrue(ExportParity.graphParameters(graph) <= net.parameterCount(), cell);
            }
            INDArray actual = graph.outputSingle(x);
            assertArrayEquals(expected.shape(), actual.shape());
            double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
            assertTrue(diff <= ExportParity.TOLERANCE, cell + ": max |engine - dl4j| = " + diff);

            File file = dir.resolve("model.zip").toFile();
            ModelSerializer.writeModel(graph, file, true);
            ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
            double restoredDiff = Transforms.abs(actual.sub(restored.outputSingle(x))).maxNumber().doubleValue();
            assertEquals(0.0, restoredDiff, 1e-7, cell);
        }
    }

    @Test
    void dartsNetworkExportsWithDepthwiseDilatedPoolingAndFactorizedReduce() {
        DartsSpace space = DartsSpace.darts();
        TrainableNetwork net = new DartsFactory(space, 4, 3, 10, 1, 8).build(space.parse(
                Genotypes.DARTS_V1.toString()), 2);
        INDArray x = GradientCheck.random(8, 4, 1, 8, 8).castTo(DataType.FLOAT);
        ExportParity.trainTwoSteps(net, x, new int[] {1, 2, 3, 4});
        INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
        ComputationGraph graph = ComputationGraphExport.toComputationGraph(net);
        assertEquals(net.parameterCount(), ExportParity.graphParameters(graph));
        double diff = Transforms.abs(expected.sub(graph.outputSingle(x))).maxNumber().doubleValue();
        assertTrue(diff <= ExportParity.TOLERANCE, "max |engine - dl4j| = " + diff);
    }

    @Test
    void dartsV2NetworkWithDilatedConvolutionsExportsAndSurvivesSerialization(@TempDir Path dir) throws Exception {
        DartsSpace space = DartsSpace.darts();
        // DARTS_V2's normal cell has a dil_conv_3x3 (depthwise 3x3, dilation 2, padding 2, stride 1)
        TrainableNetwork net = new DartsFactory(space, 4, 3, 10, 1, 16).build(space.parse(
                Genotypes.DARTS_V2.toString()), 3);
        INDArray x = GradientCheck.random(10, 4, 1, 16, 16).castTo(DataType.FLOAT);
        ExportParity.trainTwoSteps(net, x, new int[] {0, 5, 7, 9});
        INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
        ComputationGraph graph = ComputationGraphExport.toComputationGraph(net);
        assertEquals(net.parameterCount(), ExportParity.graphParameters(graph));
        INDArray actual = graph.outputSingle(x);
        double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
        assertTrue(diff <= ExportParity.TOLERANCE, "max |engine - dl4j| = " + diff);

        File file = dir.resolve("darts_v2.zip").toFile();
        ModelSerializer.writeModel(graph, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        double restoredDiff = Transforms.abs(actual.sub(restored.outputSingle(x))).maxNumber().doubleValue();
        assertEquals(0.0, restoredDiff, 1e-7);
    }

    @Test
    void dartsNetworkWithAuxiliaryHeadAndDropPathExportsTheMainHeadOnly() {
        DartsSpace space = DartsSpace.darts();
        DartsFactory factory = new DartsFactory(space, 2, 3, 10, 3, 32);
        TrainableNetwork net = factory.auxiliaryHead(0.4).dropPath(0.3).build(space.parse(
                Genotypes.DARTS_V1.toString()), 4);
        INDArray x = GradientCheck.random(8, 2, 3, 32, 32).castTo(DataType.FLOAT);
        INDArray y = SoftmaxCrossEntropy.oneHot(new int[] {1, 2}, 10, DataType.FLOAT);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        SoftmaxCrossEntropy aux = new SoftmaxCrossEntropy();
        Sgd sgd = Sgd.builder(net.parameters(), LearningRateSchedule.constant(0.05)).momentum(0.9).build();
        for (int step = 0; step < 2; step++) {
            loss.forward(net.forward(x, Mode.TRAINING), y);
            aux.forward(net.auxiliaryLogits(), y);
            net.backward(loss.backward(), aux.backward().muli(0.4));
            sgd.step();
        }
        INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
        ComputationGraph graph = ComputationGraphExport.toComputationGraph(net);
        long withoutHead = factory.build(space.parse(Genotypes.DARTS_V1.toString()), 4).parameterCount();
        assertEquals(withoutHead, ExportParity.graphParameters(graph));
        assertTrue(withoutHead < net.parameterCount());
        double diff = Transforms.abs(expected.sub(graph.outputSingle(x))).maxNumber().doubleValue();
        assertTrue(diff <= ExportParity.TOLERANCE, "max |engine - dl4j| = " + diff);
    }
}
