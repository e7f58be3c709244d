package org.nas4j.estimators.engine.ops;

import java.util.Arrays;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.NativeOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean squared error {@code mean((prediction - target)^2)} over all elements (PyTorch's {@code MSELoss}); the
 * gradient with respect to the prediction is {@code 2 (prediction - target) / n}.
 *
 * <pre>{@code
 * double loss = mse.forward(net.forward(x, Mode.TRAINING), y);
 * net.backward(mse.backward());
 * }</pre>
 */
public final class MeanSquaredError {

    private final NativeOp subtract = NativeOp.named("subtract");
    private final NativeOp dot = NativeOp.named("matmul");
    private final Buffer difference = new Buffer();
    private final Buffer gradPrediction = new Buffer();
    private final Buffer total = new Buffer();
    private INDArray diff;

    /**
     * Computes the loss.
     *
     * @param prediction any shape
     * @param target     the same shape and data type
     * @return the mean of the squared differences
     */
    public double forward(INDArray prediction, INDArray target) {
        if (!Arrays.equals(prediction.shape(), target.shape())) {
            throw new IllegalArgumentException("prediction and target must have the same shape, but were "
                    + Arrays.toString(prediction.shape()) + " and " + Arrays.toString(target.shape()));
        }
        diff = difference.like(prediction);
        subtract.exec(diff, prediction, target);
        long n = diff.length();
        INDArray t = total.get(diff.dataType(), 1, 1);
        dot.exec(t, diff.reshape(1, n), diff.reshape(n, 1));
        return t.getDouble(0) / n;
    }

    /** The gradient of the last loss with respect to the prediction, owned by this loss. */
    public INDArray backward() {
        if (diff == null) {
            throw new IllegalStateException("backward() needs a forward() first");
        }
        INDArray g = gradPrediction.like(diff);
        g.assign(diff).muli(2.0 / diff.length());
        return g;
    }
}
