package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Tolerances;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The loss where a logit lies far below its row's largest (the recurrent search's NaN at learning rate 20). */
class SoftmaxCrossEntropyTest {

    private static final double[][] LOGITS = {{0, 200, -200}, {0, 1000, -1000}, {1, 2, 3}};
    private static final int[] LABELS = {0, 2, 1};

    @Test
    void logitsFarBelowTheLargestGiveTheFiniteLossAndGradient() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
            INDArray z = Nd4j.createFromArray(LOGITS).castTo(type);
            double loss = ce.forward(z, SoftmaxCrossEntropy.oneHot(LABELS, 3, type));
            // the exact loss in double by log-sum-exp about each row's largest
            double expected = 0;
            double[][] softmax = new double[3][3];
            for (int r = 0; r < 3; r++) {
                double max = Math.max(LOGITS[r][0], Math.max(LOGITS[r][1], LOGITS[r][2]));
                double sum = 0;
                for (double v : LOGITS[r]) {
                    sum += Math.exp(v - max);
                }
                expected += (max + Math.log(sum) - LOGITS[r][LABELS[r]]) / 3;
                for (int k = 0; k < 3; k++) {
                    softmax[r][k] = Math.exp(LOGITS[r][k] - max) / sum;
                }
            }
            // a handful of roundings (the shift, the sum of 3 exponentials, its log, the dot over 9 terms) on terms
            // of at most 2000 (the largest |z - max|)
            assertEquals(expected, loss, Tolerances.parity(type, 16, 2000), type + " loss");
            INDArray g = ce.backward();
            for (int r = 0; r < 3; r++) {
                for (int k = 0; k < 3; k++) {
                    double want = (softmax[r][k] - (k == LABELS[r] ? 1 : 0)) / 3;
                    assertEquals(want, g.getDouble(r, k), Tolerances.parity(type, 16, 1), type + " gradient " + r
                            + "," + k);
                }
            }
            assertTrue(Double.isFinite(loss) && loss > 600, type + " loss " + loss);
        }
    }
}
