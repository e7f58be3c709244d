package org.nas4j.estimators.engine.ops;

import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layers applied one after the other; the backward pass runs them in reverse.
 *
 * <pre>{@code
 * Layer reluConvBn = new Sequential(new Relu(), conv, new BatchNorm(params, "bn", 16, true));
 * }</pre>
 */
public final class Sequential implements Layer {

    private final List<Layer> layers;

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
        for (Layer layer : layers) {
            layer.releaseBuffers(pool);
        }
    }

    /** Releases the last layer's output (the sequence's output); see {@link Layer#releaseOutput}. */
    @Override
    public void releaseOutput(ArrayPool pool) {
        layers.get(layers.size() - 1).releaseOutput(pool);
    }

    @Override
    public void releaseGradientBuffers(ArrayPool pool) {
        for (Layer layer : layers) {
            layer.releaseGradientBuffers(pool);
        }
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray g = gy;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
        return g;
    }
}
