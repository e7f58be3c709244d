package org.nas4j.estimators.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.spaces.recurrent.RecurrentGenotype;
import org.nas4j.spaces.recurrent.RecurrentGenotypes;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * nas4j's DL4J layer of a searched recurrent cell: its backward pass against finite differences from a non-zero
 * initial state (the truncated-BPTT path), its parameter layout, and serialization. DL4J's own gradient check runs
 * on whole exported language models in {@link LanguageModelExportTest}.
 */
class GenotypeCellLayerTest {

    private static final int INPUT = 3;
    private static final int HIDDEN = 4;
    private static final int LENGTH = 5;
    private static final int BATCH = 2;
    private static final double EPS = 1e-6;

    /** A cell whose {@code s0} has a sigmoid and is itself averaged, with a node reading it twice. */
    static final RecurrentGenotype SIGMOID_START = RecurrentGenotype.parse(
            "Genotype(recurrent=[('relu', 0), ('identity', 0)], concat=[0, 2], initial='sigmoid')");

    /** in [B, INPUT, T] -> the cell -> identity output with MSE; DOUBLE, every weight N(0, 0.5^2). */
    private static ComputationGraph graph(RecurrentGenotype genotype) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3)
                .updater(new NoOp()).graphBuilder().addInputs("in")
                .addLayer("cell", new GenotypeCellLayer.Builder(genotype).nIn(INPUT).nOut(HIDDEN).build(), "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(HIDDEN).nOut(2)
                        .activation(Activation.IDENTITY).dataFormat(RNNFormat.NCW).build(), "cell")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.initGradientsView();
        graph.setParams(GradientCheck.random(41, 1, graph.numParams()).muli(0.5));
        return graph;
    }

    @Test
    void backwardMatchesFiniteDifferencesFromAGivenInitialState() {
        for (RecurrentGenotype genotype : new RecurrentGenotype[] {RecurrentGenotypes.DARTS_V2,
                RecurrentGenotypes.ENAS, SIGMOID_START}) {
            checkAgainstFiniteDifferences(genotype);
        }
    }

    /**
     * {@code L = sum(out * r)} for a random {@code r}, the layer run through DL4J's truncated-BPTT entry points from
     * a random initial state: the analytic gradient of every weight and of the input against central differences.
     */
    private static void checkAgainstFiniteDifferences(RecurrentGenotype genotype) {
        ComputationGraph graph = graph(genotype);
        RecurrentLayer layer = (RecurrentLayer) graph.getLayer("cell");
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = GradientCheck.random(5, BATCH, INPUT, LENGTH);
        INDArray h0 = GradientCheck.random(6, BATCH, HIDDEN).muli(0.5);
        INDArray r = GradientCheck.random(7, BATCH, HIDDEN, LENGTH);
        DoubleSupplier loss = () -> {
            layer.rnnSetTBPTTState(Map.of(GenotypeCellRunningLayer.STATE, h0.dup()));
            return layer.rnnActivateUsingStoredState(x, true, false, mgr).mul(r).sumNumber().doubleValue();
        };
        layer.rnnSetTBPTTState(Map.of(GenotypeCellRunningLayer.STATE, h0.dup()));
        INDArray out = layer.rnnActivateUsingStoredState(x, true, false, mgr).dup();
        Pair<org.deeplearning4j.nn.gradient.Gradient, INDArray> g = layer.tbpttBackpropGradient(r.dup(), LENGTH, mgr);
        // the loss sums the B*H*T terms out * r, each out reached through T steps of the cell's nodes (each a sum
        // of H + I products and about 8 elementwise roundings), then the final sum
        double magnitude = org.nd4j.linalg.ops.transforms.Transforms.abs(out.mul(r)).sumNumber().doubleValue();
        long roundings = LENGTH * (genotype.size() + 1L) * (HIDDEN + INPUT + 8) + (long) BATCH * HIDDEN * LENGTH;
        double absolute = Tolerances.centralDifference(DataType.DOUBLE, magnitude, EPS, roundings);
        for (String key : GenotypeCellParameters.INSTANCE.paramKeys(layer.conf().getLayer())) {
            compare(genotype + " " + key, layer.getParam(key),
                    g.getFirst().gradientForVariable().get(key).dup(), loss, absolute);
        }
        compare(genotype + " input", x, g.getSecond().dup(), loss, absolute);
    }

    /** Central differences of {@code loss} in every entry of {@code values} against {@code analytic}. */
    private static void compare(String what, INDArray values, INDArray analytic, DoubleSupplier loss,
            double absolute) {
        INDArray flat = values.reshape(values.length());
        INDArray expected = analytic.reshape(analytic.length());
        for (long i = 0; i < flat.length(); i++) {
            double v = flat.getDouble(i);
            flat.putScalar(i, v + EPS);
            double up = loss.getAsDouble();
            flat.putScalar(i, v - EPS);
            double down = loss.getAsDouble();
            flat.putScalar(i, v);
            double numeric = (up - down) / (2 * EPS);
            double a = expected.getDouble(i);
            // truncation h^2 f'''/6 is covered by the relative part
            double tolerance = absolute + 1e-5 * Math.max(Math.abs(a), Math.abs(numeric));
            assertTrue(Math.abs(a - numeric) <= tolerance, "gradient of " + what + "[" + i + "]: analytic " + a
                    + " vs numeric " + numeric + " (tolerance " + tolerance + ")");
        }
    }

    @Test
    void truncatedBackpropagationStopsAtTheGivenLength() {
        ComputationGraph graph = graph(RecurrentGenotypes.DARTS_V2);
        RecurrentLayer layer = (RecurrentLayer) graph.getLayer("cell");
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = GradientCheck.random(5, BATCH, INPUT, LENGTH);
        layer.rnnActivateUsingStoredState(x, true, false, mgr);
        INDArray gx = layer.tbpttBackpropGradient(GradientCheck.random(7, BATCH, HIDDEN, LENGTH), 2, mgr).getSecond();
        for (int t = 0; t < LENGTH; t++) {
            double norm = gx.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t))
                    .norm2Number().doubleValue();
            assertEquals(t < LENGTH - 2, norm == 0.0, "input gradient at step " + t + ": norm " + norm);
        }
    }

    @Test
    void laysOutItsParametersAsDocumented() {
        org.deeplearning4j.nn.api.Layer cell = graph(RecurrentGenotypes.DARTS_V2).getLayer("cell");
        assertEquals((INPUT + HIDDEN) * 2L * HIDDEN + 8L * HIDDEN * 2 * HIDDEN, cell.numParams());
        assertArrayEquals(new long[] {INPUT + HIDDEN, 2 * HIDDEN}, cell.getParam("W0").shape());
        for (int k = 1; k <= 8; k++) {
            assertArrayEquals(new long[] {HIDDEN, 2 * HIDDEN}, cell.getParam("W" + k).shape());
        }
        assertEquals(9, cell.paramTable().size());
        // views of the flat array: writing one changes the layer's parameters
        cell.getParam("W8").assign(7);
        assertEquals(7.0, cell.params().getDouble(cell.numParams() - 1));
    }

    @Test
    void survivesSerializationWithItsGenotype(@TempDir Path dir) throws Exception {
        ComputationGraph graph = graph(SIGMOID_START);
        INDArray x = GradientCheck.random(33, BATCH, INPUT, LENGTH);
        Path file = dir.resolve("g.zip");
        ModelSerializer.writeModel(graph, file.toFile(), true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        assertEquals(graph.getConfiguration().toJson(), restored.getConfiguration().toJson());
        GenotypeCellLayer conf = (GenotypeCellLayer) restored.getLayer("cell").conf().getLayer();
        assertEquals(SIGMOID_START, conf.genotype());
        assertEquals(graph.outputSingle(x), restored.outputSingle(x));
    }

    @Test
    void refusesTheTimeMajorFormatAndMasks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GenotypeCellLayer.Builder(RecurrentGenotypes.DARTS_V2).nIn(2).nOut(3)
                        .dataFormat(RNNFormat.NWC).build());
        assertEquals("dataFormat of a GenotypeCellLayer must be NCW, but was NWC", e.getMessage());
        ComputationGraph graph = graph(RecurrentGenotypes.DARTS_V2);
        INDArray x = GradientCheck.random(5, BATCH, INPUT, LENGTH);
        INDArray mask = org.nd4j.linalg.factory.Nd4j.ones(DataType.DOUBLE, BATCH, LENGTH);
        assertThrows(UnsupportedOperationException.class,
                () -> graph.output(false, new INDArray[] {x}, new INDArray[] {mask}));
    }
}
