package org.nas4j.estimators.engine.recurrent;

import org.nas4j.estimators.engine.NativeOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The batch norm of {@link DartsSearchCell}'s states (the reference's one {@code BatchNorm1d(nhid, affine=False)},
 * shared by every state): over the rows of a {@code [batch, H]} state, no scale or shift, epsilon 1e-5; batch
 * statistics in training, and running statistics (momentum 0.1, unbiased variance, as PyTorch) updated at every
 * call and used in inference. Writes into the caller's arrays: a column mean is a product with a row of ones, so
 * nothing is allocated per call. Not thread-safe.
 */
final class StateBatchNorm {
    private static final double EPSILON = 1e-5;
    private static final double MOMENTUM = 0.1;

    private final INDArray runningMean;
    private final INDArray runningVariance;
    private final INDArray mean;
    private final INDArray variance;
    private final INDArray row;
    private final NativeOp matmul = NativeOp.named("matmul");
    private final NativeOp subtract = NativeOp.named("subtract");
    private final NativeOp multiply = NativeOp.named("multiply");

    StateBatchNorm(DataType type, int features) {
        this.runningMean = Nd4j.zeros(type, 1, features);
        this.runningVariance = Nd4j.ones(type, 1, features);
        this.mean = Nd4j.zeros(type, 1, features);
        this.variance = Nd4j.zeros(type, 1, features);
        this.row = Nd4j.zeros(type, 1, features);
    }

    /** The running mean {@code [1, H]}, live (a checkpoint writes into it). */
    INDArray runningMean() {
        return runningMean;
    }

    /** The running variance {@code [1, H]}, live. */
    INDArray runningVariance() {
        return runningVariance;
    }

    /**
     * Writes the normalised {@code raw} into {@code out} and the inverse deviation used into {@code inverse}.
     *
     * @param ones   a row of ones {@code [1, batch]}
     * @param square scratch {@code [batch, H]}
     */
    void forward(INDArray raw, INDArray out, INDArray inverse, INDArray ones, INDArray square,
            boolean batchStatistics) {
        if (!batchStatistics) {
            subtract.exec(out, raw, runningMean);
            deviationInverse(inverse, runningVariance);
            multiply.exec(out, out, inverse);
            return;
        }
        long n = raw.size(0);
        columnMean(mean, raw, ones, n);
        subtract.exec(out, raw, mean);
        multiply.exec(square, out, out);
        columnMean(variance, square, ones, n);
        runningMean.muli(1 - MOMENTUM).addi(row.assign(mean).muli(MOMENTUM));
        runningVariance.muli(1 - MOMENTUM).addi(row.assign(variance).muli(n > 1 ? MOMENTUM * n / (n - 1.0)
                : MOMENTUM));
        deviationInverse(inverse, variance);
        multiply.exec(out, out, inverse);
    }

    /**
     * Writes dL/d(raw) into {@code out} from dL/d(normalised) {@code grad}, the normalised values {@code y} and
     * their inverse deviation: {@code (g - mean(g) - y * mean(g y)) * inverse} with batch statistics.
     */
    void backward(INDArray out, INDArray grad, INDArray y, INDArray inverse, INDArray ones, INDArray square,
            boolean batchStatistics) {
        if (!batchStatistics) {
            multiply.exec(out, grad, inverse);
            return;
        }
        long n = grad.size(0);
        columnMean(mean, grad, ones, n);
        multiply.exec(square, grad, y);
        columnMean(variance, square, ones, n);
        multiply.exec(square, y, variance);
        subtract.exec(out, grad, mean);
        subtract.exec(out, out, square);
        multiply.exec(out, out, inverse);
    }

    private void columnMean(INDArray out, INDArray in, INDArray ones, long n) {
        matmul.exec(out, ones, in);
        out.muli(1.0 / n);
    }

    private static void deviationInverse(INDArray inverse, INDArray variance) {
        Transforms.pow(inverse.assign(variance).addi(EPSILON), -0.5, false);
    }
}
