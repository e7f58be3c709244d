package org.nas4j.estimators.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One trainable array (a weight, a bias, a batch-norm scale, architecture weights...), stored as a view into the
 * flat value buffer of its {@link ParameterSet}, with its gradient as a view into the flat gradient buffer.
 *
 * <p>A layer's backward pass writes the gradient and calls {@link #markGradient()}; an optimizer then updates only
 * the parameters that have a gradient in this step (as PyTorch skips parameters whose gradient is None), and
 * clears the marks. So the candidate ops a single-path step did not run are left untouched.
 */
public final class Parameter {

    private final ParameterSet owner;
    private final String name;
    private final long[] shape;
    private final long offset;
    private final long length;
    private final Initializer initializer;
    private INDArray value;
    private INDArray gradient;
    private boolean hasGradient;
    private OutputObserver outputObserver;

    Parameter(ParameterSet owner, String name, long[] shape, long offset, Initializer initializer) {
        this.owner = owner;
        this.name = name;
        this.shape = shape.clone();
        this.offset = offset;
        this.length = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        this.initializer = initializer;
    }

    void bind(INDArray value, INDArray gradient) {
        this.value = value;
        this.gradient = gradient;
    }

    /** The parameter's name, unique in its set (e.g. {@code "cell3.edge2.conv3x3.weight"}). */
    public String name() {
        return name;
    }

    /** The shape, e.g. {@code [outChannels, inChannels, kH, kW]} for a convolution weight. */
    public long[] shape() {
        return shape.clone();
    }

    /** Position of the first element in the set's flat buffers. */
    public long offset() {
        return offset;
    }

    /** Number of elements. */
    public long length() {
        return length;
    }

    Initializer initializer() {
        return initializer;
    }

    /** The values: a view into the set's flat value buffer. Available once the set is sealed. */
    public INDArray value() {
        requireSealed();
        return value;
    }

    /** The gradient: a view into the set's flat gradient buffer. Available once the set is sealed. */
    public INDArray gradient() {
        requireSealed();
        return gradient;
    }

    /** Whether a backward pass has written this parameter's gradient since the last optimizer step. */
    public boolean hasGradient() {
        return hasGradient;
    }

    /** Records that the gradient was written in the current step; called by layers in their backward pass. */
    public void markGradient() {
        hasGradient = true;
    }

    /** Forgets the gradient mark; called by optimizers after an update. */
    public void clearGradient() {
        hasGradient = false;
    }

    /**
     * Makes the layer that declared this parameter report the outputs of its passes and their gradients to
     * {@code observer} (null: stop). Convolutions and linear layers report, through their weight; other layers
     * ignore it. Not thread-safe, as the network is not.
     */
    public void observeOutputs(OutputObserver observer) {
        this.outputObserver = observer;
    }

    /** The observer of the outputs of this parameter's layer ({@link #observeOutputs}); null when none. */
    public OutputObserver outputObserver() {
        return outputObserver;
    }

    private void requireSealed() {
        if (value == null) {
            throw new IllegalStateException("parameter '" + name + "' has no storage yet: seal its ParameterSet first");
        }
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
