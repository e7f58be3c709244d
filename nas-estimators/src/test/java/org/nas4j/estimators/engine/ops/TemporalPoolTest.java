package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** 1-D pooling with 'same' padding against values worked out by hand (TensorFlow's padding after the end). */
class TemporalPoolTest {

    private static final double[] SERIES = {1, 3, 2, 5, 4};

    @Test
    void windowsOfTwoPadAfterTheEndWithoutWinningOrCounting() {
        assertArrayEquals(new double[] {3, 3, 5, 5, 4}, pool(true, 1), 0);
        assertArrayEquals(new double[] {2, 2.5, 3.5, 4.5, 4}, pool(false, 1), 1e-12);
        assertArrayEquals(new double[] {3, 5, 4}, pool(true, 2), 0, "ceil(5 / 2) = 3 outputs");
        assertArrayEquals(new double[] {2, 3.5, 4}, pool(false, 2), 1e-12);
    }

    @Test
    void theMaximumsGradientGoesToTheWinner() {
        Pool2d max = Pool2d.temporal(true, 2, 2);
        max.forward(Nd4j.create(SERIES, new long[] {1, 1, 1, 5}, DataType.DOUBLE), Mode.TRAINING);
        INDArray g = max.backward(Nd4j.create(new double[] {1, 10, 100}, new long[] {1, 1, 1, 3}, DataType.DOUBLE));
        assertArrayEquals(new double[] {0, 1, 0, 10, 100}, g.reshape(5).toDoubleVector(), 0);
    }

    @Test
    void mapsTallerThanOneRowAreRefused() {
        Pool2d max = Pool2d.temporal(true, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> max.forward(Nd4j.zeros(DataType.DOUBLE, 1, 1, 2, 5),
                Mode.TRAINING));
        assertThrows(IllegalArgumentException.class, () -> Pool2d.temporal(true, 0, 1));
    }

    private static double[] pool(boolean max, int stride) {
        INDArray x = Nd4j.create(SERIES, new long[] {1, 1, 1, 5}, DataType.DOUBLE);
        return Pool2d.temporal(max, 2, stride).forward(x, Mode.INFERENCE).dup().reshape(-1).toDoubleVector();
    }
}
