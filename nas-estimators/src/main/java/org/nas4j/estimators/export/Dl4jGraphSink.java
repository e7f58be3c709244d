package org.nas4j.estimators.export;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nas4j.estimators.network.GraphSink;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Writes the vertices of a compiled network into a DL4J graph configuration and records how to copy each weight
 * once the graph exists. Weights are copied (cast to FLOAT) when {@link #copyWeights} runs, from the snapshots
 * taken when the vertex was added.
 *
 * <p>A dilated depthwise convolution followed by a 1x1 convolution of its output (DARTS' {@code dil_conv_3x3/5x5})
 * becomes one {@code SeparableConvolution2D}: on CPU, the {@code depthwise_conv2d} op that
 * {@code DepthwiseConvolution2D} runs goes to oneDNN whenever the depth multiplier is 1, and libnd4j (M2.1) gives
 * oneDNN a right padding computed with the undilated kernel ({@code (oH - 1) * sH - iH + kH - pH} instead of
 * {@code kH} dilated to {@code (kH - 1) * dH + 1}), so oneDNN refuses the descriptor. {@code sconv2d} computes its
 * depthwise part with libnd4j's own kernel, which handles dilation. The dilated depthwise convolution is therefore
 * held back until the next call: a matching 1x1 convolution fuses with it, anything else that reads it gets the
 * plain {@code DepthwiseConvolution2D} (correct, but refused by oneDNN on CPU).
 */
final class Dl4jGraphSink implements GraphSink {

    private final ComputationGraphConfiguration.GraphBuilder graph;
    private final List<Consumer<ComputationGraph>> copies = new ArrayList<>();
    private String output;
    /** A dilated depthwise convolution not yet in the graph, waiting for the 1x1 convolution that may follow. */
    private PendingDepthwise pending;

    private record PendingDepthwise(String name, String input, ConvSpec spec, INDArray weight) {
    }

    Dl4jGraphSink(ComputationGraphConfiguration.GraphBuilder graph) {
        this.graph = graph;
    }

    String output() {
        return output;
    }

    void copyWeights(ComputationGraph g) {
        for (Consumer<ComputationGraph> c : copies) {
            c.accept(g);
        }
    }

    private void copy(String layer, String key, INDArray value) {
        INDArray snapshot = value.castTo(DataType.FLOAT).dup('c');
        copies.add(g -> {
            INDArray target = g.getLayer(layer).getParam(key);
            if (target.length() != snapshot.length()) {
                throw new IllegalStateException("parameter " + key + " of " + layer + " has " + target.length()
                        + " values in DL4J, but " + snapshot.length() + " in the engine");
            }
            target.assign(snapshot.reshape('c', target.shape()));
        });
    }

    @Override
    public String conv2d(String name, String input, ConvSpec s, INDArray weight) {
        if (pending != null && input.equals(pending.name()) && s.groups() == 1 && s.isPointwise()) {
            separable(name, pending, s, weight);
            pending = null;
            return name;
        }
        input = resolve(input);
        if (s.groups() != 1 && s.dilation() > 1) {
            flush();
            pending = new PendingDepthwise(name, input, s, weight.castTo(DataType.FLOAT).dup('c'));
            return name;
        }
        return addConv2d(name, input, s, weight);
    }

    /** Depthwise {@code d} then pointwise {@code pointwise} as one layer; both weight layouts are the engine's. */
    private void separable(String name, PendingDepthwise d, ConvSpec pointwise, INDArray pointwiseWeight) {
        ConvSpec s = d.spec();
        graph.addLayer(name, new SeparableConvolution2D.Builder(s.kernelHeight(), s.kernelWidth())
                .stride(s.strideHeight(), s.strideWidth()).padding(s.paddingHeight(), s.paddingWidth())
                .dilation(s.dilation(), s.dilation()).nIn(s.in())
                .depthMultiplier(s.out() / s.in()).nOut(pointwise.out()).hasBias(false)
                .convolutionMode(ConvolutionMode.Truncate).activation(Activation.IDENTITY).build(), d.input());
        // depthwise: engine [multiplier, in, kH, kW] = DL4J "W"; pointwise: engine [out, in * multiplier, 1, 1] = "pW"
        copy(name, "W", d.weight());
        copy(name, "pW", pointwiseWeight);
    }

    /** {@code input}, after adding the held-back depthwise convolution to the graph if it is that vertex. */
    private String resolve(String input) {
        if (pending != null && input.equals(pending.name())) {
            flush();
        }
        return input;
    }

    private List<String> resolve(List<String> inputs) {
        inputs.forEach(this::resolve);
        return inputs;
    }

    private void flush() {
        if (pending != null) {
            PendingDepthwise d = pending;
            pending = null;
            addConv2d(d.name(), d.input(), d.spec(), d.weight());
        }
    }

    private String addConv2d(String name, String input, ConvSpec s, INDArray weight) {
        if (s.groups() == 1) {
            graph.addLayer(name, new ConvolutionLayer.Builder(s.kernelHeight(), s.kernelWidth())
                    .stride(s.strideHeight(), s.strideWidth()).padding(s.paddingHeight(), s.paddingWidth())
                    .dilation(s.dilation(), s.dilation()).nIn(s.in()).nOut(s.out())
                    .hasBias(false).convolutionMode(ConvolutionMode.Truncate).activation(Activation.IDENTITY).build(),
                    input);
            copy(name, "W", weight);
        } else {
            int multiplier = s.out() / s.in();
            graph.addLayer(name, new DepthwiseConvolution2D.Builder(s.kernelHeight(), s.kernelWidth())
                    .stride(s.strideHeight(), s.strideWidth()).padding(s.paddingHeight(), s.paddingWidth())
                    .dilation(s.dilation(), s.dilation()).nIn(s.in()).depthMultiplier(multiplier).hasBias(false)
                    .convolutionMode(ConvolutionMode.Truncate).activation(Activation.IDENTITY).build(), input);
            // engine [multiplier, in, kH, kW] -> DL4J [kH, kW, in, multiplier]
            copy(name, "W", weight.permute(2, 3, 1, 0).dup('c'));
        }
        return name;
    }

    @Override
    public String batchNorm(String name, String input, INDArray gamma, INDArray beta, INDArray mean,
            INDArray variance, double epsilon) {
        return batchNorm(name, input, gamma, beta, mean, variance, epsilon, 0.1);
    }

    @Override
    public String batchNorm(String name, String input, INDArray gamma, INDArray beta, INDArray mean,
            INDArray variance, double epsilon, double momentum) {
        resolve(input);
        // DL4J's decay weighs the old running statistics: decay = 1 - momentum
        BatchNormalization.Builder b = new BatchNormalization.Builder().nOut((int) mean.length()).eps(epsilon)
                .decay(1.0 - momentum).useLogStd(false);
        if (gamma == null) {
            b.lockGammaBeta(true).gamma(1.0).beta(0.0);
        }
        graph.addLayer(name, b.build(), input);
        if (gamma != null) {
            copy(name, "gamma", gamma);
            copy(name, "beta", beta);
        }
        copy(name, "mean", mean);
        copy(name, "var", variance);
        return name;
    }

    @Override
    public String relu(String name, String input) {
        resolve(input);
        graph.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), input);
        return name;
    }

    @Override
    public String relu6(String name, String input) {
        resolve(input);
        graph.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU6).build(), input);
        return name;
    }

    @Override
    public String pool(String name, String input, boolean max, int kernel, int stride, int padding,
            boolean countIncludePad) {
        resolve(input);
        graph.addLayer(name, new SubsamplingLayer.Builder(max ? PoolingType.MAX : PoolingType.AVG)
                .kernelSize(kernel, kernel).stride(stride, stride).padding(padding, padding)
                .convolutionMode(ConvolutionMode.Truncate).avgPoolIncludePadInDivisor(countIncludePad).build(), input);
        return name;
    }

    @Override
    public String temporalPool(String name, String input, boolean max, int kernel, int stride) {
        resolve(input);
        graph.addLayer(name, new SubsamplingLayer.Builder(max ? PoolingType.MAX : PoolingType.AVG)
                .kernelSize(1, kernel).stride(1, stride).convolutionMode(ConvolutionMode.Same)
                .avgPoolIncludePadInDivisor(false).build(), input);
        return name;
    }

    @Override
    public String truncateChannels(String name, String input, int channels) {
        resolve(input);
        graph.addVertex(name, new ChannelSubsetVertex(0, channels - 1), input);
        return name;
    }

    @Override
    public String sliceChannels(String name, String input, int from, int to) {
        resolve(input);
        graph.addVertex(name, new ChannelSubsetVertex(from, to - 1), input);
        return name;
    }

    @Override
    public String channelShuffle(String name, String input, int groups) {
        resolve(input);
        graph.addVertex(name, new ChannelShuffleVertex(groups), input);
        return name;
    }

    @Override
    public String add(String name, List<String> inputs) {
        resolve(inputs);
        graph.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), inputs.toArray(new String[0]));
        return name;
    }

    @Override
    public String concat(String name, List<String> inputs) {
        resolve(inputs);
        graph.addVertex(name, new MergeVertex(), inputs.toArray(new String[0]));
        return name;
    }

    @Override
    public String cropTopLeft(String name, String input) {
        resolve(input);
        graph.addLayer(name, new Cropping2D(1, 0, 1, 0), input);
        return name;
    }

    @Override
    public String zeros(String name, String like) {
        resolve(like);
        graph.addVertex(name, new ScaleVertex(0.0), like);
        return name;
    }

    /**
     * DL4J's gate blocks of an {@code LSTM} layer ({@code LSTMHelpers}: the cell input, then the forget, output and
     * input gates) as positions in the engine's order (input, forget, cell, output).
     */
    private static final int[] DL4J_GATE_FROM_ENGINE = {2, 1, 3, 0};

    @Override
    public String lstm(String name, String input, INDArray weightIh, INDArray weightHh, INDArray bias) {
        resolve(input);
        long hidden = weightHh.size(1);
        graph.addVertex(name + ".seq", new TimeAxisVertex(true), input);
        graph.addLayer(name, new LSTM.Builder().nIn(weightIh.size(1)).nOut(hidden).activation(Activation.TANH)
                .gateActivationFunction(Activation.SIGMOID).dataFormat(RNNFormat.NCW).build(), name + ".seq");
        // DL4J: W [nIn, 4H], RW [H, 4H], b [1, 4H]; the engine's [4H, in] rows transposed, blocks reordered
        copy(name, "W", dl4jGates(weightIh, hidden).transpose().dup('c'));
        copy(name, "RW", dl4jGates(weightHh, hidden).transpose().dup('c'));
        copy(name, "b", dl4jGates(bias.reshape(4 * hidden, 1), hidden));
        graph.addVertex(name + ".map", new TimeAxisVertex(false), name);
        return name + ".map";
    }

    @Override
    public String gru(String name, String input, INDArray weightIh, INDArray weightHh, INDArray biasIh,
            INDArray biasHh) {
        resolve(input);
        graph.addVertex(name + ".seq", new TimeAxisVertex(true), input);
        graph.addLayer(name, new GruLayer.Builder().nIn(weightIh.size(1)).nOut(weightHh.size(1)).build(),
                name + ".seq");
        // GruLayer: W [C, 3H], RW [H, 3H], b and rb [1, 3H], gate blocks in the engine's (Keras') order
        copy(name, GruParameters.INPUT_WEIGHTS, weightIh.transpose().dup('c'));
        copy(name, GruParameters.RECURRENT_WEIGHTS, weightHh.transpose().dup('c'));
        copy(name, GruParameters.INPUT_BIAS, biasIh);
        copy(name, GruParameters.RECURRENT_BIAS, biasHh);
        graph.addVertex(name + ".map", new TimeAxisVertex(false), name);
        return name + ".map";
    }

    /** The rows of {@code rows [4H, n]} with the gate blocks in DL4J's order. */
    private static INDArray dl4jGates(INDArray rows, long hidden) {
        INDArray[] blocks = new INDArray[4];
        for (int k = 0; k < 4; k++) {
            long from = DL4J_GATE_FROM_ENGINE[k] * hidden;
            blocks[k] = rows.get(NDArrayIndex.interval(from, from + hidden), NDArrayIndex.all());
        }
        return Nd4j.vstack(blocks);
    }

    @Override
    public String globalAveragePool(String name, String input) {
        resolve(input);
        graph.addLayer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), input);
        return name;
    }

    @Override
    public String classifier(String name, String input, INDArray weight, INDArray bias) {
        resolve(input);
        graph.addLayer(name, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(weight.size(1))
                .nOut(weight.size(0)).hasBias(bias != null).activation(Activation.SOFTMAX).build(), input);
        copy(name, "W", weight.transpose().dup('c'));
        if (bias != null) {
            copy(name, "b", bias);
        }
        output = name;
        return name;
    }
}
