package org.nas4j.estimators.network;

import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A module whose computation is one engine layer's: forward, backward and the buffer releases go to the layer; a
 * subclass says how it exports (and may wrap the forward or backward pass).
 */
abstract class DelegatingModule implements Module {

    private final Layer layer;

    /** @param layer what computes this module */
    DelegatingModule(Layer layer) {
        this.layer = java.util.Objects.requireNonNull(layer, "layer");
    }

    @Override
    public INDArray forward(INDArray input, Mode mode) {
        return layer.forward(input, mode);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        return layer.backward(gradOutput);
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        layer.releaseBuffers(pool);
    }

    @Override
    public void releaseGradientBuffers(ArrayPool pool) {
        layer.releaseGradientBuffers(pool);
    }

    @Override
    public void releaseOutput(ArrayPool pool) {
        layer.releaseOutput(pool);
    }
}
