package org.nas4j.estimators.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.OpCatalogue;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.network.SpaceCompiler;
import org.nas4j.estimators.network.TimeSeriesModules;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nas4j.spaces.timeseries.TimeSeriesOps;
import org.nas4j.spaces.timeseries.TimeSeriesSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The time-series ops as modules: their formulas' sizes; a small network trains and exports with parity. */
class TimeSeriesExportTest {

    /**
     * Roundings on the longest path of the network below: at most 40 layers (stem 2, three cells of preprocessing
     * 3 and two blocks of at most 4 layers, head 2) of fan-in at most 21 x 16 = 336 (a 21-tap convolution of the
     * second motif), plus 8 roundings per layer for batch norm, ReLU and pooling.
     */
    private static final long ROUNDINGS = 40L * (336 + 8);

    /**
     * The recurrent chains on that path: at most one recurrent block per block and cell (2 x 3), each of at most 25
     * steps of fan-in at most {@code C + H = 16 + 16}, plus 8 roundings per step for the gate activations and
     * products.
     */
    private static final long RECURRENT_ROUNDINGS = 2L * 3 * 25 * (16 + 16 + 8);

    /**
     * Softmax outputs (magnitude at most 1) of the engine and DL4J, both in FLOAT (see {@link Tolerances#parity}),
     * of any network of the space below.
     */
    private static final double TOLERANCE = Tolerances.parity(DataType.FLOAT, ROUNDINGS + RECURRENT_ROUNDINGS, 1.0);

    /** Length 25 (odd) so that 'same' padding and the reductions' rounding up are exercised: 25 -> 13. */
    private static final ComposedSpace SPACE = TimeSeriesSpace.create("ts-test", 2, 25, 3,
            new TimeSeriesSpace.Skeleton(2, 8, 2, 1));

    /** Every op kind: separable, plain and dilated convolutions, both poolings, the identity at stride 1 and 2. */
    private static final String ARCHITECTURE = "normal.n2=sep_conv_k7~0+conv_k7_d4~1; "
            + "normal.n3=max_pool_2~2+conv_k21~0; reduce.n2=identity~0+avg_pool_2~1; "
            + "reduce.n3=sep_conv_k13~2+conv_k7_d2~1";

    @Test
    void everyOpHasAModuleOfItsFormulasSize() {
        OpCatalogue ops = TimeSeriesOps.catalogue();
        for (String op : ops.names()) {
            OpSpec spec = ops.spec(op);
            boolean keeps = ops.entry(op).kind().keepsChannels();
            int in = 6;
            int out = keeps ? 6 : 10;
            for (int stride : new int[] {1, 2}) {
                ParameterSet params = new ParameterSet(DataType.FLOAT, 1);
                TimeSeriesModules.catalogue().create(params, "m", op, in, out, stride);
                params.seal();
                assertEquals(spec.parameters(in, out, stride), params.size(), op + " stride " + stride);
            }
        }
    }

    @Test
    void aSmallNetworkTrainsWithFallingLossAndExportsWithParity() {
        Architecture a = SPACE.parse(ARCHITECTURE);
        TrainableNetwork net = new SpaceCompiler(SPACE).modules(TimeSeriesModules.catalogue()).build(a, 5);
        assertEquals(SPACE.parameters(a), net.parameterCount(), "the formulas count the network");

        int[] labels = new int[24];
        INDArray x = waves(labels);
        INDArray y = SoftmaxCrossEntropy.oneHot(labels, 3, DataType.FLOAT);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Sgd sgd = Sgd.builder(net.parameters(), LearningRateSchedule.constant(0.05)).momentum(0.9).build();
        double[] losses = new double[12];
        for (int step = 0; step < losses.length; step++) {
            losses[step] = loss.forward(net.forward(x, Mode.TRAINING), y);
            net.backward(loss.backward());
            sgd.step();
        }
        double first = (losses[0] + losses[1] + losses[2]) / 3;
        double last = (losses[9] + losses[10] + losses[11]) / 3;
        assertTrue(last < 0.7 * first, "loss should fall on a fixed batch of separable waves: "
                + java.util.Arrays.toString(losses));

        INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
        ComputationGraph graph = ComputationGraphExport.toComputationGraph(net);
        assertEquals(net.parameterCount(), ExportParity.graphParameters(graph));
        INDArray actual = graph.outputSingle(x);
        assertArrayEquals(expected.shape(), actual.shape());
        double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
        assertTrue(diff <= TOLERANCE, "max |engine - dl4j| = " + diff + " > " + TOLERANCE);
    }

    /**
     * POPNASv3's {@code lstm} in a normal cell and in a reduction cell (there with max pooling after it): the network
     * trains, and the DL4J graph (a {@code TimeAxisVertex} to {@code [B, C, T]}, DL4J's {@code LSTM} with the gate
     * blocks reordered, and back) computes the same probabilities, within {@link #TOLERANCE}.
     */
    @Test
    void lstmCellsTrainAndExportWithParity() {
        Architecture a = SPACE.parse("normal.n2=lstm~0+conv_k7~1; normal.n3=identity~2+lstm~1; "
                + "reduce.n2=lstm~0+max_pool_2~1; reduce.n3=conv_k7~2+lstm~1");
        TrainableNetwork net = new SpaceCompiler(SPACE).modules(TimeSeriesModules.catalogue()).build(a, 7);
        assertEquals(SPACE.parameters(a), net.parameterCount(), "the formulas count the network");
        int[] labels = new int[24];
        INDArray x = waves(labels);
        INDArray y = SoftmaxCrossEntropy.oneHot(labels, 3, DataType.FLOAT);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Sgd sgd = Sgd.builder(net.parameters(), LearningRateSchedule.constant(0.05)).momentum(0.9).build();
        double[] losses = new double[12];
        for (int step = 0; step < losses.length; step++) {
            losses[step] = loss.forward(net.forward(x, Mode.TRAINING), y);
            net.backward(loss.backward());
            sgd.step();
        }
        double first = (losses[0] + losses[1] + losses[2]) / 3;
        double last = (losses[9] + losses[10] + losses[11]) / 3;
        assertTrue(last < 0.7 * first, "loss should fall: " + java.util.Arrays.toString(losses));

        INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
        ComputationGraph graph = ComputationGraphExport.toComputationGraph(net);
        assertEquals(net.parameterCount(), ExportParity.graphParameters(graph));
        INDArray actual = graph.outputSingle(x);
        double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
        assertTrue(diff <= TOLERANCE, "max |engine - dl4j| = " + diff + " > " + TOLERANCE);
    }

    /**
     * POPNASv3's {@code gru} (and an {@code lstm}) in both cell kinds: the network trains, the DL4J graph (a
     * {@code TimeAxisVertex}, nas4j's {@link GruLayer} with the engine's weights, and back) computes the same
     * probabilities within {@link #TOLERANCE}, fine-tunes (DL4J's loss on the batch falls under {@code fit}) and
     * comes back from {@code ModelSerializer} computing the same.
     */
    @Test
    void gruCellsTrainExportWithParityFineTuneAndSerialize(@TempDir Path dir) throws Exception {
        Architecture a = SPACE.parse("normal.n2=gru~0+conv_k7~1; normal.n3=identity~2+lstm~1; "
                + "reduce.n2=gru~0+max_pool_2~1; reduce.n3=conv_k7~2+gru~1");
        TrainableNetwork net = new SpaceCompiler(SPACE).modules(TimeSeriesModules.catalogue()).build(a, 8);
        assertEquals(SPACE.parameters(a), net.parameterCount(), "the formulas count the network");
        int[] labels = new int[24];
        INDArray x = waves(labels);
        INDArray y = SoftmaxCrossEntropy.oneHot(labels, 3, DataType.FLOAT);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Sgd sgd = Sgd.builder(net.parameters(), LearningRateSchedule.constant(0.05)).momentum(0.9).build();
        double[] losses = new double[12];
        for (int step = 0; step < losses.length; step++) {
            losses[step] = loss.forward(net.forward(x, Mode.TRAINING), y);
            net.backward(loss.backward());
            sgd.step();
        }
        double first = (losses[0] + losses[1] + losses[2]) / 3;
        double last = (losses[9] + losses[10] + losses[11]) / 3;
        assertTrue(last < 0.7 * first, "loss should fall: " + java.util.Arrays.toString(losses));

        INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
        ComputationGraph graph = ComputationGraphExport.toComputationGraph(net);
        assertEquals(net.parameterCount(), ExportParity.graphParameters(graph));
        double diff = Transforms.abs(expected.sub(graph.outputSingle(x))).maxNumber().doubleValue();
        assertTrue(diff <= TOLERANCE, "max |engine - dl4j| = " + diff + " > " + TOLERANCE);

        double[] scores = new double[10];
        for (int step = 0; step < scores.length; step++) {
            graph.fit(new INDArray[] {x}, new INDArray[] {y});
            scores[step] = graph.score();
        }
        assertTrue(scores[9] < scores[0], "DL4J's loss should fall: " + java.util.Arrays.toString(scores));

        Path file = dir.resolve("gru.zip");
        ModelSerializer.writeModel(graph, file.toFile(), true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        assertEquals(graph.outputSingle(x), restored.outputSingle(x));
    }

    @Test
    void randomArchitecturesExportWithParity() {
        SplittableRandom rng = new SplittableRandom(11);
        int[] labels = new int[24];
        INDArray x = waves(labels);
        for (int i = 0; i < 3; i++) {
            Architecture a = SPACE.sample(rng);
            TrainableNetwork net = new SpaceCompiler(SPACE).modules(TimeSeriesModules.catalogue()).build(a, i);
            INDArray y = SoftmaxCrossEntropy.oneHot(labels, 3, DataType.FLOAT);
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            Sgd sgd = Sgd.builder(net.parameters(), LearningRateSchedule.constant(0.05)).momentum(0.9).build();
            for (int step = 0; step < 2; step++) {
                loss.forward(net.forward(x, Mode.TRAINING), y);
                net.backward(loss.backward());
                sgd.step();
            }
            INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
            INDArray actual = ComputationGraphExport.toComputationGraph(net).outputSingle(x);
            double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
            assertTrue(diff <= TOLERANCE, a + ": max |engine - dl4j| = " + diff);
        }
    }

    /** 24 two-channel series of length 25: class c is a sine of c + 1 periods, with seeded noise and phase. */
    private static INDArray waves(int[] labels) {
        SplittableRandom rng = new SplittableRandom(3);
        float[] v = new float[labels.length * 2 * 25];
        for (int n = 0; n < labels.length; n++) {
            labels[n] = n % 3;
            double phase = rng.nextDouble() * 0.5;
            for (int c = 0; c < 2; c++) {
                for (int t = 0; t < 25; t++) {
                    double s = Math.sin(2 * Math.PI * (labels[n] + 1) * t / 25.0 + phase + c);
                    v[(n * 2 + c) * 25 + t] = (float) (s + 0.1 * (rng.nextDouble() - 0.5));
                }
            }
        }
        return Nd4j.create(v, new long[] {labels.length, 2, 1, 25});
    }
}
