package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The factorized reduction's two paths ({@link ShiftedConvPair}): outputs against the reference's definition
 * computed by hand (1x1 stride-2 convolutions of {@code x} and of {@code x[:, :, 1:, 1:]}), gradients against
 * central finite differences in double precision, alone and inside DARTS' and ENAS' reductions.
 */
class ShiftedConvPairTest {

    private static final int IN = 3;
    private static final int HALF = 2;

    @Test
    void outputIsBothStrideTwoConvolutionsOfTheInputAndOfItsCrop() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 5);
        ShiftedConvPair pair = new ShiftedConvPair(p, "fr.conv1", "fr.conv2", "fr.shift", "fr.concat", IN, HALF);
        p.seal();
        INDArray x = GradientCheck.random(1, 2, IN, 4, 6);
        INDArray y = pair.forward(x, Mode.TRAINING);
        assertArrayEquals(new long[] {2, 2 * HALF, 2, 3}, y.shape());
        INDArray w1 = Modules.find(p, "fr.conv1.weight").value();
        INDArray w2 = Modules.find(p, "fr.conv2.weight").value();
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < HALF; o++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 3; j++) {
                        double direct = 0;
                        double shifted = 0;
                        double magnitude = 0;
                        for (int c = 0; c < IN; c++) {
                            // the crop x[:, :, 1:, 1:] sampled at (2i, 2j) is x at (2i + 1, 2j + 1)
                            double a = w1.getDouble(o, c, 0, 0) * x.getDouble(n, c, 2 * i, 2 * j);
                            double b = w2.getDouble(o, c, 0, 0) * x.getDouble(n, c, 2 * i + 1, 2 * j + 1);
                            direct += a;
                            shifted += b;
                            magnitude += Math.abs(a) + Math.abs(b);
                        }
                        double tolerance = Tolerances.parity(DataType.DOUBLE, IN, magnitude);
                        assertEquals(direct, y.getDouble(n, o, i, j), tolerance);
                        assertEquals(shifted, y.getDouble(n, HALF + o, i, j), tolerance);
                    }
                }
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 6);
        ShiftedConvPair pair = new ShiftedConvPair(p, "fr.conv1", "fr.conv2", "fr.shift", "fr.concat", IN, HALF);
        p.seal();
        INDArray x = GradientCheck.random(2, 2, IN, 4, 6);
        // every input element: the shifted path's gradient lands on the odd rows and columns only
        GradientCheck.check(in -> pair.forward(in, Mode.TRAINING), pair::backward, p, x, (int) x.length());
    }

    @Test
    void gradientsStayRightWhenBuffersComeFromAPool() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 7);
        ShiftedConvPair pair = new ShiftedConvPair(p, "fr.conv1", "fr.conv2", "fr.shift", "fr.concat", IN, HALF);
        p.seal();
        ArrayPool pool = new ArrayPool();
        INDArray x = GradientCheck.random(3, 2, IN, 4, 4);
        INDArray gy = GradientCheck.random(4, 2, 2 * HALF, 2, 2);
        pair.forward(x, Mode.TRAINING);
        INDArray first = pair.backward(gy).dup();
        for (int pass = 0; pass < 2; pass++) {
            pair.releaseGradientBuffers(pool);
            pair.releaseBuffers(pool);
            pair.forward(x, Mode.TRAINING);
            assertEquals(first, pair.backward(gy), "pass " + pass);
        }
    }

    @Test
    void dartsFactorizedReduceGradientsMatchFiniteDifferences() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 8);
        Module fr = DartsModules.factorizedReduce(p, "fr", IN, 2 * HALF, false);
        p.seal();
        INDArray x = GradientCheck.random(5, 2, IN, 4, 4);
        GradientCheck.check(in -> fr.forward(in, Mode.TRAINING), fr::backward, p, x, (int) x.length());
    }

    @Test
    void enasFactorizedReduceGradientsMatchFiniteDifferences() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 9);
        Module fr = EnasModules.factorizedReduce(p, "fr", IN, 2 * HALF, 2);
        p.seal();
        INDArray x = GradientCheck.random(6, 2, IN, 4, 4);
        GradientCheck.check(in -> fr.forward(in, Mode.TRAINING), fr::backward, p, x, (int) x.length());
    }

    @Test
    void oddSizesAreRefusedWithTheShape() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 10);
        ShiftedConvPair pair = new ShiftedConvPair(p, "fr.conv1", "fr.conv2", "fr.shift", "fr.concat", IN, HALF);
        p.seal();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pair.forward(GradientCheck.random(7, 1, IN, 5, 4), Mode.TRAINING));
        assertTrue(e.getMessage().contains("[1, 3, 5, 4]"), e.getMessage());
    }
}
