package org.nas4j.estimators.engine.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nas4j.estimators.engine.GradientCheck.check;
import static org.nas4j.estimators.engine.GradientCheck.random;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.spaces.recurrent.RecurrentCellDerivation;
import org.nas4j.spaces.recurrent.RecurrentGenotype;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** DARTS' recurrent search cell: BPTT by finite differences, and a one-hot mixture against {@link GenotypeCell}. */
class DartsSearchCellTest {
    private static final int INPUT = 3;
    private static final int HIDDEN = 4;
    private static final int BATCH = 4;
    private static final int LENGTH = 3;
    private static final int NODES = 3;

    private record Built(DartsSearchCell cell, ParameterSet params, ParameterSet architecture) {
    }

    private static Built build(long seed, boolean batchNorm) {
        return build(seed, batchNorm, new ParameterSet(DataType.DOUBLE, seed + 1));
    }

    private static Built build(long seed, boolean batchNorm, ParameterSet p) {
        ParameterSet arch = new ParameterSet(DataType.DOUBLE, seed);
        Parameter alpha = arch.add("weights", DartsSearchCell.weightsShape(NODES), Initializer.normal(1.0));
        arch.seal();
        DartsSearchCell cell = new DartsSearchCell(p, "cell", alpha, NODES, INPUT, HIDDEN, Initializer.uniform(0.8),
                batchNorm);
        p.seal();
        return new Built(cell, p, arch);
    }

    /** An inverted-dropout mask with keep probability 1/2: entries 0 or 2. */
    private static INDArray mask(long seed, long columns) {
        return random(seed, BATCH, columns).gt(0).castTo(DataType.DOUBLE).muli(2);
    }

    @Test
    void backpropagationThroughTimeMatchesFiniteDifferencesForWeightsAndArchitecture() {
        for (boolean batchNorm : new boolean[] {true, false}) {
            Built b = build(21, batchNorm);
            INDArray h0 = random(3, BATCH, HIDDEN);
            INDArray xMask = mask(4, INPUT);
            INDArray hMask = mask(5, HIDDEN);
            INDArray x = random(1, (long) LENGTH * BATCH, INPUT);
            // the matrices (and the input), then the architecture weights, from the same backward pass
            check(in -> b.cell.forward(in, h0, BATCH, xMask, hMask, Mode.TRAINING).dup(), b.cell::backward, b.params,
                    x);
            check(in -> b.cell.forward(in, h0, BATCH, xMask, hMask, Mode.TRAINING).dup(), b.cell::backward,
                    b.architecture, x, Integer.MAX_VALUE);
            check(in -> b.cell.forward(in, h0, BATCH, null, null, Mode.TRAINING).dup(), b.cell::backward,
                    b.architecture, random(2, (long) LENGTH * BATCH, INPUT), Integer.MAX_VALUE);
        }
    }

    @Test
    void initialStateGradientMatchesFiniteDifferences() {
        Built b = build(22, true);
        INDArray x = random(6, (long) LENGTH * BATCH, INPUT);
        INDArray hMask = mask(7, HIDDEN);
        check(h -> b.cell.forward(x, h, BATCH, null, hMask, Mode.TRAINING).dup(), gy -> {
            b.cell.backward(gy);
            return b.cell.initialStateGradient();
        }, null, random(8, BATCH, HIDDEN));
    }

    @Test
    void oneHotWeightsGiveTheGenotypeCellOfTheSameMatrices() {
        RecurrentGenotype g = RecurrentGenotype.parse(
                "Genotype(recurrent=[('relu', 0), ('sigmoid', 1), ('identity', 1)], concat=range(1, 4))");
        // a parameter before the cell, as the language model's embedding: the cell's matrices start inside the flat
        // buffer, and their row blocks (W0's input and hidden rows) are views at an offset
        ParameterSet searchParams = new ParameterSet(DataType.DOUBLE, 24);
        searchParams.add("encoder.weight", new long[] {5, HIDDEN}, Initializer.uniform(0.1));
        Built b = build(23, false, searchParams);
        // all mass on the chosen activation of the chosen edge; every other edge of the node all on none, so it adds
        // an exact zero (exp(-1000) underflows to 0 in double)
        double[][] alpha = new double[RecurrentCellDerivation.edges(NODES)][RecurrentCellDerivation.PRIMITIVES.size()];
        int offset = 0;
        for (int i = 1; i <= NODES; i++) {
            RecurrentGenotype.Node node = g.nodes().get(i - 1);
            for (int j = 0; j < i; j++) {
                java.util.Arrays.fill(alpha[offset + j], -1000);
                int chosen = j == node.input() ? RecurrentCellDerivation.PRIMITIVES.indexOf(node.activation()) : 0;
                alpha[offset + j][chosen] = 0;
            }
            offset += i;
        }
        b.architecture.parameters().get(0).value().assign(org.nd4j.linalg.factory.Nd4j.createFromArray(alpha));
        assertEquals(g, RecurrentCellDerivation.derive(alpha));
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 99);
        p.add("encoder.weight", new long[] {5, HIDDEN}, Initializer.uniform(0.1));
        GenotypeCell fixed = new GenotypeCell(p, "cell", g, INPUT, HIDDEN, Initializer.uniform(0.8));
        p.seal();
        p.values().assign(b.params.values());
        INDArray x = random(9, (long) LENGTH * BATCH, INPUT);
        INDArray h0 = random(10, BATCH, HIDDEN);
        INDArray xMask = mask(11, INPUT);
        INDArray hMask = mask(12, HIDDEN);
        INDArray expected = fixed.forward(x, h0, BATCH, xMask, hMask).dup();
        INDArray actual = b.cell.forward(x, h0, BATCH, xMask, hMask, Mode.TRAINING).dup();
        // both run the same products and gates; the search cell adds exact zeros and sums the nodes in another
        // order: a chain of about 2 (I + H) + 8 roundings per node, NODES + 1 nodes, LENGTH steps deep, on terms of
        // size at most max|w| * 2 * max(|x|, |h|) * 2 (the masks' 2)
        double magnitude = (INPUT + HIDDEN) * 0.8 * 4 * Math.max(x.amaxNumber().doubleValue(), 1);
        long roundings = (long) LENGTH * (NODES + 1) * (2 * (INPUT + HIDDEN) + 8);
        double tolerance = Tolerances.parity(DataType.DOUBLE, roundings, magnitude);
        assertArrayClose(expected, actual, tolerance, "outputs");
        // the backward pass runs the same chain in reverse (twice the roundings) on terms of at most the forward's
        // magnitude times max|dL/dh| times the 2H columns each product feeds, summed over the steps; the matrix
        // gradients sum that over the batch rows too
        INDArray gy = random(13, (long) LENGTH * BATCH, HIDDEN);
        double gradMagnitude = magnitude * gy.amaxNumber().doubleValue() * 2 * HIDDEN * LENGTH;
        double gradTolerance = Tolerances.parity(DataType.DOUBLE, 2 * roundings, gradMagnitude);
        INDArray fixedInputGrad = fixed.backward(gy).dup();
        INDArray searchInputGrad = b.cell.backward(gy).dup();
        assertArrayClose(fixedInputGrad, searchInputGrad, gradTolerance, "input gradient");
        long cellStart = 5L * HIDDEN;
        assertArrayClose(ParameterSet.range(p.gradients(), cellStart, p.size() - cellStart),
                ParameterSet.range(b.params.gradients(), cellStart, p.size() - cellStart), gradTolerance * BATCH,
                "matrix gradients");
    }

    @Test
    void rejectsArchitectureWeightsOfAnotherShape() {
        ParameterSet arch = new ParameterSet(DataType.DOUBLE, 1);
        Parameter alpha = arch.add("weights", new long[] {5, 5}, Initializer.constant(0));
        arch.seal();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DartsSearchCell(
                new ParameterSet(DataType.DOUBLE, 2), "cell", alpha, NODES, INPUT, HIDDEN, Initializer.uniform(0.1),
                true));
        assertEquals("weights must be [6, 5] for 3 steps, but was [5, 5]", e.getMessage());
    }

    private static void assertArrayClose(INDArray expected, INDArray actual, double tolerance, String what) {
        double[] e = expected.reshape(expected.length()).toDoubleVector();
        double[] a = actual.reshape(actual.length()).toDoubleVector();
        assertEquals(e.length, a.length, what + " length");
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tolerance, what + "[" + i + "]");
        }
    }
}
