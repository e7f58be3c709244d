package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Batch norm's recomputed statistics: reset, then a cumulative average over batches (PyTorch's momentum=None). */
class BatchNormRunningStatisticsTest {

    @Test
    void afterAResetTheCumulativeStatisticsAreTheAverageOfTheBatchesStatistics() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 1);
        BatchNorm bn = new BatchNorm(params, "bn", 2, true);
        params.seal();
        assertEquals(List.of(bn), params.runningStatistics());
        bn.forward(GradientCheck.random(1, 3, 2, 4, 4).addi(5), Mode.TRAINING);   // some history to forget
        bn.resetRunningStatistics();
        assertArrayEquals(new double[] {0, 0}, bn.runningMean(), 0.0);
        assertArrayEquals(new double[] {1, 1}, bn.runningVariance(), 0.0);
        bn.averageCumulatively(true);
        List<INDArray> batches = List.of(GradientCheck.random(2, 3, 2, 4, 4), GradientCheck.random(3, 5, 2, 4, 4)
                .muli(2).addi(1), GradientCheck.random(4, 2, 2, 4, 4).subi(3));
        double[] mean = new double[2];
        double[] variance = new double[2];
        for (INDArray x : batches) {
            bn.forward(x, Mode.TRAINING);
            for (int c = 0; c < 2; c++) {
                double[] v = channel(x, c);
                double m = 0;
                for (double a : v) {
                    m += a / v.length;
                }
                double ss = 0;
                for (double a : v) {
                    ss += (a - m) * (a - m);
                }
                mean[c] += m / batches.size();
                variance[c] += ss / (v.length - 1) / batches.size();   // unbiased, as the running variance
            }
        }
        assertArrayEquals(mean, bn.runningMean(), 1e-12);
        assertArrayEquals(variance, bn.runningVariance(), 1e-12);

        // switched back, the next batch enters with the momentum (0.1), as before
        bn.averageCumulatively(false);
        INDArray x = GradientCheck.random(5, 4, 2, 4, 4);
        bn.forward(x, Mode.TRAINING);
        for (int c = 0; c < 2; c++) {
            double[] v = channel(x, c);
            double m = java.util.Arrays.stream(v).average().orElseThrow();
            assertEquals(0.9 * mean[c] + 0.1 * m, bn.runningMean()[c], 1e-12);
        }
    }

    private static double[] channel(INDArray x, int c) {
        long n = x.size(0) * x.size(2) * x.size(3);
        double[] v = new double[(int) n];
        int k = 0;
        for (int b = 0; b < x.size(0); b++) {
            for (int h = 0; h < x.size(2); h++) {
                for (int w = 0; w < x.size(3); w++) {
                    v[k++] = x.getDouble(b, c, h, w);
                }
            }
        }
        return v;
    }
}
