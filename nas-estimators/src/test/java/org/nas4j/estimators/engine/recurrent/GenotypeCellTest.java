package org.nas4j.estimators.engine.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nas4j.estimators.engine.GradientCheck.check;
import static org.nas4j.estimators.engine.GradientCheck.random;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.spaces.recurrent.RecurrentGenotype;
import org.nas4j.spaces.recurrent.RecurrentGenotypes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The searched recurrent cell: the reference's equations evaluated directly, and BPTT by finite differences. */
class GenotypeCellTest {
    private static final int INPUT = 3;
    private static final int HIDDEN = 4;
    private static final int BATCH = 2;
    private static final int STEPS = 3;

    private static GenotypeCell cell(ParameterSet p, RecurrentGenotype g) {
        GenotypeCell cell = new GenotypeCell(p, "cell", g, INPUT, HIDDEN, Initializer.uniform(0.8));
        p.seal();
        return cell;
    }

    /** An inverted-dropout mask with keep probability 1/2: entries 0 or 2. */
    private static INDArray mask(long seed, long columns) {
        INDArray r = random(seed, BATCH, columns);
        return r.gt(0).castTo(DataType.DOUBLE).muli(2);
    }

    @Test
    void backpropagationThroughTimeMatchesFiniteDifferencesForEveryActivation() {
        // DARTS_V2 has sigmoid, relu, identity and tanh nodes; the ENAS cell of the DARTS code averages loose ends
        for (RecurrentGenotype g : List.of(RecurrentGenotypes.DARTS_V2, RecurrentGenotypes.ENAS,
                RecurrentGenotype.parse("Genotype(recurrent=[('identity', 0), ('tanh', 1)], concat=[0, 2],"
                        + " initial='sigmoid')"))) {
            ParameterSet p = new ParameterSet(DataType.DOUBLE, 11);
            GenotypeCell cell = cell(p, g);
            INDArray h0 = random(3, BATCH, HIDDEN);
            INDArray xMask = mask(4, INPUT);
            INDArray hMask = mask(5, HIDDEN);
            check(x -> cell.forward(x, h0, BATCH, xMask, hMask).dup(), cell::backward, p,
                    random(1, (long) STEPS * BATCH, INPUT));
            check(x -> cell.forward(x, h0, BATCH, null, null).dup(), cell::backward, p,
                    random(2, (long) STEPS * BATCH, INPUT));
        }
    }

    @Test
    void initialStateGradientMatchesFiniteDifferences() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 12);
        GenotypeCell cell = cell(p, RecurrentGenotypes.DARTS_V2);
        INDArray x = random(6, (long) STEPS * BATCH, INPUT);
        INDArray hMask = mask(7, HIDDEN);
        check(h -> cell.forward(x, h, BATCH, null, hMask).dup(), gy -> {
            cell.backward(gy);
            return cell.initialStateGradient();
        }, null, random(8, BATCH, HIDDEN));
    }

    @Test
    void forwardFollowsTheReferenceEquations() {
        RecurrentGenotype g = RecurrentGenotypes.DARTS_V2;
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 13);
        GenotypeCell cell = cell(p, g);
        INDArray x = random(9, (long) STEPS * BATCH, INPUT);
        INDArray h0 = random(10, BATCH, HIDDEN);
        INDArray xMask = mask(11, INPUT);
        INDArray hMask = mask(12, HIDDEN);
        INDArray out = cell.forward(x, h0, BATCH, xMask, hMask).dup();
        double[][] w0 = p.parameters().get(0).value().toDoubleMatrix();
        double[][][] ws = new double[g.size() + 1][][];
        for (int i = 1; i <= g.size(); i++) {
            ws[i] = p.parameters().get(i).value().toDoubleMatrix();
        }
        double[][] mx = xMask.toDoubleMatrix();
        double[][] mh = hMask.toDoubleMatrix();
        double[][] h = h0.toDoubleMatrix();
        // every state passes through at most (I + H) products and sums, a sigmoid, an activation and the gate: a
        // chain of about 2 (I + H) + 8 roundings per node, 9 nodes deep per step, STEPS steps, on terms of size
        // at most max|w| * 2 * max(|x|, |h|) * 2 (the masks' 2)
        double magnitude = (INPUT + HIDDEN) * 0.8 * 4 * Math.max(x.amaxNumber().doubleValue(), 1);
        double tolerance = Tolerances.parity(DataType.DOUBLE, (long) STEPS * 9 * (2 * (INPUT + HIDDEN) + 8),
                magnitude);
        for (int t = 0; t < STEPS; t++) {
            double[][] next = new double[BATCH][HIDDEN];
            for (int b = 0; b < BATCH; b++) {
                double[][] s = new double[g.size() + 1][];
                double[] xh = new double[INPUT + HIDDEN];
                for (int j = 0; j < INPUT; j++) {
                    xh[j] = x.getDouble((long) t * BATCH + b, j) * mx[b][j];
                }
                for (int j = 0; j < HIDDEN; j++) {
                    xh[INPUT + j] = h[b][j] * mh[b][j];
                }
                s[0] = node(xh, w0, h[b], g.initial());
                for (int i = 1; i <= g.size(); i++) {
                    double[] read = s[g.nodes().get(i - 1).input()];
                    double[] masked = new double[HIDDEN];
                    for (int j = 0; j < HIDDEN; j++) {
                        masked[j] = read[j] * mh[b][j];
                    }
                    s[i] = node(masked, ws[i], read, g.nodes().get(i - 1).activation());
                }
                for (int j = 0; j < HIDDEN; j++) {
                    double sum = 0;
                    for (int k : g.concat()) {
                        sum += s[k][j];
                    }
                    next[b][j] = sum / g.concat().size();
                    assertEquals(next[b][j], out.getDouble((long) t * BATCH + b, j), tolerance);
                }
            }
            h = next;
        }
    }

    private static double[] node(double[] in, double[][] w, double[] read, String activation) {
        double[] s = new double[HIDDEN];
        for (int j = 0; j < HIDDEN; j++) {
            double c = 0;
            double z = 0;
            for (int r = 0; r < in.length; r++) {
                c += in[r] * w[r][j];
                z += in[r] * w[r][HIDDEN + j];
            }
            c = 1 / (1 + Math.exp(-c));
            double a = switch (activation) {
                case "tanh" -> Math.tanh(z);
                case "relu" -> Math.max(z, 0);
                case "sigmoid" -> 1 / (1 + Math.exp(-z));
                default -> z;
            };
            s[j] = read[j] + c * (a - read[j]);
        }
        return s;
    }

    @Test
    void parametersAreTheReferenceMatricesWithoutBias() {
        ParameterSet p = new ParameterSet(DataType.FLOAT, 1);
        new GenotypeCell(p, "cell", RecurrentGenotypes.DARTS_V2, 850, 850, Initializer.uniform(0.04));
        assertEquals(9, p.parameters().size());
        assertEquals(1_700L * 1_700 + 8L * 850 * 1_700, p.size());
        assertEquals("cell.W0[1700, 1700]", p.parameters().get(0).toString());
    }

    @Test
    void badShapesAreNamed() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 1);
        GenotypeCell cell = cell(p, RecurrentGenotypes.DARTS_V2);
        INDArray h0 = Nd4j.zeros(DataType.DOUBLE, BATCH, HIDDEN);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> cell.forward(Nd4j.zeros(DataType.DOUBLE, 5,
                INPUT), h0, BATCH, null, null)).getMessage().startsWith("inputs must be [length * 2, 3]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> cell.forward(Nd4j.zeros(DataType.DOUBLE, 4,
                INPUT), h0, BATCH, Nd4j.zeros(DataType.DOUBLE, BATCH, HIDDEN), null)).getMessage()
                .startsWith("xMask must be [2, 3]"));
        assertThrows(IllegalStateException.class, () -> new GenotypeCell(new ParameterSet(DataType.DOUBLE, 1), "c",
                RecurrentGenotypes.DARTS_V1, 2, 2, Initializer.uniform(0.1)).backward(h0));
    }
}
