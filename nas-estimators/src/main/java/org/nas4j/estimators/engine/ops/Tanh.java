package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The hyperbolic tangent, elementwise on any shape. The backward pass uses the output:
 * {@code dx = dy * (1 - y*y)}, computed as {@code dy - dy*y*y} in three native calls.
 */
public final class Tanh implements Layer {

    private final NativeOp tanh = NativeOp.named("tanh");
    private final NativeOp multiply = NativeOp.named("multiply");
    private final NativeOp subtract = NativeOp.named("subtract");
    private final Buffer output = new Buffer();
    private final Buffer gradInput = new Buffer();
    private INDArray y;

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        y = output.like(x);
        tanh.exec(y, x);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray gx = gradInput.like(y);
        multiply.exec(gx, y, y);
        multiply.exec(gx, gx, gy);
        subtract.exec(gx, gy, gx);
        return gx;
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        output.release(pool);
        gradInput.release(pool);
    }
}
