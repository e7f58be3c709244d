package org.nas4j.estimators.engine.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nas4j.estimators.engine.GradientCheck.check;
import static org.nas4j.estimators.engine.GradientCheck.random;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The LSTM and GRU over the time axis of {@code [B, C, 1, T]} maps: layout, parameters, and gradients. */
class TemporalRecurrentTest {
    private static final int CHANNELS = 3;
    private static final int HIDDEN = 4;

    private static TemporalRecurrent lstm(ParameterSet p) {
        TemporalRecurrent lstm = new TemporalRecurrent(TemporalRecurrent.lstm(p, "lstm", CHANNELS, HIDDEN));
        p.seal();
        // the initial bias is 0 but 1 on the forget gate: spread it so that every gate's gradient is exercised
        p.parameters().get(2).value().assign(random(9, 4 * HIDDEN));
        return lstm;
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 3);
        TemporalRecurrent lstm = lstm(p);
        check(lstm, p, random(1, 2, CHANNELS, 1, 5), Mode.TRAINING);
    }

    @Test
    void everyStepOfEverySeriesIsTheCellsHiddenState() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 4);
        TemporalRecurrent lstm = lstm(p);
        INDArray x = random(2, 3, CHANNELS, 1, 6);
        INDArray out = lstm.forward(x, Mode.INFERENCE).dup();
        assertEquals(3, out.size(0));
        for (int b = 0; b < 3; b++) {
            // series b alone, as [T, 1, C]
            INDArray steps = x.get(NDArrayIndex.point(b), NDArrayIndex.all(), NDArrayIndex.point(0),
                    NDArrayIndex.all()).transpose().reshape(6, 1, CHANNELS).dup();
            INDArray hidden = lstm.cell().forward(steps, 1);
            for (int t = 0; t < 6; t++) {
                for (int h = 0; h < HIDDEN; h++) {
                    assertEquals(hidden.getDouble(t, h), out.getDouble(b, h, 0, t), 0.0, "b" + b + " t" + t + " h" + h);
                }
            }
        }
    }

    @Test
    void hasTheOneBiasLayoutsParameters() {
        ParameterSet p = new ParameterSet(DataType.FLOAT, 1);
        TemporalRecurrent.lstm(p, "lstm", 6, 10);
        p.seal();
        assertEquals(4L * (10 * 6 + 10 * 10 + 10), p.size(), "Keras' LSTM(10) on 6 features");
        double[] bias = p.parameters().get(2).value().toDoubleVector();
        for (int i = 0; i < bias.length; i++) {
            assertEquals(i >= 10 && i < 20 ? 1.0 : 0.0, bias[i], "bias[" + i + "] (forget gate 10..19)");
        }
    }

    private static TemporalRecurrent gru(ParameterSet p) {
        TemporalRecurrent gru = new TemporalRecurrent(TemporalRecurrent.gru(p, "gru", CHANNELS, HIDDEN));
        p.seal();
        // the biases start at 0: spread them so that both enter the check
        p.parameters().get(2).value().assign(random(10, 3 * HIDDEN));
        p.parameters().get(3).value().assign(random(11, 3 * HIDDEN));
        return gru;
    }

    @Test
    void gruGradientMatchesFiniteDifferences() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 6);
        TemporalRecurrent gru = gru(p);
        check(gru, p, random(12, 2, CHANNELS, 1, 5), Mode.TRAINING);
        check(gru, p, random(13, 3, CHANNELS, 1, 1), Mode.TRAINING);
    }

    /** Keras' GRU with {@code reset_after=True}, gates update, reset, candidate, evaluated directly. */
    @Test
    void gruFollowsKerasEquations() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 7);
        TemporalRecurrent gru = gru(p);
        INDArray x = random(14, 1, CHANNELS, 1, 4);
        INDArray out = gru.forward(x, Mode.INFERENCE).dup();
        double[][] wih = p.parameters().get(0).value().toDoubleMatrix();
        double[][] whh = p.parameters().get(1).value().toDoubleMatrix();
        double[] bih = p.parameters().get(2).value().toDoubleVector();
        double[] bhh = p.parameters().get(3).value().toDoubleVector();
        double[] h = new double[HIDDEN];
        // each pre-activation sums CHANNELS + HIDDEN + 2 terms in another order than the engine; 4 steps carry
        // the error on through slopes of at most 1
        double magnitude = (CHANNELS + HIDDEN + 2) * Math.max(p.values().amaxNumber().doubleValue(), 1)
                * (x.amaxNumber().doubleValue() + 1);
        double tolerance = Tolerances.parity(DataType.DOUBLE, 4L * (CHANNELS + HIDDEN + 2 + 8), magnitude);
        for (int t = 0; t < 4; t++) {
            double[] a = new double[3 * HIDDEN];
            double[] b = new double[3 * HIDDEN];
            for (int r = 0; r < a.length; r++) {
                a[r] = bih[r];
                b[r] = bhh[r];
                for (int j = 0; j < CHANNELS; j++) {
                    a[r] += wih[r][j] * x.getDouble(0, j, 0, t);
                }
                for (int j = 0; j < HIDDEN; j++) {
                    b[r] += whh[r][j] * h[j];
                }
            }
            double[] next = new double[HIDDEN];
            for (int k = 0; k < HIDDEN; k++) {
                double z = sigmoid(a[k] + b[k]);
                double r = sigmoid(a[HIDDEN + k] + b[HIDDEN + k]);
                double n = Math.tanh(a[2 * HIDDEN + k] + r * b[2 * HIDDEN + k]);
                next[k] = z * h[k] + (1 - z) * n;
                assertEquals(next[k], out.getDouble(0, k, 0, t), tolerance, "h[" + t + "][" + k + "]");
            }
            h = next;
        }
    }

    @Test
    void gruHasKerasParameters() {
        ParameterSet p = new ParameterSet(DataType.FLOAT, 1);
        TemporalRecurrent.gru(p, "gru", 6, 10);
        p.seal();
        assertEquals(3L * (10 * 6 + 10 * 10 + 2 * 10), p.size(), "Keras' GRU(10) on 6 features, reset_after");
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    @Test
    void badInputIsNamed() {
        TemporalRecurrent lstm = lstm(new ParameterSet(DataType.DOUBLE, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lstm.forward(random(1, 2, CHANNELS, 2, 5), Mode.TRAINING));
        assertEquals("input must be [B, 3, 1, T], but was [2, 3, 2, 5]", e.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> TemporalRecurrent.lstm(new ParameterSet(DataType.DOUBLE, 1), "l", 0, 4));
        assertEquals("channels and hidden must be >= 1, but were 0 and 4", size.getMessage());
    }
}
