package org.nas4j.estimators.network;

import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stand-alone network compiled for one architecture: images {@code [B, C, H, W]} in, logits {@code [B, classes]}
 * out, with all its parameters in one sealed {@link ParameterSet}. Not thread-safe (its layers own their buffers):
 * one network per thread.
 *
 * <pre>{@code
 * TrainableNetwork net = NetworkCompiler.compile(architecture, seed);
 * INDArray logits = net.forward(images, Mode.TRAINING);
 * net.backward(loss.backward());
 * optimizer.step();
 * }</pre>
 */
public final class TrainableNetwork {

    private final String description;
    private final ParameterSet params;
    private final Module body;
    private final int inputChannels;
    private final int imageSize;
    private final int classes;

    /**
     * Wraps a built body.
     *
     * @param description   what it is, e.g. the architecture string
     * @param params        its parameters, sealed here if not yet
     * @param body          images to logits
     * @param inputChannels image channels
     * @param imageSize     image height and width
     * @param classes       output classes
     */
    public TrainableNetwork(String description, ParameterSet params, Module body, int inputChannels, int imageSize,
            int classes) {
        this.description = description;
        this.params = params;
        this.body = body;
        this.inputChannels = inputChannels;
        this.imageSize = imageSize;
        this.classes = classes;
        if (!params.isSealed()) {
            params.seal();
        }
    }

    /** The logits for {@code images}, owned by the network (valid until the next forward call). */
    public INDArray forward(INDArray images, Mode mode) {
        return body.forward(images, mode);
    }

    /** Back-propagates the gradient of the loss with respect to the last logits; writes the parameter gradients. */
    public void backward(INDArray gradLogits) {
        body.backward(gradLogits);
    }

    /** The parameters. */
    public ParameterSet parameters() {
        return params;
    }

    /** The number of trainable values. */
    public long parameterCount() {
        return params.size();
    }

    /** The body, for export. */
    public Module body() {
        return body;
    }

    /** What the network is (e.g. the architecture string). */
    public String description() {
        return description;
    }

    public int inputChannels() {
        return inputChannels;
    }

    public int imageSize() {
        return imageSize;
    }

    public int classes() {
        return classes;
    }
}
