package org.nas4j.estimators.engine.recurrent;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The batch norm of {@link DartsSearchCell}'s states (the reference's one {@code BatchNorm1d(nhid, affine=False)},
 * shared by every state): over the rows of a {@code [batch, H]} state, no scale or shift, epsilon 1e-5; batch
 * statistics in training, and running statistics (momentum 0.1, unbiased variance, as PyTorch) updated at every
 * call and used in inference. Not thread-safe.
 */
final class StateBatchNorm {
    private static final double EPSILON = 1e-5;
    private static final double MOMENTUM = 0.1;

    private final INDArray runningMean;
    private final INDArray runningVariance;

    StateBatchNorm(DataType type, int features) {
        this.runningMean = Nd4j.zeros(type, 1, features);
        this.runningVariance = Nd4j.ones(type, 1, features);
    }

    /** Writes the normalised {@code raw} into {@code out} and returns the inverse deviation used, {@code [1, H]}. */
    INDArray forward(INDArray raw, INDArray out, boolean batchStatistics) {
        INDArray mean;
        INDArray variance;
        if (batchStatistics) {
            mean = raw.mean(true, 0);
            INDArray centred = raw.subRowVector(mean);
            variance = centred.mul(centred).mean(true, 0);
            long n = raw.size(0);
            runningMean.muli(1 - MOMENTUM).addi(mean.mul(MOMENTUM));
            runningVariance.muli(1 - MOMENTUM).addi(variance.mul(n > 1 ? MOMENTUM * n / (n - 1.0) : MOMENTUM));
        } else {
            mean = runningMean;
            variance = runningVariance;
        }
        INDArray inverse = Transforms.pow(variance.add(EPSILON), -0.5, false);
        out.assign(raw.subRowVector(mean).muliRowVector(inverse));
        return inverse;
    }

    /** dL/d(raw) from dL/d(normalised) {@code grad}, the normalised values {@code y} and their inverse deviation. */
    INDArray backward(INDArray grad, INDArray y, INDArray inverse, boolean batchStatistics) {
        if (!batchStatistics) {
            return grad.mulRowVector(inverse);
        }
        INDArray meanGrad = grad.mean(true, 0);
        INDArray meanGradY = grad.mul(y).mean(true, 0);
        return grad.subRowVector(meanGrad).subi(y.mulRowVector(meanGradY)).muliRowVector(inverse);
    }
}
