package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch norm with batch statistics in inference (ENAS' micro search child): inference computes what training does,
 * forward and backward, and neither reads nor updates the running statistics.
 */
class BatchNormBatchStatisticsTest {

    @Test
    void inferenceNormalizesWithTheBatchAndLeavesTheRunningStatistics() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 1);
        BatchNorm bn = new BatchNorm(params, "bn", 3, true, 0.1, 1e-3);
        params.seal();
        params.parameters().forEach(p -> p.value().assign(GradientCheck.random(7, p.value().shape()).addi(0.5)));
        assertFalse(bn.batchStatisticsInInference());
        // running statistics far from the batches' so that reading them would show
        bn.forward(GradientCheck.random(2, 4, 3, 5, 5).muli(3).addi(4), Mode.TRAINING);
        INDArray x = GradientCheck.random(3, 4, 3, 5, 5);
        INDArray gy = GradientCheck.random(4, 4, 3, 5, 5);
        INDArray withRunning = bn.forward(x, Mode.INFERENCE).dup();

        bn.batchStatisticsInInference(true);
        assertTrue(bn.batchStatisticsInInference());
        double[] mean = bn.runningMean();
        double[] variance = bn.runningVariance();
        INDArray inference = bn.forward(x, Mode.INFERENCE).dup();
        INDArray inferenceGradient = bn.backward(gy).dup();
        assertArrayEquals(mean, bn.runningMean(), 0.0);
        assertArrayEquals(variance, bn.runningVariance(), 0.0);
        INDArray training = bn.forward(x, Mode.TRAINING).dup();
        INDArray trainingGradient = bn.backward(gy).dup();
        // the same arithmetic in the same order in both modes: equal to the last bits of DOUBLE
        assertTrue(maxDiff(training, inference) < 1e-13, "forward: " + maxDiff(training, inference));
        assertTrue(maxDiff(trainingGradient, inferenceGradient) < 1e-13,
                "backward: " + maxDiff(trainingGradient, inferenceGradient));
        // the running statistics (mean near 4, deviation near 3) give another output altogether
        assertTrue(maxDiff(withRunning, inference) > 0.1, "running: " + maxDiff(withRunning, inference));
    }

    private static double maxDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.sub(b)).maxNumber().doubleValue();
    }
}
