package org.nas4j.estimators.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.estimators.engine.GradientCheck;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.buffer.util.DataTypeUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The vertex that carries a series between {@code [B, C, 1, T]} and DL4J's recurrent {@code [B, C, T]}: values moved
 * unchanged, DL4J's gradient check through a convolution, the vertex, an LSTM and back, and serialization.
 */
class TimeAxisVertexTest {

    /** input 3 x 1 x 5 -> 1x3 conv -> to [B, C, T] -> LSTM(4) -> to [B, 4, 1, T] -> 1x1 conv -> pooling -> MSE. */
    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3)
                .updater(new NoOp()).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(1, 5, 3))
                .addLayer("a", new ConvolutionLayer.Builder(1, 3).padding(0, 1).nIn(3).nOut(3)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build(), "in")
                .addVertex("seq", new TimeAxisVertex(true), "a")
                .addLayer("lstm", new LSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH)
                        .gateActivationFunction(Activation.SIGMOID).dataFormat(RNNFormat.NCW).build(), "seq")
                .addVertex("map", new TimeAxisVertex(false), "lstm")
                .addLayer("b", new ConvolutionLayer.Builder(1, 1).nIn(4).nOut(2)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build(), "map")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(2)
                        .activation(Activation.IDENTITY).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    @Test
    void movesValuesUnchangedAndPassesDl4jsGradientCheck() {
        ComputationGraph graph = graph();
        INDArray x = GradientCheck.random(31, 2, 3, 1, 5);
        Map<String, INDArray> activations = graph.feedForward(x, false);
        assertEquals(activations.get("a").reshape(2, 3, 5), activations.get("seq"));
        assertEquals(activations.get("lstm").reshape(2, 4, 1, 5), activations.get("map"));
        INDArray labels = GradientCheck.random(32, 2, 2);
        // DL4J's check reads the global data type; restored at once
        DataType before = DataTypeUtil.getDtypeFromContext();
        DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
        try {
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                    .inputs(new INDArray[] {x}).labels(new INDArray[] {labels})));
        } finally {
            DataTypeUtil.setDTypeForContext(before);
        }
    }

    @Test
    void survivesSerialization(@TempDir Path dir) throws Exception {
        ComputationGraph graph = graph();
        INDArray x = GradientCheck.random(33, 2, 3, 1, 5);
        Path file = dir.resolve("g.zip");
        ModelSerializer.writeModel(graph, file.toFile(), true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        assertEquals(graph.outputSingle(x), restored.outputSingle(x));
    }

    @Test
    void refusesMapsTallerThanOne() {
        InvalidInputTypeException e = assertThrows(InvalidInputTypeException.class,
                () -> new TimeAxisVertex(true).getOutputType(0, InputType.convolutional(2, 5, 3)));
        assertTrue(e.getMessage().contains("reads channels x 1 x length maps"), e.getMessage());
    }
}
