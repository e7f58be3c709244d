package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nas4j.estimators.engine.GradientCheck.random;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Forward values against direct reference computations (gradient checks only test consistency with forward). */
class ForwardReferenceTest {

    @Test
    void conv2dMatchesDirectConvolution() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 3);
        Conv2d conv = Conv2d.builder(p, "c", 2, 3, 3).stride(2).padding(1).bias(true).build();
        p.seal();
        INDArray x = random(1, 1, 2, 5, 5);
        INDArray y = conv.forward(x, Mode.TRAINING);
        INDArray w = p.parameters().get(0).value();
        INDArray b = p.parameters().get(1).value();
        assertArrayEquals(new long[] {1, 3, 3, 3}, y.shape());
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double s = b.getDouble(o);
                    for (int c = 0; c < 2; c++) {
                        for (int u = 0; u < 3; u++) {
                            for (int v = 0; v < 3; v++) {
                                int r = 2 * i - 1 + u;
                                int q = 2 * j - 1 + v;
                                if (r >= 0 && r < 5 && q >= 0 && q < 5) {
                                    s += w.getDouble(o, c, u, v) * x.getDouble(0, c, r, q);
                                }
                            }
                        }
                    }
                    assertEquals(s, y.getDouble(0, o, i, j), 1e-12);
                }
            }
        }
    }

    @Test
    void averagePoolExcludingPaddingDividesByTheInsideCount() {
        INDArray x = random(2, 1, 1, 4, 4);
        INDArray excl = Pool2d.average(3, 1, 1, false).forward(x, Mode.TRAINING);
        INDArray incl = Pool2d.average(3, 1, 1, true).forward(x, Mode.TRAINING);
        double corner = (x.getDouble(0, 0, 0, 0) + x.getDouble(0, 0, 0, 1) + x.getDouble(0, 0, 1, 0)
                + x.getDouble(0, 0, 1, 1));
        assertEquals(corner / 4, excl.getDouble(0, 0, 0, 0), 1e-12);
        assertEquals(corner / 9, incl.getDouble(0, 0, 0, 0), 1e-12);
        INDArray xf = x.castTo(DataType.FLOAT);
        // FLOAT against the DOUBLE result: the cast, up to 9 additions and the division, on values of at most max|x|
        double tolerance = Tolerances.parity(DataType.FLOAT, 11, x.amaxNumber().doubleValue());
        for (boolean helpers : new boolean[] {true, false}) {
            INDArray f = Pool2d.average(3, 1, 1, false, helpers).forward(xf, Mode.TRAINING);
            assertEquals(corner / 4, f.getDouble(0, 0, 0, 0), tolerance);
            assertEquals(excl.getDouble(0, 0, 2, 1), f.getDouble(0, 0, 2, 1), tolerance);
        }
    }

    @Test
    void batchNormNormalizesAndTracksRunningStatistics() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 3);
        BatchNorm bn = new BatchNorm(p, "bn", 2, true);
        p.seal();
        INDArray x = random(4, 3, 2, 2, 2).muli(3).addi(5);
        INDArray y = bn.forward(x, Mode.TRAINING);
        for (int c = 0; c < 2; c++) {
            INDArray xc = x.slice(c, 1);
            INDArray yc = y.slice(c, 1);
            double mean = xc.meanNumber().doubleValue();
            double biased = xc.varNumber().doubleValue() * 11 / 12;   // varNumber is unbiased, n = 12
            assertEquals(0, yc.meanNumber().doubleValue(), 1e-12);
            assertEquals(biased / (biased + 1e-5), yc.mul(yc).meanNumber().doubleValue(), 1e-9);
            assertEquals(0.9 * 0 + 0.1 * mean, bn.runningMean()[c], 1e-12);
            assertEquals(0.9 * 1 + 0.1 * biased * 12 / 11, bn.runningVariance()[c], 1e-12);
        }
        INDArray inference = bn.forward(x, Mode.INFERENCE);
        double expected = (x.getDouble(0, 1, 0, 0) - bn.runningMean()[1])
                / Math.sqrt(bn.runningVariance()[1] + 1e-5);
        assertEquals(expected, inference.getDouble(0, 1, 0, 0), 1e-12);
    }

    @Test
    void dropoutIsReproducibleAndScalesSurvivors() {
        INDArray x = random(1, 8, 64).addi(10);
        INDArray a = new Dropout(0.25, 5).forward(x, Mode.TRAINING).dup();
        INDArray b = new Dropout(0.25, 5).forward(x, Mode.TRAINING).dup();
        INDArray c = new Dropout(0.25, 6).forward(x, Mode.TRAINING).dup();
        assertEquals(a, b);
        org.junit.jupiter.api.Assertions.assertNotEquals(a, c);
        long zeros = a.eq(0).castTo(DataType.INT).sumNumber().longValue();
        assertEquals(0.25, zeros / 512.0, 0.06);
        assertEquals(x, new Dropout(0.25, 5).forward(x, Mode.INFERENCE));
    }

    @Test
    void dropPathDropsWholeSamples() {
        INDArray x = random(1, 16, 2, 3, 3).addi(10);
        INDArray y = Dropout.perSample(0.5, 3).forward(x, Mode.TRAINING);
        for (int s = 0; s < 16; s++) {
            double ratio = y.getDouble(s, 1, 2, 2) / x.getDouble(s, 1, 2, 2);
            assertEquals(ratio == 0 ? 0.0 : 2.0, ratio, 1e-12);
            assertEquals(ratio * x.slice(s).sumNumber().doubleValue(), y.slice(s).sumNumber().doubleValue(), 1e-9);
        }
    }
}
