package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.NativeOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax cross-entropy between logits {@code [B, K]} and one-hot labels {@code [B, K]}, averaged over the batch
 * (PyTorch's {@code F.cross_entropy}). The gradient with respect to the logits is {@code (softmax - labels) / B}.
 *
 * <pre>{@code
 * INDArray labels = SoftmaxCrossEntropy.oneHot(new int[] {3, 1, 4}, 10, DataType.FLOAT);
 * double loss = ce.forward(logits, labels);
 * network.backward(ce.backward());
 * }</pre>
 */
public final class SoftmaxCrossEntropy {

    private final NativeOp logSoftmax = NativeOp.named("log_softmax");
    private final NativeOp dot = NativeOp.named("matmul");
    private final Buffer logProbs = new Buffer();
    private final Buffer gradLogits = new Buffer();
    private final Buffer total = new Buffer();
    private INDArray labels;

    /**
     * Computes the mean loss.
     *
     * @param logits {@code [B, K]}
     * @param labels {@code [B, K]} one-hot (or any probability rows), same data type
     * @return the loss averaged over the batch
     */
    public double forward(INDArray logits, INDArray labels) {
        if (logits.rank() != 2 || !java.util.Arrays.equals(logits.shape(), labels.shape())) {
            throw new IllegalArgumentException("logits and labels must be [batch, classes] of the same shape, but"
                    + " were " + java.util.Arrays.toString(logits.shape()) + " and "
                    + java.util.Arrays.toString(labels.shape()));
        }
        this.labels = labels;
        INDArray lp = logProbs.like(logits);
        logSoftmax.exec(lp, logits);
        if (Double.isInfinite(lp.minNumber().doubleValue())) {
            stableLogSoftmax(lp, logits);
        }
        INDArray t = total.get(logits.dataType(), 1, 1);
        dot.exec(t, lp.reshape(1, lp.length()), labels.reshape('c', labels.length(), 1));
        return -t.getDouble(0) / logits.size(0);
    }

    /**
     * Rewrites {@code lp} as {@code (z - max) - log(sum(exp(z - max)))} per row. libnd4j's {@code log_softmax} is the
     * log of the softmax, so a logit more than about 104 (FLOAT; 745 in DOUBLE) below its row's largest comes out as
     * {@code -inf}, and the loss's product with a label row of zeros there is {@code 0 * -inf = NaN}, though every
     * term is finite. Only then is this slower form used, so other results keep the native op's bits.
     */
    private void stableLogSoftmax(INDArray lp, INDArray logits) {
        INDArray max = logits.max(true, 1);
        lp.assign(logits).subiColumnVector(max);
        INDArray e = gradLogits.like(logits);
        Nd4j.getExecutioner().exec(new Exp(lp, e));
        lp.subiColumnVector(Transforms.log(e.sum(true, 1), false));
    }

    /** The gradient of the last loss with respect to the logits, owned by this op. */
    public INDArray backward() {
        INDArray lp = logProbs.like(labels);
        INDArray g = gradLogits.like(labels);
        Nd4j.getExecutioner().exec(new Exp(lp, g));
        g.subi(labels).divi(labels.size(0));
        return g;
    }

    /**
     * One-hot rows for integer labels.
     *
     * @param labels  class indices, each in [0, classes)
     * @param classes number of classes
     * @param type    data type of the result
     * @return {@code [labels.length, classes]}
     */
    public static INDArray oneHot(int[] labels, int classes, DataType type) {
        double[][] rows = new double[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("labels[" + i + "] must be in [0, " + classes + "), but was "
                        + labels[i]);
            }
            rows[i][labels[i]] = 1.0;
        }
        return Nd4j.createFromArray(rows).castTo(type);
    }
}
