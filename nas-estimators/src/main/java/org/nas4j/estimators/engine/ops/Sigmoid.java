package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The logistic function {@code 1 / (1 + exp(-x))}, elementwise on any shape. The backward pass uses the output:
 * {@code dx = dy * y * (1 - y)}, computed as {@code dy * (y - y*y)} in three native calls.
 */
public final class Sigmoid implements Layer {

    private final NativeOp sigmoid = NativeOp.named("sigmoid");
    private final NativeOp multiply = NativeOp.named("multiply");
    private final NativeOp subtract = NativeOp.named("subtract");
    private final Buffer output = new Buffer();
    private final Buffer gradInput = new Buffer();
    private INDArray y;

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        y = output.like(x);
        sigmoid.exec(y, x);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray gx = gradInput.like(y);
        multiply.exec(gx, y, y);
        subtract.exec(gx, y, gx);
        multiply.exec(gx, gx, gy);
        return gx;
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        output.release(pool);
        gradInput.release(pool);
    }
}
