package org.nas4j.estimators.engine.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nas4j.estimators.engine.GradientCheck.check;
import static org.nas4j.estimators.engine.GradientCheck.random;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The LSTM cell: PyTorch's equations evaluated directly, and backpropagation through time by finite differences. */
class LstmCellTest {
    private static final int INPUT = 3;
    private static final int HIDDEN = 4;

    private static LstmCell cell(ParameterSet p) {
        LstmCell lstm = new LstmCell(p, "lstm", INPUT, HIDDEN, Initializer.uniform(0.6));
        p.seal();
        return lstm;
    }

    /** Runs the sequence {@code x [T, B, I]} and returns a copy of the hidden states {@code [T*B, H]}. */
    private static INDArray run(LstmCell lstm, INDArray x) {
        int steps = (int) x.size(0);
        lstm.begin((int) x.size(1), steps);
        for (int t = 0; t < steps; t++) {
            lstm.step(x.slice(t));
        }
        return lstm.hiddenStates().dup();
    }

    @Test
    void backpropagationThroughTimeMatchesFiniteDifferences() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 3);
        LstmCell lstm = cell(p);
        check(x -> run(lstm, x), lstm::backward, p, random(1, 4, 2, INPUT));
    }

    @Test
    void wholeSequenceForwardEqualsStepByStep() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 8);
        LstmCell lstm = cell(p);
        INDArray x = random(9, 3, 2, INPUT);
        INDArray stepwise = run(lstm, x);
        assertEquals(stepwise, lstm.forward(x, 2));
        check(in -> lstm.forward(in, 2).dup(), lstm::backward, p, x);
        check(in -> lstm.forward(in, 2).dup(), lstm::backward, p, x.reshape(6, INPUT).dup());
    }

    @Test
    void oneStepSequence() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 4);
        LstmCell lstm = cell(p);
        check(x -> run(lstm, x), lstm::backward, p, random(2, 1, 3, INPUT));
    }

    @Test
    void forwardFollowsPyTorchEquations() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 5);
        LstmCell lstm = cell(p);
        INDArray x = random(3, 3, 1, INPUT);
        INDArray h = run(lstm, x);
        double[][] wih = p.parameters().get(0).value().toDoubleMatrix();
        double[][] whh = p.parameters().get(1).value().toDoubleMatrix();
        double[] bih = p.parameters().get(2).value().toDoubleVector();
        double[] bhh = p.parameters().get(3).value().toDoubleVector();
        double[] hPrev = new double[HIDDEN];
        double[] cPrev = new double[HIDDEN];
        // engine and reference sum each gate's INPUT + HIDDEN + 2 terms in other orders; the activations have
        // slopes of at most 1, and each step carries the previous step's error on: 3 steps of such chains, on
        // terms (weights times inputs, |h| <= 1) of magnitude at most max|w| * (max|x| + 1) + max|b|
        double magnitude = (INPUT + HIDDEN + 2) * (Math.max(p.values().amaxNumber().doubleValue(), 1)
                * (x.amaxNumber().doubleValue() + 1));
        double tolerance = Tolerances.parity(DataType.DOUBLE, 3L * (INPUT + HIDDEN + 2 + 8), magnitude);
        for (int t = 0; t < 3; t++) {
            double[] xt = x.slice(t).reshape(INPUT).toDoubleVector();
            double[] z = new double[4 * HIDDEN];
            for (int r = 0; r < z.length; r++) {
                z[r] = bih[r] + bhh[r];
                for (int j = 0; j < INPUT; j++) {
                    z[r] += wih[r][j] * xt[j];
                }
                for (int j = 0; j < HIDDEN; j++) {
                    z[r] += whh[r][j] * hPrev[j];
                }
            }
            for (int k = 0; k < HIDDEN; k++) {
                double i = sigmoid(z[k]);
                double f = sigmoid(z[HIDDEN + k]);
                double g = Math.tanh(z[2 * HIDDEN + k]);
                double o = sigmoid(z[3 * HIDDEN + k]);
                cPrev[k] = f * cPrev[k] + i * g;
                hPrev[k] = o * Math.tanh(cPrev[k]);
                assertEquals(hPrev[k], h.getDouble(t, k), tolerance, "h[" + t + "][" + k + "]");
            }
        }
    }

    @Test
    void misuseIsNamed() {
        LstmCell lstm = cell(new ParameterSet(DataType.DOUBLE, 6));
        lstm.begin(1, 2);
        lstm.step(random(1, 1, INPUT));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> lstm.backward(random(1, 2, 1, HIDDEN)));
        assertEquals("backward() needs a complete sequence: 1 of 2 steps were run", e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> lstm.step(random(1, 2,
                INPUT)));
        assertEquals("x must be [1, 3], but was [2, 3]", bad.getMessage());
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
