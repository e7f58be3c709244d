package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ReLU6, {@code min(max(x, 0), 6)} (MobileNetV2's activation). The backward pass multiplies the gradient by the
 * mask {@code 0 < x <= 6}, built from two step masks ({@code x > 0} minus {@code x > 6}) as {@link Relu} builds its
 * own; it differs from PyTorch's {@code x < 6} only at exactly 6, where the function has no derivative.
 */
public final class Relu6 extends BufferedLayer {

    private final NativeOp relu6 = NativeOp.named("relu6").floatArgs(0.0);
    private final NativeOp multiply = NativeOp.named("multiply");
    private final NativeOp subtract = NativeOp.named("subtract");
    private final Buffer saturated = new Buffer();
    private INDArray input;

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        input = x;
        INDArray y = output.like(x);
        relu6.exec(y, x);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray gx = gradInput.like(input);
        INDArray above = saturated.like(input);
        Nd4j.getExecutioner().exec(new Step(input, gx, 0.0));
        Nd4j.getExecutioner().exec(new Step(input, above, 6.0));
        subtract.exec(gx, gx, above);
        multiply.exec(gx, gx, gy);
        return gx;
    }

    @Override
    public void releaseGradientBuffers(ArrayPool pool) {
        super.releaseGradientBuffers(pool);
        saturated.release(pool);
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        super.releaseBuffers(pool);
        saturated.release(pool);
    }
}
