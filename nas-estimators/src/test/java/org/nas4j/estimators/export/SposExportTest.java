package org.nas4j.estimators.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.ChannelShuffle;
import org.nas4j.estimators.network.NetworkCompiler;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nas4j.spaces.mobile.SposSpace;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.buffer.util.DataTypeUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * SPOS' ShuffleNetV2 networks (channel shuffle, channel split, concatenated branches, the classifier without bias),
 * trained two steps, export to DL4J with output parity and survive serialization; the shuffle vertex's backward
 * pass passes DL4J's own gradient check.
 */
class SposExportTest {

    @Test
    void smallSposNetworksExportWithParityAndSurviveSerialization(@TempDir Path dir) throws Exception {
        ComposedSpace space = SposSpace.small().input(1, 16).build();
        INDArray x = GradientCheck.random(13, 4, 1, 16, 16).castTo(DataType.FLOAT);
        List<List<Integer>> blocks = List.of(List.of(0, 1, 2, 3, 0, 1), List.of(3, 2, 1, 0, 3, 3));
        List<List<String>> scales = List.of(List.of("0.4", "1.0", "1.6", "0.8", "1.2", "0.2"),
                List.of("1.6", "0.6", "1.0", "1.4", "0.4", "1.0"));
        for (int i = 0; i < blocks.size(); i++) {
            Architecture a = SposSpace.architecture(space, blocks.get(i), scales.get(i));
            TrainableNetwork net = NetworkCompiler.compile(a, i);
            ExportParity.trainTwoSteps(net, x, new int[] {0, 2, 4, 9});
            INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
            Path file = dir.resolve("spos" + i + ".zip");
            ComputationGraph graph = ComputationGraphExport.save(net, file);
            assertEquals(net.parameterCount(), ExportParity.graphParameters(graph), a.toString());
            INDArray actual = graph.outputSingle(x);
            assertArrayEquals(expected.shape(), actual.shape());
            double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
            assertTrue(diff <= ExportParity.TOLERANCE, a + ": max |engine - dl4j| = " + diff);
            assertTrue(graph.getConfiguration().getVertices().values().stream()
                    .anyMatch(v -> v instanceof ChannelShuffleVertex), "the shuffle exported as ChannelShuffleVertex");
            ComputationGraph restored = ModelSerializer.restoreComputationGraph(file.toFile(), true);
            assertEquals(0.0, Transforms.abs(actual.sub(restored.outputSingle(x))).maxNumber().doubleValue(), 1e-7);
        }
    }

    /** input (6 channels) -> 1x1 conv -> shuffle -> 1x1 conv -> average pooling -> output (MSE). */
    private static ComputationGraph shuffleGraph(int groups) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3)
                .updater(new NoOp()).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(3, 3, 6))
                .addLayer("a", new ConvolutionLayer.Builder(1, 1).nIn(6).nOut(6)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build(), "in")
                .addVertex("shuffle", new ChannelShuffleVertex(groups), "a")
                .addLayer("b", new ConvolutionLayer.Builder(1, 1).nIn(6).nOut(4)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build(), "shuffle")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    @Test
    void theShuffleVertexComputesTheEnginesShuffleAndPassesDl4jsGradientCheck() {
        for (int groups : new int[] {2, 3}) {
            ComputationGraph graph = shuffleGraph(groups);
            INDArray x = GradientCheck.random(21, 2, 6, 3, 3);
            Map<String, INDArray> activations = graph.feedForward(x, false);
            INDArray expected = new ChannelShuffle(groups).forward(activations.get("a"), Mode.INFERENCE);
            assertEquals(expected, activations.get("shuffle"));
            INDArray labels = GradientCheck.random(22, 2, 2);
            // DL4J's check reads the global data type; restored at once
            DataType before = DataTypeUtil.getDtypeFromContext();
            DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
            try {
                assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                        .inputs(new INDArray[] {x}).labels(new INDArray[] {labels})), "groups " + groups);
            } finally {
                DataTypeUtil.setDTypeForContext(before);
            }
        }
    }
}
