package org.nas4j.estimators.engine.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.spaces.recurrent.LanguageModelSize;
import org.nas4j.spaces.recurrent.RecurrentGenotypes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The language model around a searched cell: gradients by finite differences, tying, state carrying, counts. */
class RecurrentLanguageModelTest {
    private static final int VOCABULARY = 7;
    private static final int HIDDEN = 5;
    private static final int BATCH = 3;
    private static final int STEPS = 4;
    private static final double EPS = 1e-6;

    private static int[] tokens(long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(VOCABULARY);
        }
        return t;
    }

    @Test
    void gradientOfTheWholeModelWithEveryDropoutAndSlownessMatchesFiniteDifferences() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 21);
        RecurrentLanguageModel lm = new RecurrentLanguageModel(p, RecurrentGenotypes.DARTS_V2, VOCABULARY, HIDDEN,
                new LanguageModelDropout(0.3, 0.2, 0.3, 0.25, 0.4), 0.5, 5);
        p.seal();
        // larger weights than the reference's +-0.04, so that every path carries a gradient well above rounding
        p.values().muli(20);
        int n = STEPS * BATCH;
        int[] inputs = tokens(1, n);
        int[] targets = tokens(2, n);
        lm.forward(tokens(3, n), tokens(4, n), BATCH, Mode.TRAINING);   // a non-zero state to start from
        INDArray start = lm.state(BATCH);
        java.util.function.DoubleSupplier loss = () -> {
            lm.restoreState(start);
            lm.reseed(77);
            return lm.forward(inputs, targets, BATCH, Mode.TRAINING);
        };
        double value = loss.getAsDouble();
        lm.backward();
        // the loss sums n terms of log-sum-exp over V logits of size at most |z|max, each through a chain of the
        // cell's 9 nodes per step over STEPS steps (each node about 2H + 8 roundings) and the decoder's H products
        double magnitude = n * (2 * 10.0 + Math.log(VOCABULARY)) + Math.abs(value);
        long roundings = (long) STEPS * 9 * (2 * HIDDEN + 8) + HIDDEN + VOCABULARY + 64;
        double absTol = Tolerances.centralDifference(DataType.DOUBLE, magnitude, EPS, roundings);
        List<String> checked = new ArrayList<>();
        for (Parameter param : p.parameters()) {
            assertTrue(param.hasGradient(), param.name());
            INDArray analytic = param.gradient().dup();
            INDArray flat = param.value().reshape(param.length());
            long step = Math.max(1, param.length() / 15);
            for (long i = 0; i < param.length(); i += step) {
                double orig = flat.getDouble(i);
                flat.putScalar(i, orig + EPS);
                double plus = loss.getAsDouble();
                flat.putScalar(i, orig - EPS);
                double minus = loss.getAsDouble();
                flat.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * EPS);
                double a = analytic.reshape(param.length()).getDouble(i);
                double tol = absTol + 1e-5 * Math.max(Math.abs(a), Math.abs(numeric));
                if (Math.abs(a - numeric) > tol) {
                    fail("gradient of " + param.name() + "[" + i + "]: analytic " + a + " vs numeric " + numeric
                            + " (tolerance " + tol + ")");
                }
            }
            checked.add(param.name());
        }
        assertEquals(List.of("encoder.weight", "cell.W0", "cell.W1", "cell.W2", "cell.W3", "cell.W4", "cell.W5",
                "cell.W6", "cell.W7", "cell.W8", "decoder.bias"), checked);
    }

    @Test
    void segmentsCarryTheHiddenStateAsOneLongSequence() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 22);
        RecurrentLanguageModel lm = new RecurrentLanguageModel(p, RecurrentGenotypes.DARTS_V1, VOCABULARY, HIDDEN,
                LanguageModelDropout.DARTS_PTB, 1e-3, 5);
        p.seal();
        p.values().muli(20);
        int[] in = tokens(5, 2 * STEPS * BATCH);
        int[] out = tokens(6, 2 * STEPS * BATCH);
        int half = STEPS * BATCH;
        double whole = lm.forward(in, out, BATCH, Mode.INFERENCE);
        lm.resetState();
        double first = lm.forward(java.util.Arrays.copyOf(in, half), java.util.Arrays.copyOf(out, half), BATCH,
                Mode.INFERENCE);
        double second = lm.forward(java.util.Arrays.copyOfRange(in, half, 2 * half),
                java.util.Arrays.copyOfRange(out, half, 2 * half), BATCH, Mode.INFERENCE);
        assertEquals(whole, (first + second) / 2, 1e-12);
        lm.resetState();
        double again = lm.forward(java.util.Arrays.copyOf(in, half), java.util.Arrays.copyOf(out, half), BATCH,
                Mode.INFERENCE);
        assertEquals(first, again, 0.0);
        assertTrue(Math.abs(second - first) > 1e-6, "the second segment differs");
    }

    @Test
    void anUntrainedModelPredictsAboutUniformly() {
        ParameterSet p = new ParameterSet(DataType.FLOAT, 23);
        RecurrentLanguageModel lm = new RecurrentLanguageModel(p, RecurrentGenotypes.DARTS_V2, 65, 32,
                LanguageModelDropout.DARTS_PTB, 1e-3, 5);
        p.seal();
        double loss = lm.forward(tokens(7, 40), tokens(8, 40), 4, Mode.INFERENCE);
        // weights in +-0.04 give logits within +-0.04 * 0.04 * 32 of the bias 0: exp(loss) = 65 within 1%
        assertEquals(Math.log(65), loss, 0.01);
    }

    @Test
    void dartsV2ModelAtThePtbSizesDeclaresTheReferenceParameters() {
        // no seal: the 22,960,000 values are counted, not allocated
        ParameterSet p = new ParameterSet(DataType.FLOAT, 1);
        new RecurrentLanguageModel(p, RecurrentGenotypes.DARTS_V2, LanguageModelSize.PTB.vocabulary(),
                LanguageModelSize.PTB.hidden(), LanguageModelDropout.DARTS_PTB, 1e-3, 1);
        assertEquals(22_960_000L, p.size());
        assertEquals(LanguageModelSize.PTB.parameters(8), p.size());
        assertEquals("encoder.weight[10000, 850]", p.parameters().get(0).toString());
        assertEquals("cell.W0[1700, 1700]", p.parameters().get(1).toString());
        assertEquals("cell.W8[850, 1700]", p.parameters().get(9).toString());
        assertEquals("decoder.bias[10000]", p.parameters().get(10).toString());
    }

    @Test
    void badInputIsNamed() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 24);
        RecurrentLanguageModel lm = new RecurrentLanguageModel(p, RecurrentGenotypes.DARTS_V2, VOCABULARY, HIDDEN,
                LanguageModelDropout.NONE, 0, 5);
        p.seal();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> lm.forward(new int[] {1, 2}, new int[] {1, 7},
                1, Mode.INFERENCE)).getMessage().contains("position 1 had input 2 and target 7"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> lm.forward(new int[] {1, 2, 3},
                new int[] {1, 2, 3}, 2, Mode.INFERENCE)).getMessage().contains("multiple of batch=2"));
        assertThrows(IllegalStateException.class, lm::backward);
        assertThrows(IllegalArgumentException.class, () -> new LanguageModelDropout(0, 0, 1.0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RecurrentLanguageModel(new ParameterSet(
                DataType.DOUBLE, 1), RecurrentGenotypes.DARTS_V2, 1, 4, LanguageModelDropout.NONE, 0, 1));
    }
}
