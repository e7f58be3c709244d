package org.nas4j.estimators.network;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Receives a compiled network as a graph of primitive vertices with their weights, in topological order. Every
 * method adds one vertex named {@code name} (unique in the network) and returns the name to use as its output.
 * Weights are the engine's live arrays: copy them, do not keep or modify them.
 */
public interface GraphSink {

    /**
     * Convolution without bias; {@code weight} is {@code [out, in, kH, kW]} (depthwise: {@code [out/in, in, kH, kW]}).
     */
    String conv2d(String name, String input, ConvSpec spec, INDArray weight);

    /**
     * Batch normalisation in inference form; {@code gamma} and {@code beta} are null when not affine; {@code mean}
     * and {@code variance} are the running statistics.
     */
    String batchNorm(String name, String input, INDArray gamma, INDArray beta, INDArray mean, INDArray variance,
            double epsilon);

    /**
     * Batch normalisation as {@link #batchNorm(String, String, INDArray, INDArray, INDArray, INDArray, double)},
     * with the {@code momentum} the running statistics are updated with in training (PyTorch's convention:
     * {@code running = (1 - momentum) * running + momentum * batch}), so a fine-tunable export can keep it. The
     * default ignores it.
     */
    default String batchNorm(String name, String input, INDArray gamma, INDArray beta, INDArray mean,
            INDArray variance, double epsilon, double momentum) {
        return batchNorm(name, input, gamma, beta, mean, variance, epsilon);
    }

    /** ReLU. */
    String relu(String name, String input);

    /** ReLU6, {@code min(max(x, 0), 6)}. */
    String relu6(String name, String input);

    /** The first {@code channels} channels of {@code input} ({@code x[:, :channels]}, NAS-Bench-101's truncation). */
    String truncateChannels(String name, String input, int channels);

    /**
     * Channels {@code from} (inclusive) to {@code to} (exclusive) of {@code input} ({@code x[:, from:to]}, the two
     * halves of a ShuffleNetV2 channel split).
     */
    String sliceChannels(String name, String input, int from, int to);

    /**
     * SPOS' channel shuffle of {@code groups} groups: output channel {@code j * C / groups + i} is input channel
     * {@code groups * i + j} ({@link org.nas4j.estimators.engine.ops.ChannelShuffle}).
     */
    String channelShuffle(String name, String input, int groups);

    /** Max or average pooling with a square window; {@code countIncludePad} only matters for average pooling. */
    String pool(String name, String input, boolean max, int kernel, int stride, int padding, boolean countIncludePad);

    /**
     * 1-D max or average pooling along the width of {@code [B, C, 1, T]}: window {@code 1 x kernel}, stride
     * {@code (1, stride)}, 'same' padding after the end (output width {@code ceil(T / stride)}); the padding never
     * wins the maximum and is not counted in the average.
     */
    String temporalPool(String name, String input, boolean max, int kernel, int stride);

    /**
     * An LSTM along the width (time) of {@code [B, C, 1, T]}, returning every step's hidden state as
     * {@code [B, H, 1, T]}; zero initial state, sigmoid gates, tanh cell and output activations
     * ({@link org.nas4j.estimators.engine.recurrent.LstmCell}).
     *
     * @param weightIh {@code [4H, C]}, gates in the order input, forget, cell, output
     * @param weightHh {@code [4H, H]}, same order
     * @param bias     {@code [4H]}, same order
     */
    String lstm(String name, String input, INDArray weightIh, INDArray weightHh, INDArray bias);

    /**
     * A GRU along the width (time) of {@code [B, C, 1, T]}, returning every step's hidden state as
     * {@code [B, H, 1, T]}; zero initial state, Keras' {@code reset_after=True} form
     * ({@link org.nas4j.estimators.engine.recurrent.GruCell}).
     *
     * @param weightIh {@code [3H, C]}, gates in the order update, reset, candidate
     * @param weightHh {@code [3H, H]}, same order
     * @param biasIh   {@code [3H]}, same order
     * @param biasHh   {@code [3H]}, same order
     */
    String gru(String name, String input, INDArray weightIh, INDArray weightHh, INDArray biasIh, INDArray biasHh);

    /** Element-wise sum of at least two inputs of the same shape. */
    String add(String name, List<String> inputs);

    /** Concatenation along channels of at least two inputs. */
    String concat(String name, List<String> inputs);

    /** Drops the first row and column ({@code x[:, :, 1:, 1:]}, the shifted path of a factorized reduce). */
    String cropTopLeft(String name, String input);

    /** Zeros with the shape of {@code like}. */
    String zeros(String name, String like);

    /** Global average pooling {@code [B, C, H, W] -> [B, C]}. */
    String globalAveragePool(String name, String input);

    /**
     * The classifier: {@code logits = x W^T + b} with {@code weight [classes, in]}, followed by softmax; {@code bias}
     * is null for a classifier without bias (SPOS').
     */
    String classifier(String name, String input, INDArray weight, INDArray bias);

    /**
     * A convolution's configuration; kernel, stride and padding are given per dimension (height, then width).
     *
     * <pre>{@code
     * new GraphSink.ConvSpec(16, 16, 3, 1, 1, 1, 1);                 // square 3x3, stride 1, padding 1
     * new GraphSink.ConvSpec(16, 16, 1, 7, 1, 2, 0, 3, 1, 1);        // 1x7, stride (1, 2), padding (0, 3)
     * }</pre>
     *
     * @param in            input channels
     * @param out           output channels
     * @param kernelHeight  kernel height
     * @param kernelWidth   kernel width
     * @param strideHeight  stride along the height
     * @param strideWidth   stride along the width
     * @param paddingHeight zero padding at the top and at the bottom
     * @param paddingWidth  zero padding on the left and on the right
     * @param dilation      dilation (both dimensions)
     * @param groups        1, or {@code in} for a depthwise convolution
     */
    record ConvSpec(int in, int out, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
            int paddingHeight, int paddingWidth, int dilation, int groups) {

        /**
         * A convolution with a square kernel and the same stride and padding in both dimensions.
         *
         * @param in       input channels
         * @param out      output channels
         * @param kernel   kernel height and width
         * @param stride   stride in both dimensions
         * @param padding  zero padding on each side
         * @param dilation dilation
         * @param groups   1, or {@code in} for a depthwise convolution
         */
        public ConvSpec(int in, int out, int kernel, int stride, int padding, int dilation, int groups) {
            this(in, out, kernel, kernel, stride, stride, padding, padding, dilation, groups);
        }

        /** Whether this is a 1x1 convolution with stride 1, no padding and no dilation. */
        public boolean isPointwise() {
            return kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1
                    && paddingHeight == 0 && paddingWidth == 0 && dilation == 1;
        }
    }
}
