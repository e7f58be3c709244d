package org.nas4j.estimators.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One differentiable step of a network with a single input.
 *
 * <p>Contract, shared by every layer of the engine:
 * <ul>
 *   <li>{@link #forward} keeps what {@link #backward} needs (usually a reference to its input) and returns an array
 *       that the layer owns (or its input itself, for identity). The caller must not modify it; it stays valid until
 *       the layer's next forward call.</li>
 *   <li>{@link #backward} must follow a forward call of the same layer, returns the gradient of the loss with
 *       respect to that forward's input (again owned by the layer), and <em>writes</em> (not adds) the gradients of
 *       the layer's parameters, marking them as {@link Parameter#hasGradient() having a gradient}.</li>
 *   <li>Neither method modifies its argument. A layer instance therefore appears at one place in a network.</li>
 * </ul>
 */
public interface Layer {

    /**
     * Computes the layer's output.
     *
     * @param input the input, e.g. {@code [batch, channels, height, width]} for image layers
     * @param mode  training or inference
     * @return the output, owned by the layer
     */
    INDArray forward(INDArray input, Mode mode);

    /**
     * Back-propagates through the last forward call.
     *
     * @param gradOutput gradient of the loss with respect to the last output (same shape)
     * @return gradient of the loss with respect to the last input, owned by the layer
     */
    INDArray backward(INDArray gradOutput);

    /**
     * Hands the activation and gradient buffers this layer holds to {@code pool}; its next forward pass takes
     * buffers from the pool again (or allocates). A supernet edge calls it on the candidate ops a pass does not
     * run, so the candidates share memory. Must not be called between a forward pass and its backward pass.
     *
     * @param pool where the buffers go
     */
    default void releaseBuffers(ArrayPool pool) {
    }

    /**
     * Hands the input-gradient buffers of this layer (those its last {@link #backward} wrote, the returned one
     * included) to {@code pool}; its next backward pass takes buffers from the pool again (or allocates). Whoever
     * consumed the returned gradient calls it once that gradient is dead, so that gradient memory is held for a
     * short stretch of the backward pass instead of the whole step (as PyTorch frees gradients). Layers whose
     * gradient is not a buffer of their own (identity, zero) keep what they have.
     *
     * @param pool where the buffers go
     */
    default void releaseGradientBuffers(ArrayPool pool) {
    }

    /**
     * Hands the buffer of the last forward's output to {@code pool}, for a caller that has consumed that output
     * (e.g. summed it into a node) while the layer's backward pass does not read it: convolution, batch norm, ReLU
     * and pooling back-propagate from their input, so their output is dead once consumed (as PyTorch frees an
     * activation that no backward function saved). Layers that return their input, a shared array, or need their
     * output in backward keep it (the default).
     *
     * @param pool where the buffer goes
     */
    default void releaseOutput(ArrayPool pool) {
    }
}
