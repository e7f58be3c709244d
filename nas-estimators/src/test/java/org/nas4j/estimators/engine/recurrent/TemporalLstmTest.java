package org.nas4j.estimators.engine.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nas4j.estimators.engine.GradientCheck.check;
import static org.nas4j.estimators.engine.GradientCheck.random;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The LSTM over the time axis of {@code [B, C, 1, T]} maps: layout, parameters, and its gradient. */
class TemporalLstmTest {
    private static final int CHANNELS = 3;
    private static final int HIDDEN = 4;

    private static TemporalLstm lstm(ParameterSet p) {
        TemporalLstm lstm = new TemporalLstm(p, "lstm", CHANNELS, HIDDEN);
        p.seal();
        // the initial bias is 0 but 1 on the forget gate: spread it so that every gate's gradient is exercised
        p.parameters().get(2).value().assign(random(9, 4 * HIDDEN));
        return lstm;
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 3);
        TemporalLstm lstm = lstm(p);
        check(lstm, p, random(1, 2, CHANNELS, 1, 5), Mode.TRAINING);
    }

    @Test
    void everyStepOfEverySeriesIsTheCellsHiddenState() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 4);
        TemporalLstm lstm = lstm(p);
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
        new TemporalLstm(p, "lstm", 6, 10);
        p.seal();
        assertEquals(4L * (10 * 6 + 10 * 10 + 10), p.size(), "Keras' LSTM(10) on 6 features");
        double[] bias = p.parameters().get(2).value().toDoubleVector();
        for (int i = 0; i < bias.length; i++) {
            assertEquals(i >= 10 && i < 20 ? 1.0 : 0.0, bias[i], "bias[" + i + "] (forget gate 10..19)");
        }
    }

    @Test
    void badInputIsNamed() {
        TemporalLstm lstm = lstm(new ParameterSet(DataType.DOUBLE, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lstm.forward(random(1, 2, CHANNELS, 2, 5), Mode.TRAINING));
        assertEquals("input must be [B, 3, 1, T], but was [2, 3, 2, 5]", e.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> new TemporalLstm(new ParameterSet(DataType.DOUBLE, 1), "l", 0, 4));
        assertEquals("channels and hidden must be >= 1, but were 0 and 4", size.getMessage());
    }
}
