package org.nas4j.estimators.export;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nas4j.estimators.engine.RunningStatistics;
import org.nas4j.estimators.engine.ops.Dropout;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Turns a compiled network with its current weights into a DL4J {@link ComputationGraph} that computes the same
 * function in inference mode: input {@code "input"} ({@code [B, C, H, W]}, NCHW), output the class probabilities
 * (softmax of the engine's logits). Convolutions map to {@code ConvolutionLayer} (weights {@code [out, in, kH, kW]},
 * no bias, truncate mode with explicit padding) or {@code DepthwiseConvolution2D}, a dilated depthwise convolution
 * and the 1x1 convolution after it (DARTS' {@code dil_conv}) to one {@code SeparableConvolution2D}; batch norm to
 * {@code BatchNormalization} with gamma, beta, running mean and variance ({@code useLogStd=false}, decay
 * {@code 1 - momentum}: 0.9 for the engine's default momentum 0.1); pooling to {@code SubsamplingLayer} (average
 * pooling that excludes padding uses {@code avgPoolIncludePadInDivisor(false)}); sums to
 * {@code ElementWiseVertex(Add)}; concatenation to {@code MergeVertex}; channel truncation (NAS-Bench-101) to
 * {@link ChannelSubsetVertex} (a {@code SubsetVertex}), and so do the halves of a ShuffleNetV2 channel split; SPOS'
 * channel shuffle to {@link ChannelShuffleVertex}; the time-series {@code lstm} to a {@link TimeAxisVertex} to
 * {@code [B, C, T]}, DL4J's {@code LSTM} (gate blocks reordered to DL4J's) and a {@link TimeAxisVertex} back, the
 * time-series {@code gru} likewise with nas4j's {@link GruLayer} (DL4J has no GRU layer); zero
 * nodes to {@code ScaleVertex(0)}; the head to
 * {@code GlobalPoolingLayer(AVG)} and an {@code OutputLayer} (softmax, MCXENT) with the transposed classifier
 * weights (without bias where the classifier has none). The graph has an Adam updater (lr 1e-3) so it can be
 * fine-tuned with {@code fit}.
 *
 * <p>Only the inference path is exported: a DARTS network's auxiliary head
 * ({@link org.nas4j.estimators.network.DartsFactory#auxiliaryHead}), which runs in training only, is left out (so
 * the graph has {@code parameterCount()} minus the head's parameters), and drop-path, an identity in inference, adds
 * no vertex. Fine-tuning the exported graph therefore trains without them.
 *
 * <pre>{@code
 * TrainingResult r = training.train(best.architecture(), 42);
 * ComputationGraph graph = ComputationGraphExport.toComputationGraph(r.network());
 * ComputationGraphExport.save(r.network(), Path.of("best.zip"));
 * }</pre>
 */
public final class ComputationGraphExport {

    /** The name of the graph's input. */
    public static final String INPUT = "input";

    private ComputationGraphExport() {
    }

    /**
     * The DL4J graph of {@code network}, with a copy of its current weights and batch-norm statistics.
     *
     * @throws IllegalArgumentException when a batch norm of {@code network} normalizes with the batch's statistics in
     *                                  inference (ENAS' micro search child): DL4J's {@code BatchNormalization} uses
     *                                  its running statistics in inference, so the graph would not give the
     *                                  network's outputs; or when a dropout layer of {@code network} drops in
     *                                  inference (the same child): the graph's dropout is the identity
     */
    public static ComputationGraph toComputationGraph(TrainableNetwork network) {
        long batchStatistics = network.parameters().runningStatistics().stream()
                .filter(RunningStatistics::batchStatisticsInInference).count();
        if (batchStatistics > 0) {
            throw new IllegalArgumentException("cannot export " + network.description() + ": " + batchStatistics
                    + " of its batch norms normalize with the batch's statistics in inference (ENAS' micro search"
                    + " child), which DL4J's BatchNormalization does not (it uses running statistics in inference);"
                    + " export the architecture's fixed child (e.g. enas-micro), or switch them off"
                    + " (RunningStatistics.batchStatisticsInInference(false)) to export the running statistics");
        }
        long dropping = network.parameters().dropouts().stream().filter(Dropout::dropInInference).count();
        if (dropping > 0) {
            throw new IllegalArgumentException("cannot export " + network.description() + ": " + dropping
                    + " of its dropout layers drop in inference too (ENAS' micro search child), which the exported"
                    + " graph cannot (its dropout is the identity in inference); export the architecture's fixed child"
                    + " (e.g. enas-micro), or switch them off (Dropout.dropInInference(false) on each of"
                    + " parameters().dropouts()) to export the network without inference dropout");
        }
        // disconnected vertices: a cell whose nodes read neither of its inputs still has that input's preprocessing
        // (its weights are the network's and counted), which then feeds nothing
        ComputationGraphConfiguration.GraphBuilder builder = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).seed(0).updater(new Adam(1e-3))
                .graphBuilder().allowDisconnected(true).addInputs(INPUT)
                .setInputTypes(InputType.convolutional(network.inputHeight(), network.inputWidth(),
                        network.inputChannels()));
        Dl4jGraphSink sink = new Dl4jGraphSink(builder);
        network.body().export(sink, INPUT);
        if (sink.output() == null) {
            throw new IllegalStateException("the network of " + network.description() + " has no classifier");
        }
        builder.setOutputs(sink.output());
        ComputationGraph graph = new ComputationGraph(builder.build());
        graph.init();
        sink.copyWeights(graph);
        return graph;
    }

    /** Exports {@code network} and writes it with {@code ModelSerializer} (updater included) to {@code file}. */
    public static ComputationGraph save(TrainableNetwork network, Path file) throws IOException {
        ComputationGraph graph = toComputationGraph(network);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ModelSerializer.writeModel(graph, new File(file.toString()), true);
        return graph;
    }
}
