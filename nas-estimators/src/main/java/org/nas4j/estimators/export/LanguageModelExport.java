package org.nas4j.estimators.export;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nas4j.estimators.engine.recurrent.GenotypeCell;
import org.nas4j.estimators.engine.recurrent.RecurrentCell;
import org.nas4j.estimators.engine.recurrent.RecurrentLanguageModel;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Turns a {@link RecurrentLanguageModel} with a searched cell ({@link GenotypeCell}) and its current weights into a
 * DL4J {@link ComputationGraph} that gives the engine's next-token probabilities in inference mode:
 * <pre>
 * "tokens" [B, T] (token ids as numbers) -> "embedding" EmbeddingSequenceLayer(V -> H, no bias, NCW)
 *     -> "cell" {@link GenotypeCellLayer}(H -> H) -> "decoder" RnnOutputLayer(H -> V, softmax, MCXENT, NCW)
 *     = probabilities [B, V, T]
 * </pre>
 * Parameters: the embedding's {@code W} is {@code encoder.weight [V, H]}; the cell's {@code W0 .. WN} are
 * {@code cell.W0 .. cell.WN} unchanged; the decoder's {@code W [H, V]} is {@code encoder.weight} transposed and its
 * {@code b} is {@code decoder.bias}. The engine ties decoder and embedding (one array); DL4J cannot tie two layers'
 * parameters, so the graph holds two copies: equal at export, apart once the graph is fine-tuned (its parameter
 * count is the engine's plus {@code V * H}).
 *
 * <p>Only the inference path is exported: the dropouts ({@link org.nas4j.estimators.engine.recurrent
 * .LanguageModelDropout}: whole-word, locked and variational masks drawn once per segment, which DL4J's
 * per-element dropout is not) and the slowness term are training-only and left out, so fine-tuning the graph trains
 * without them. {@code output} starts every sequence from a zero state (the engine after {@code resetState()});
 * {@code rnnTimeStep} carries the state from call to call, as the engine carries it from segment to segment. The
 * graph has an Adam updater (lr 1e-3) so it can be fine-tuned with {@code fit}.
 *
 * <pre>{@code
 * ComputationGraph graph = LanguageModelExport.toComputationGraph(model);
 * INDArray p = graph.outputSingle(Nd4j.createFromArray(new float[][] {{3, 1, 4}}));   // [1, V, 3]
 * }</pre>
 */
public final class LanguageModelExport {

    /**
     * The name of the graph's input: token ids {@code [B, T]}, or {@code [B, 1, T]} (the form DL4J cuts into
     * segments for truncated BPTT).
     */
    public static final String INPUT = "tokens";
    /** The name of the embedding layer. */
    public static final String EMBEDDING = "embedding";
    /** The name of the cell layer. */
    public static final String CELL = "cell";
    /** The name of the output layer: the next-token probabilities {@code [B, V, T]}. */
    public static final String DECODER = "decoder";

    /** Token ids travel as numbers of the graph's data type: a FLOAT holds every integer up to 2^24 exactly. */
    private static final long FLOAT_EXACT_INTEGERS = 1L << 24;

    private LanguageModelExport() {
    }

    /**
     * The DL4J graph of {@code model}, with a copy of its current weights, in the model's data type.
     *
     * @throws UnsupportedOperationException if the model's cell is not a {@link GenotypeCell} (DARTS' search cell:
     *                                       derive its genotype and train that cell)
     * @throws IllegalArgumentException      if the data type is not FLOAT or DOUBLE, or a FLOAT model's vocabulary
     *                                       has ids a FLOAT cannot hold exactly
     */
    public static ComputationGraph toComputationGraph(RecurrentLanguageModel model) {
        return toComputationGraph(model, new Adam(1e-3));
    }

    /** As {@link #toComputationGraph(RecurrentLanguageModel)} with another updater (DL4J's gradient check: none). */
    static ComputationGraph toComputationGraph(RecurrentLanguageModel model, IUpdater updater) {
        RecurrentCell cell = model.cell();
        if (!(cell instanceof GenotypeCell genotypeCell)) {
            throw new UnsupportedOperationException("only a language model with a GenotypeCell exports to DL4J, but"
                    + " its cell is a " + cell.getClass().getSimpleName()
                    + " (a search cell: derive its genotype and train that cell)");
        }
        DataType type = model.embeddingWeights().dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("data type of the model must be FLOAT or DOUBLE, but was " + type);
        }
        int vocabulary = model.vocabulary();
        int hidden = model.hiddenSize();
        if (type == DataType.FLOAT && vocabulary > FLOAT_EXACT_INTEGERS) {
            throw new IllegalArgumentException("vocabulary of a FLOAT model must be <= " + FLOAT_EXACT_INTEGERS
                    + " (token ids travel as FLOAT), but was " + vocabulary);
        }
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(type).seed(0)
                .updater(updater).graphBuilder().addInputs(INPUT)
                .addLayer(EMBEDDING, new EmbeddingSequenceLayer.Builder().nIn(vocabulary).nOut(hidden)
                        .hasBias(false).inferInputLength(true).outputDataFormat(RNNFormat.NCW).build(), INPUT)
                .addLayer(CELL, new GenotypeCellLayer.Builder(genotypeCell.genotype()).nIn(hidden).nOut(hidden)
                        .build(), EMBEDDING)
                .addLayer(DECODER, new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden)
                        .nOut(vocabulary).activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build(), CELL)
                .setOutputs(DECODER).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.getLayer(EMBEDDING).setParam("W", model.embeddingWeights());
        for (int k = 0; k <= genotypeCell.genotype().size(); k++) {
            graph.getLayer(CELL).setParam(GenotypeCellParameters.key(k), genotypeCell.matrix(k));
        }
        graph.getLayer(DECODER).setParam("W", model.embeddingWeights().transpose());
        graph.getLayer(DECODER).setParam("b", model.decoderBias().reshape(1, vocabulary));
        return graph;
    }

    /** Exports {@code model} and writes it with {@code ModelSerializer} (updater included) to {@code file}. */
    public static ComputationGraph save(RecurrentLanguageModel model, Path file) throws IOException {
        ComputationGraph graph = toComputationGraph(model);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ModelSerializer.writeModel(graph, new File(file.toString()), true);
        return graph;
    }
}
