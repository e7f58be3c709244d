package org.nas4j.estimators.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.estimators.engine.recurrent.DartsSearchCell;
import org.nas4j.estimators.engine.recurrent.LanguageModelDropout;
import org.nas4j.estimators.engine.recurrent.RecurrentLanguageModel;
import org.nas4j.spaces.recurrent.RecurrentGenotype;
import org.nas4j.spaces.recurrent.RecurrentGenotypes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.buffer.util.DataTypeUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The language model's DL4J export: the engine's next-token probabilities from zero and from a carried state
 * (FLOAT and DOUBLE), DL4J's gradient check on the exported graph, fine-tuning, serialization, refusals.
 */
class LanguageModelExportTest {

    private static final int VOCABULARY = 11;
    private static final int HIDDEN = 6;
    private static final int BATCH = 3;
    private static final int LENGTH = 9;

    /** A model with the DARTS dropouts and slowness (training-only: not exported), weights uniform in +-0.48. */
    private static RecurrentLanguageModel model(DataType type, RecurrentGenotype genotype) {
        ParameterSet params = new ParameterSet(type, 17);
        RecurrentLanguageModel lm = new RecurrentLanguageModel(params, genotype, VOCABULARY, HIDDEN,
                LanguageModelDropout.DARTS_PTB, 1e-3, 5);
        params.seal();
        // the reference's +-0.04 leaves every probability near 1/V; larger weights make a wrong export visible
        params.values().muli(12);
        lm.decoderBias().assign(Nd4j.linspace(-1, 1, VOCABULARY).castTo(type));
        return lm;
    }

    /** Step-major token ids, as the engine takes them. */
    private static int[] tokens(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] t = new int[LENGTH * BATCH];
        for (int i = 0; i < t.length; i++) {
            t[i] = rng.nextInt(VOCABULARY);
        }
        return t;
    }

    /** The same ids as DL4J's input {@code [B, T]}. */
    private static INDArray batchMajor(int[] stepMajor, DataType type) {
        double[][] ids = new double[BATCH][LENGTH];
        for (int t = 0; t < LENGTH; t++) {
            for (int b = 0; b < BATCH; b++) {
                ids[b][t] = stepMajor[t * BATCH + b];
            }
        }
        return Nd4j.createFromArray(ids).castTo(type);
    }

    /** The engine's probabilities of one segment in inference mode, as DL4J's {@code [B, V, T]}. */
    private static INDArray engineProbabilities(RecurrentLanguageModel lm, int[] inputs) {
        lm.forward(inputs, inputs, BATCH, Mode.INFERENCE);
        INDArray p = Transforms.softmax(lm.logits().dup(), false);   // [T * B, V]
        return p.reshape('c', LENGTH, BATCH, VOCABULARY).permute(1, 2, 0).dup('c');
    }

    /**
     * The bound on the difference of the two computations' probabilities: each step of the cell is a chain of
     * {@code W0} (fan-in 2H) and N nodes (fan-in H) with about 8 elementwise roundings each and the mean, and the
     * state carries this chain over every step of the segment (two segments when the state is carried over); the
     * decoder adds H products and the softmax V terms plus 4. The magnitude is that of the largest logit, whose
     * relative error the softmax turns into an absolute one of at most that size on a probability.
     */
    private static double tolerance(DataType type, RecurrentLanguageModel lm, RecurrentGenotype genotype,
            int segments) {
        long perStep = 2L * HIDDEN + 8 + genotype.size() * (HIDDEN + 8L) + genotype.concat().size();
        long roundings = segments * LENGTH * perStep + HIDDEN + VOCABULARY + 4;
        double magnitude = Math.max(1, lm.logits().amaxNumber().doubleValue());
        return Tolerances.parity(type, roundings, magnitude);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double diff = Transforms.abs(expected.sub(actual.castTo(expected.dataType()))).maxNumber().doubleValue();
        assertTrue(diff <= tolerance, what + ": max |engine - dl4j| = " + diff + " > " + tolerance);
    }

    @Test
    void exportedModelsGiveTheEnginesProbabilitiesFromZeroAndFromACarriedState() {
        RecurrentGenotype[] cells = {RecurrentGenotypes.DARTS_V2, RecurrentGenotypes.ENAS,
                GenotypeCellLayerTest.SIGMOID_START};
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (RecurrentGenotype genotype : cells) {
                String what = type + " " + genotype;
                RecurrentLanguageModel lm = model(type, genotype);
                ComputationGraph graph = LanguageModelExport.toComputationGraph(lm);
                int[] first = tokens(1);
                int[] second = tokens(2);
                INDArray expected = engineProbabilities(lm, first);
                INDArray fromZero = graph.outputSingle(batchMajor(first, type));
                assertClose(expected, fromZero, tolerance(type, lm, genotype, 1), what + " from zero");
                // the engine carries its state into the next segment, DL4J's rnnTimeStep likewise
                INDArray expectedNext = engineProbabilities(lm, second);
                graph.rnnTimeStep(batchMajor(first, type));
                INDArray next = graph.rnnTimeStep(batchMajor(second, type))[0];
                assertClose(expectedNext, next, tolerance(type, lm, genotype, 2), what + " carried");
                // and output() starts from zero again, as the engine after resetState()
                lm.resetState();
                assertClose(engineProbabilities(lm, second), graph.outputSingle(batchMajor(second, type)),
                        tolerance(type, lm, genotype, 1), what + " reset");
            }
        }
    }

    @Test
    void exportedGraphHasTheEnginesParametersPlusTheUntiedDecoder() {
        ParameterSet params = new ParameterSet(DataType.FLOAT, 3);
        RecurrentLanguageModel lm = new RecurrentLanguageModel(params, RecurrentGenotypes.DARTS_V2, VOCABULARY,
                HIDDEN, LanguageModelDropout.NONE, 0, 1);
        params.seal();
        ComputationGraph graph = LanguageModelExport.toComputationGraph(lm);
        assertEquals(params.size() + (long) VOCABULARY * HIDDEN, graph.numParams());
        assertEquals(lm.embeddingWeights(), graph.getLayer(LanguageModelExport.EMBEDDING).getParam("W"));
        assertEquals(lm.embeddingWeights().transpose(), graph.getLayer(LanguageModelExport.DECODER).getParam("W"));
        for (Parameter p : params.parameters()) {
            if (p.name().startsWith("cell.")) {
                assertEquals(p.value(), graph.getLayer(LanguageModelExport.CELL).getParam(p.name().substring(5)),
                        p.name());
            }
        }
    }

    @Test
    void exportedDoubleGraphsPassDl4jsGradientCheck() {
        // DL4J's check reads the global data type; restored at once. ND4J first (in a fresh JVM, reading the data
        // type before ND4J is loaded throws IllegalMonitorStateException from DataTypeUtil's lock)
        Nd4j.getBackend();
        DataType before = DataTypeUtil.getDtypeFromContext();
        DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
        try {
            for (RecurrentGenotype genotype : new RecurrentGenotype[] {RecurrentGenotypes.DARTS_V2,
                    RecurrentGenotypes.ENAS}) {
                RecurrentLanguageModel lm = model(DataType.DOUBLE, genotype);
                ComputationGraph graph = LanguageModelExport.toComputationGraph(lm, new NoOp());
                int[] ids = tokens(3);
                INDArray labels = oneHotTargets(tokens(4), DataType.DOUBLE);
                assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                        .inputs(new INDArray[] {batchMajor(ids, DataType.DOUBLE)}).labels(new INDArray[] {labels})),
                        genotype.toString());
            }
        } finally {
            DataTypeUtil.setDTypeForContext(before);
        }
    }

    /** One-hot next tokens {@code [B, V, T]} from step-major ids. */
    private static INDArray oneHotTargets(int[] stepMajor, DataType type) {
        INDArray y = Nd4j.zeros(type, BATCH, VOCABULARY, LENGTH);
        for (int t = 0; t < LENGTH; t++) {
            for (int b = 0; b < BATCH; b++) {
                y.putScalar(new long[] {b, stepMajor[t * BATCH + b], t}, 1.0);
            }
        }
        return y;
    }

    @Test
    void exportedGraphFineTunesAndSurvivesSerialization(@TempDir Path dir) throws Exception {
        RecurrentLanguageModel lm = model(DataType.FLOAT, RecurrentGenotypes.DARTS_V2);
        Path file = dir.resolve("lm.zip");
        ComputationGraph graph = LanguageModelExport.save(lm, file);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        assertEquals(graph.getConfiguration().toJson(), restored.getConfiguration().toJson());
        INDArray x = batchMajor(tokens(5), DataType.FLOAT);
        assertEquals(graph.outputSingle(x), restored.outputSingle(x));

        // the next token of each position: the input shifted by one
        int[] stream = tokens(6);
        DataSet batch = new DataSet(batchMajor(stream, DataType.FLOAT), oneHotTargets(shift(stream), DataType.FLOAT));
        double start = restored.score(batch);
        for (int i = 0; i < 10; i++) {
            restored.fit(batch);
        }
        double end = restored.score(batch);
        assertTrue(end < start, "DL4J's loss on the batch: " + start + " before 10 Adam steps, " + end + " after");
    }

    @Test
    void exportedGraphFitsWithTruncatedBackpropagationThroughTime() {
        RecurrentLanguageModel lm = model(DataType.FLOAT, RecurrentGenotypes.DARTS_V2);
        ComputationGraph exported = LanguageModelExport.toComputationGraph(lm);
        // the engine's training: segments of 3 steps, the state carried from one to the next, the gradient stopped
        ComputationGraphConfiguration conf = exported.getConfiguration().clone();
        conf.setBackpropType(BackpropType.TruncatedBPTT);
        conf.setTbpttFwdLength(3);
        conf.setTbpttBackLength(3);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.setParams(exported.params());
        int[] stream = tokens(7);
        // DL4J cuts only rank-3 inputs into segments: the ids as [B, 1, T], which the embedding also reads
        DataSet batch = new DataSet(batchMajor(stream, DataType.FLOAT).reshape(BATCH, 1, LENGTH),
                oneHotTargets(shift(stream), DataType.FLOAT));
        assertEquals(graph.outputSingle(batchMajor(stream, DataType.FLOAT)), graph.outputSingle(batch.getFeatures()));
        double start = graph.score(batch);
        for (int i = 0; i < 10; i++) {
            graph.fit(batch);
        }
        double end = graph.score(batch);
        assertTrue(end < start, "DL4J's loss on the batch: " + start + " before 10 truncated-BPTT fits (3 segments"
                + " each), " + end + " after");
    }

    /** Each sequence's next token (the last position predicts its own first token, wrapping around). */
    private static int[] shift(int[] stepMajor) {
        int[] next = new int[stepMajor.length];
        for (int t = 0; t < LENGTH; t++) {
            for (int b = 0; b < BATCH; b++) {
                next[t * BATCH + b] = stepMajor[((t + 1) % LENGTH) * BATCH + b];
            }
        }
        return next;
    }

    @Test
    void refusesASearchCellByName() {
        ParameterSet params = new ParameterSet(DataType.FLOAT, 3);
        Parameter weights = params.add("weights", DartsSearchCell.weightsShape(2),
                org.nas4j.estimators.engine.Initializer.constant(0));
        RecurrentLanguageModel lm = new RecurrentLanguageModel(params, DartsSearchCell.factory(weights, 2, false),
                VOCABULARY, HIDDEN, LanguageModelDropout.NONE, 0, 1);
        params.seal();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> LanguageModelExport.toComputationGraph(lm));
        assertEquals("only a language model with a GenotypeCell exports to DL4J, but its cell is a DartsSearchCell"
                + " (a search cell: derive its genotype and train that cell)", e.getMessage());
    }
}
