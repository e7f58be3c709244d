package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Passes its input through (NAS-Bench-201's and DARTS' {@code skip_connect} at stride 1); copies nothing. */
public final class Identity implements Layer {

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        return x;
    }

    @Override
    public INDArray backward(INDArray gy) {
        return gy;
    }
}
