package org.nas4j.estimators.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.estimators.engine.recurrent.GruCell;
import org.nas4j.estimators.engine.recurrent.TemporalRecurrent;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.buffer.util.DataTypeUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * nas4j's DL4J GRU layer: the engine's {@link GruCell} values through the export sink, DL4J's gradient check around
 * it, its parameter layout, and serialization.
 */
class GruLayerTest {

    private static final int CHANNELS = 3;
    private static final int HIDDEN = 4;
    private static final int LENGTH = 7;

    /** input 3 x 1 x 7 -> 1x3 conv -> to [B, C, T] -> GRU(4) -> to [B, 4, 1, T] -> 1x1 conv -> pooling -> MSE. */
    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3)
                .updater(new NoOp()).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(1, LENGTH, CHANNELS))
                .addLayer("a", new ConvolutionLayer.Builder(1, 3).padding(0, 1).nIn(CHANNELS).nOut(CHANNELS)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build(), "in")
                .addVertex("seq", new TimeAxisVertex(true), "a")
                .addLayer("gru", new GruLayer.Builder().nIn(CHANNELS).nOut(HIDDEN).build(), "seq")
                .addVertex("map", new TimeAxisVertex(false), "gru")
                .addLayer("b", new ConvolutionLayer.Builder(1, 1).nIn(HIDDEN).nOut(2)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build(), "map")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(2)
                        .activation(Activation.IDENTITY).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        // every parameter random (biases too: the recurrent candidate bias sits inside the reset product)
        graph.setParams(GradientCheck.random(41, 1, graph.numParams()).muli(0.5));
        return graph;
    }

    /**
     * The engine's GRU and the sink's export of its weights, both in FLOAT, on the same series: every output is a
     * hidden state of magnitude at most 1 after {@code LENGTH} steps, each a chain of roundings of fan-in
     * {@code CHANNELS + HIDDEN} (the two projections) plus 8 (gates, products, the state update).
     */
    @Test
    void computesTheEnginesGruFromTheExportedWeights() {
        ParameterSet params = new ParameterSet(DataType.FLOAT, 5);
        GruCell cell = TemporalRecurrent.gru(params, "g", CHANNELS, HIDDEN);
        TemporalRecurrent engine = new TemporalRecurrent(cell);
        params.seal();
        // non-zero biases, as after training
        cell.inputBias().value().assign(GradientCheck.random(6, 3 * HIDDEN).muli(0.5));
        cell.hiddenBias().value().assign(GradientCheck.random(7, 3 * HIDDEN).muli(0.5));
        INDArray x = GradientCheck.random(8, 5, CHANNELS, 1, LENGTH).castTo(DataType.FLOAT);
        INDArray expected = engine.forward(x, Mode.INFERENCE).dup();

        ComputationGraphConfiguration.GraphBuilder builder = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(1, LENGTH, CHANNELS));
        Dl4jGraphSink sink = new Dl4jGraphSink(builder);
        String out = sink.gru("g", "in", cell.inputWeights().value(), cell.hiddenWeights().value(),
                cell.inputBias().value(), cell.hiddenBias().value());
        ComputationGraph graph = new ComputationGraph(builder.setOutputs(out).build());
        graph.init();
        sink.copyWeights(graph);
        INDArray actual = graph.outputSingle(x);

        assertArrayEquals(expected.shape(), actual.shape());
        double tolerance = Tolerances.parity(DataType.FLOAT, LENGTH * (CHANNELS + HIDDEN + 8L), 1.0);
        double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
        assertTrue(diff <= tolerance, "max |engine - dl4j| = " + diff + " > " + tolerance);
    }

    @Test
    void passesDl4jsGradientCheck() {
        ComputationGraph graph = graph();
        INDArray x = GradientCheck.random(31, 2, CHANNELS, 1, LENGTH);
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
    void laysOutItsParametersAsDocumented() {
        org.deeplearning4j.nn.api.Layer gru = graph().getLayer("gru");
        assertEquals(3L * HIDDEN * (CHANNELS + HIDDEN + 2), gru.numParams());
        assertArrayEquals(new long[] {CHANNELS, 3 * HIDDEN}, gru.getParam("W").shape());
        assertArrayEquals(new long[] {HIDDEN, 3 * HIDDEN}, gru.getParam("RW").shape());
        assertArrayEquals(new long[] {1, 3 * HIDDEN}, gru.getParam("b").shape());
        assertArrayEquals(new long[] {1, 3 * HIDDEN}, gru.getParam("rb").shape());
        // views of the flat array: writing one changes the layer's parameters
        gru.getParam("rb").assign(7);
        assertEquals(7.0, gru.params().getDouble(gru.numParams() - 1));
    }

    @Test
    void survivesSerialization(@TempDir Path dir) throws Exception {
        ComputationGraph graph = graph();
        INDArray x = GradientCheck.random(33, 2, CHANNELS, 1, LENGTH);
        Path file = dir.resolve("g.zip");
        ModelSerializer.writeModel(graph, file.toFile(), true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        assertEquals(graph.getConfiguration().toJson(), restored.getConfiguration().toJson());
        assertEquals(graph.outputSingle(x), restored.outputSingle(x));
    }

    @Test
    void refusesTheTimeMajorFormat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GruLayer.Builder().nIn(2).nOut(3).dataFormat(RNNFormat.NWC).build());
        assertEquals("dataFormat of a GruLayer must be NCW, but was NWC", e.getMessage());
    }
}
