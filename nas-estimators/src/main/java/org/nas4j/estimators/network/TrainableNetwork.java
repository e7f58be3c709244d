package org.nas4j.estimators.network;

import java.util.Optional;
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
 *
 * <p>A network may have an auxiliary head ({@link #auxiliaryWeight()} > 0, DARTS' CIFAR protocol): after a
 * training forward pass {@link #auxiliaryLogits()} holds its logits, the training loss is
 * {@code main + auxiliaryWeight * auxiliary} and {@link #backward(INDArray, INDArray)} takes both gradients;
 * inference and export use the main head only. It may also have drop-path in its cells, whose probability
 * ({@link #dropPathRate()}) the trainer sets each epoch.
 */
public final class TrainableNetwork {

    private final String description;
    private final ParameterSet params;
    private final Module body;
    private final int inputChannels;
    private final int inputHeight;
    private final int inputWidth;
    private final int classes;
    private final double auxiliaryWeight;
    private final DropPathRate dropPath;

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
        this(description, params, body, inputChannels, imageSize, imageSize, classes, 0, null);
    }

    /**
     * Wraps a built body with an auxiliary head and/or drop-path.
     *
     * @param auxiliaryWeight weight of the auxiliary loss, >= 0; 0 = no auxiliary head, > 0 needs a body made by a
     *                        factory with an auxiliary head
     * @param dropPath        the drop-path probability the body's cells read, or null for none
     */
    TrainableNetwork(String description, ParameterSet params, Module body, int inputChannels, int inputHeight,
            int inputWidth, int classes, double auxiliaryWeight, DropPathRate dropPath) {
        if (!(auxiliaryWeight >= 0) || Double.isInfinite(auxiliaryWeight)) {
            throw new IllegalArgumentException("auxiliaryWeight must be finite and >= 0, but was " + auxiliaryWeight);
        }
        if (auxiliaryWeight > 0 && !(body instanceof AuxiliaryBody)) {
            throw new IllegalArgumentException("auxiliaryWeight=" + auxiliaryWeight + " needs a body with an "
                    + "auxiliary head, but was " + body.getClass().getName());
        }
        this.auxiliaryWeight = auxiliaryWeight;
        this.dropPath = dropPath;
        this.description = description;
        this.params = params;
        this.body = body;
        this.inputChannels = inputChannels;
        this.inputHeight = inputHeight;
        this.inputWidth = inputWidth;
        this.classes = classes;
        if (!params.isSealed()) {
            params.seal();
        }
    }

    /** The logits for {@code images}, owned by the network (valid until the next forward call). */
    public INDArray forward(INDArray images, Mode mode) {
        return body.forward(images, mode);
    }

    /**
     * Back-propagates the gradient of the loss with respect to the last logits; writes the parameter gradients.
     *
     * @return the gradient with respect to the last forward's images, owned by the network (valid until the next
     *         backward call)
     */
    public INDArray backward(INDArray gradLogits) {
        return body.backward(gradLogits);
    }

    /**
     * Back-propagates the gradients of the loss with respect to the last main and auxiliary logits (the latter
     * already multiplied by {@link #auxiliaryWeight()}, or null); writes the parameter gradients.
     */
    public void backward(INDArray gradLogits, INDArray gradAuxiliaryLogits) {
        if (body instanceof AuxiliaryBody aux) {
            aux.backward(gradLogits, gradAuxiliaryLogits);
        } else if (gradAuxiliaryLogits != null) {
            throw new IllegalStateException("this network has no auxiliary head");
        } else {
            body.backward(gradLogits);
        }
    }

    /**
     * The auxiliary head's logits of the last forward pass (owned by the network), or null when it has no auxiliary
     * head or the pass was not in training mode.
     */
    public INDArray auxiliaryLogits() {
        return body instanceof AuxiliaryBody aux && auxiliaryWeight > 0 ? aux.auxiliaryLogits() : null;
    }

    /** Weight of the auxiliary loss in the training loss; 0 when the network has no auxiliary head. */
    public double auxiliaryWeight() {
        return auxiliaryWeight;
    }

    /** The drop-path probability of the cells, to set each epoch; empty when the network has no drop-path. */
    public Optional<DropPathRate> dropPathRate() {
        return Optional.ofNullable(dropPath);
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

    /** The height and width of its square input images; an exception for a network of other inputs. */
    public int imageSize() {
        if (inputHeight != inputWidth) {
            throw new IllegalStateException("the network of " + description + " takes " + inputHeight + "x"
                    + inputWidth + " inputs, not square images; use inputHeight() and inputWidth()");
        }
        return inputHeight;
    }

    /** The height of its input (1 for a time series laid out as {@code channels x 1 x length}). */
    public int inputHeight() {
        return inputHeight;
    }

    /** The width of its input (the length of a time series). */
    public int inputWidth() {
        return inputWidth;
    }

    public int classes() {
        return classes;
    }
}
