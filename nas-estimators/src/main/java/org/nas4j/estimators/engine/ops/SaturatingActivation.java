package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An elementwise activation whose derivative is a function of its output, on any shape: the logistic function
 * ({@link #sigmoid()}, {@code dx = dy * (y - y*y)}) or the hyperbolic tangent ({@link #tanh()},
 * {@code dx = dy - dy*y*y}). Each backward pass takes three native calls.
 */
public final class SaturatingActivation implements Layer {

    private final boolean logistic;
    private final NativeOp function;
    private final NativeOp multiply = NativeOp.named("multiply");
    private final NativeOp subtract = NativeOp.named("subtract");
    private final Buffer output = new Buffer();
    private final Buffer gradInput = new Buffer();
    private INDArray y;

    private SaturatingActivation(boolean logistic) {
        this.logistic = logistic;
        this.function = NativeOp.named(logistic ? "sigmoid" : "tanh");
    }

    /** The logistic function {@code 1 / (1 + exp(-x))}. */
    public static SaturatingActivation sigmoid() {
        return new SaturatingActivation(true);
    }

    /** The hyperbolic tangent. */
    public static SaturatingActivation tanh() {
        return new SaturatingActivation(false);
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        y = output.like(x);
        function.exec(y, x);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray gx = gradInput.like(y);
        multiply.exec(gx, y, y);
        if (logistic) {
            subtract.exec(gx, y, gx);      // y - y^2
            multiply.exec(gx, gx, gy);
        } else {
            multiply.exec(gx, gx, gy);     // dy * y^2
            subtract.exec(gx, gy, gx);
        }
        return gx;
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        output.release(pool);
        gradInput.release(pool);
    }
}
