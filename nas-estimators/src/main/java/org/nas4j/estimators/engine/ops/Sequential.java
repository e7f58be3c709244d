package org.nas4j.estimators.engine.ops;

import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layers applied one after the other; the backward pass runs them in reverse.
 *
 * <p>Once a pool has been given to it (any of the release methods; a network does it at construction), the
 * backward pass hands buffers back to that pool as soon as they are dead, as PyTorch frees a gradient once used
 * and an activation once the backward function that saved it has run: after layer {@code k}'s backward, the
 * input gradient of layer {@code k + 1} (just consumed) and the output of layer {@code k - 1} (layer {@code k}'s
 * input, which only layer {@code k}'s backward read). So a sequence holds about two gradients at a time, and its
 * activations shrink as the backward pass goes. The sequence's own output (the last layer's, which a caller may
 * still read) and input gradient (the first layer's) stay until the caller releases them.
 *
 * <pre>{@code
 * Layer reluConvBn = new Sequential(new Relu(), conv, new BatchNorm(params, "bn", 16, true));
 * }</pre>
 */
public final class Sequential implements Layer {

    private final List<Layer> layers;
    private ArrayPool pool;

    /** Composes the given layers, first applied first; at least one. */
    public Sequential(Layer... layers) {
        if (layers.length == 0) {
            throw new IllegalArgumentException("layers must hold at least one layer, but was empty");
        }
        this.layers = List.of(layers);
    }

    /** The layers, first applied first. */
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        INDArray h = x;
        for (Layer layer : layers) {
            h = layer.forward(h, mode);
        }
        return h;
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        this.pool = pool;
        for (Layer layer : layers) {
            layer.releaseBuffers(pool);
        }
    }

    /** Releases the last layer's output (the sequence's output); see {@link Layer#releaseOutput}. */
    @Override
    public void releaseOutput(ArrayPool pool) {
        this.pool = pool;
        layers.get(layers.size() - 1).releaseOutput(pool);
    }

    @Override
    public void releaseGradientBuffers(ArrayPool pool) {
        this.pool = pool;
        for (Layer layer : layers) {
            layer.releaseGradientBuffers(pool);
        }
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray g = gy;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
            if (pool != null) {
                if (i + 1 < layers.size()) {
                    layers.get(i + 1).releaseGradientBuffers(pool); // consumed by layer i just now
                }
                if (i > 0) {
                    layers.get(i - 1).releaseOutput(pool); // layer i's input: its backward was the last reader
                }
            }
        }
        return g;
    }
}
