package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.NativeOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code y = x * mask} with a constant (possibly broadcast) mask; shared by dropout and drop-path. */
final class MaskedProduct {

    private final NativeOp multiply = NativeOp.named("multiply");
    private final Buffer output = new Buffer();
    private final Buffer gradInput = new Buffer();
    private INDArray mask;

    INDArray forward(INDArray x, INDArray mask) {
        this.mask = mask;
        INDArray y = output.like(x);
        multiply.exec(y, x, mask);
        return y;
    }

    INDArray backward(INDArray gy) {
        INDArray gx = gradInput.like(gy);
        multiply.exec(gx, gy, mask);
        return gx;
    }
}
