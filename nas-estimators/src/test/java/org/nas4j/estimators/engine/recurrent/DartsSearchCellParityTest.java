package org.nas4j.estimators.engine.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nas4j.estimators.engine.GradientCheck.random;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The preallocated {@link DartsSearchCell} against the first, allocating one ({@link DartsSearchCellReference}) with
 * the same matrices and architecture weights: outputs, every gradient, the running statistics' effect in inference,
 * and segments of changing length (a shorter one reuses a prefix of the arrays, a longer one grows them).
 */
class DartsSearchCellParityTest {
    private static final int INPUT = 5;
    private static final int HIDDEN = 6;
    private static final int BATCH = 4;
    private static final int NODES = 4;
    private static final double INIT = 0.8;

    private record Pair(DartsSearchCell cell, DartsSearchCellReference reference, ParameterSet params,
            ParameterSet referenceParams, ParameterSet architecture, ParameterSet referenceArchitecture) {
    }

    private static Pair build(boolean batchNorm) {
        ParameterSet arch = new ParameterSet(DataType.DOUBLE, 31);
        Parameter alpha = arch.add("weights", DartsSearchCell.weightsShape(NODES), Initializer.normal(1.0));
        arch.seal();
        ParameterSet refArch = new ParameterSet(DataType.DOUBLE, 32);
        Parameter refAlpha = refArch.add("weights", DartsSearchCell.weightsShape(NODES), Initializer.normal(1.0));
        refArch.seal();
        refArch.values().assign(arch.values());
        // an embedding first, so that the matrices start inside the flat buffer, as in the language model
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 33);
        p.add("encoder.weight", new long[] {7, HIDDEN}, Initializer.uniform(0.1));
        DartsSearchCell cell = new DartsSearchCell(p, "cell", alpha, NODES, INPUT, HIDDEN,
                Initializer.uniform(INIT), batchNorm);
        p.seal();
        ParameterSet q = new ParameterSet(DataType.DOUBLE, 34);
        q.add("encoder.weight", new long[] {7, HIDDEN}, Initializer.uniform(0.1));
        DartsSearchCellReference reference = new DartsSearchCellReference(q, "cell", refAlpha, NODES, INPUT, HIDDEN,
                Initializer.uniform(INIT), batchNorm);
        q.seal();
        q.values().assign(p.values());
        return new Pair(cell, reference, p, q, arch, refArch);
    }

    private static INDArray mask(long seed, long columns) {
        return random(seed, BATCH, columns).gt(0).castTo(DataType.DOUBLE).muli(2);
    }

    @Test
    void sameOutputsAndGradientsAsTheAllocatingCellOverSegmentsOfChangingLength() {
        for (boolean batchNorm : new boolean[] {true, false}) {
            Pair pair = build(batchNorm);
            INDArray xMask = mask(41, INPUT);
            INDArray hMask = mask(42, HIDDEN);
            INDArray h0 = random(43, BATCH, HIDDEN);
            int seed = 50;
            // 5 steps (arrays made), 2 (a prefix of them), 7 (grown), with and without masks
            for (int length : new int[] {5, 2, 7}) {
                for (boolean masks : new boolean[] {true, false}) {
                    compare(pair, random(seed++, (long) length * BATCH, INPUT), h0, masks ? xMask : null,
                            masks ? hMask : null, random(seed++, (long) length * BATCH, HIDDEN), length,
                            batchNorm + " length " + length + " masks " + masks);
                }
            }
            // inference: the running statistics both cells gathered over the training segments above
            INDArray x = random(seed, 3L * BATCH, INPUT);
            INDArray expected = pair.reference.forward(x, h0, BATCH, null, null, Mode.INFERENCE).dup();
            INDArray actual = pair.cell.forward(x, h0, BATCH, null, null, Mode.INFERENCE).dup();
            assertClose(expected, actual, tolerance(3, x, 1), batchNorm + " inference outputs");
        }
    }

    private static void compare(Pair pair, INDArray x, INDArray h0, INDArray xMask, INDArray hMask, INDArray gy,
            int length, String what) {
        INDArray expected = pair.reference.forward(x, h0, BATCH, xMask, hMask, Mode.TRAINING).dup();
        INDArray actual = pair.cell.forward(x, h0, BATCH, xMask, hMask, Mode.TRAINING).dup();
        assertClose(expected, actual, tolerance(length, x, 1), what + " outputs");
        // the backward pass: the forward's chain in reverse, on terms scaled by max|dL/dh| and summed over the 2H
        // columns each product feeds and over the steps; matrix and architecture gradients also over the batch rows
        double gradScale = gy.amaxNumber().doubleValue() * 2 * HIDDEN * length;
        assertClose(pair.reference.backward(gy).dup(), pair.cell.backward(gy).dup(), tolerance(2 * length, x,
                gradScale), what + " input gradient");
        assertClose(pair.reference.initialStateGradient().dup(), pair.cell.initialStateGradient().dup(),
                tolerance(2 * length, x, gradScale), what + " initial state gradient");
        assertClose(pair.referenceParams.gradients(), pair.params.gradients(), tolerance(2 * length, x,
                gradScale * BATCH), what + " matrix gradients");
        assertClose(pair.referenceArchitecture.gradients(), pair.architecture.gradients(), tolerance(2 * length, x,
                gradScale * BATCH * HIDDEN), what + " architecture gradients");
    }

    /**
     * Two computations of the same chain in double ({@link Tolerances#parity}): per step and node about 2 (I + H)
     * roundings of the products, 12 of the gates and mixture, and 2 B + 6 of the batch norm, over {@code length}
     * steps; on terms of at most max|w| * 2 * max(|x|, |h|, 1) * 2 (the masks' 2) per product column, times
     * {@code scale}, times 1 / sqrt(1e-5) = 316, the largest factor by which a batch norm (epsilon 1e-5) can
     * amplify a difference in its input.
     */
    private static double tolerance(int length, INDArray x, double scale) {
        long roundings = (long) length * (NODES + 1) * (2 * (INPUT + HIDDEN) + 12 + 2 * BATCH + 6);
        double magnitude = (INPUT + HIDDEN) * INIT * 4 * Math.max(x.amaxNumber().doubleValue(), 1) * scale;
        return Tolerances.parity(DataType.DOUBLE, roundings, magnitude) / Math.sqrt(1e-5);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        double[] e = expected.reshape(expected.length()).toDoubleVector();
        double[] a = actual.reshape(actual.length()).toDoubleVector();
        assertEquals(e.length, a.length, what + " length");
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tolerance, what + "[" + i + "]");
        }
    }
}
