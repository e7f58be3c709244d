package org.nas4j.estimators.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sees what a layer computes, as a PyTorch forward hook and a backward hook on a module do: the output of each
 * forward pass and the gradient of the loss with respect to it. Registered on the layer's weight
 * ({@link Parameter#observeOutputs}), since a weight belongs to exactly one layer and the proxies that read
 * activations (fisher) select their layers by their weights. Convolutions ({@code Conv2d}) and linear layers
 * ({@code Dense}) report; other layers ignore an observer. A layer without an observer pays one null check per
 * pass, so the training path is not slowed.
 *
 * <pre>{@code
 * conv.weight().observeOutputs(observer);   // conv reports from its next pass on
 * net.backward(loss.backward());
 * conv.weight().observeOutputs(null);       // stops
 * }</pre>
 */
public interface OutputObserver {

    /**
     * Called at the end of the layer's forward pass.
     *
     * @param output the layer's output, owned by the layer and read by the next one: copy what is needed, do not
     *               modify it or keep a reference (its buffer is reused)
     */
    void forward(INDArray output);

    /**
     * Called at the start of the layer's backward pass, which follows the forward pass reported last.
     *
     * @param gradOutput the gradient of the loss with respect to that forward pass's output (same shape); read
     *                   only, as above
     */
    void backward(INDArray gradOutput);
}
