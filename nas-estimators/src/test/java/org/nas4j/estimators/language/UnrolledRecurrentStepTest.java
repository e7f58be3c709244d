package org.nas4j.estimators.language;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.estimators.engine.recurrent.DartsSearchCell;
import org.nas4j.estimators.engine.recurrent.LanguageModelDropout;
import org.nas4j.estimators.engine.recurrent.RecurrentLanguageModel;
import org.nas4j.estimators.language.UnrolledRecurrentStep.HessianPoint;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Second-order DARTS on the recurrent cell: the architecture gradient against finite differences of the unrolled
 * validation loss {@code F(a) = L_val(w - eta dL_train/dw(w, a), a)}, in DOUBLE on a tiny model.
 */
class UnrolledRecurrentStepTest {
    private static final int VOCABULARY = 5;
    private static final int HIDDEN = 4;
    private static final int BATCH = 3;
    private static final int NODES = 2;
    private static final double ETA = 0.5;

    /** A tiny search model, its data and states: everything {@code F} needs. */
    private static final class Tiny {
        final ParameterSet params = new ParameterSet(DataType.DOUBLE, 11);
        final ParameterSet architecture = new ParameterSet(DataType.DOUBLE, 12);
        final Parameter alpha;
        final RecurrentLanguageModel lm;
        final int[][] train = tokens(13, 4);
        final int[][] valid = tokens(14, 3);
        final INDArray trainState;
        final INDArray validState;

        Tiny() {
            alpha = architecture.add("weights", DartsSearchCell.weightsShape(NODES), Initializer.normal(1.0));
            architecture.seal();
            lm = new RecurrentLanguageModel(params, DartsSearchCell.factory(alpha, NODES, true), VOCABULARY, HIDDEN,
                    new LanguageModelDropout(0, 0.2, 0.3, 0.25, 0.3), 0.5, 15);
            params.seal();
            // weights of order one (the +-0.04 start makes every second derivative tiny)
            params.values().assign(uniform(16, params.size(), 0.7));
            trainState = uniform(17, (long) BATCH * HIDDEN, 0.5).reshape(BATCH, HIDDEN);
            validState = uniform(18, (long) BATCH * HIDDEN, 0.5).reshape(BATCH, HIDDEN);
        }

        UnrolledRecurrentStep.Segment trainSegment() {
            return () -> {
                lm.restoreState(trainState);
                lm.reseed(21);
                return lm.forward(train[0], train[1], BATCH, Mode.TRAINING, false);
            };
        }

        UnrolledRecurrentStep.Segment validSegment() {
            return () -> {
                lm.restoreState(validState);
                lm.reseed(22);
                return lm.forward(valid[0], valid[1], BATCH, Mode.TRAINING, false);
            };
        }

        /** The step's gradient, with {@code r} and the Hessian's point given; clipping and weight decay off. */
        double[] estimate(double r, HessianPoint point) {
            new UnrolledRecurrentStep(lm, params, alpha, 0, 0, r, point).computeGradient(trainSegment(),
                    validSegment(), BATCH, ETA);
            return alpha.gradient().dup().reshape(alpha.length()).toDoubleVector();
        }

        /** {@code F(a)}: one plain SGD step of the weights on the training segment, then the validation loss. */
        double unrolledValidationLoss() {
            INDArray w = params.values();
            INDArray start = w.dup();
            trainSegment().forward();
            lm.backward();
            w.subi(params.gradients().mul(ETA));
            double loss = validSegment().forward();
            w.assign(start);
            return loss;
        }

        /**
         * The central difference in architecture weight {@code i} of the validation loss at the unrolled weights of
         * the current {@code a}, held fixed: the first-order part of {@code F}'s derivative.
         */
        double fixedUnrolledDifference(int i, double h) {
            INDArray w = params.values();
            INDArray start = w.dup();
            trainSegment().forward();
            lm.backward();
            w.subi(params.gradients().mul(ETA));
            INDArray a = alpha.value().reshape(alpha.length());
            double x = a.getDouble(i);
            a.putScalar(i, x + h);
            double plus = validSegment().forward();
            a.putScalar(i, x - h);
            double minus = validSegment().forward();
            a.putScalar(i, x);
            w.assign(start);
            return (plus - minus) / (2 * h);
        }

        /** The central difference of {@code F} in architecture weight {@code i} with step {@code h}. */
        double centralDifference(int i, double h) {
            INDArray a = alpha.value().reshape(alpha.length());
            double x = a.getDouble(i);
            a.putScalar(i, x + h);
            double plus = unrolledValidationLoss();
            a.putScalar(i, x - h);
            double minus = unrolledValidationLoss();
            a.putScalar(i, x);
            return (plus - minus) / (2 * h);
        }
    }

    private static int[][] tokens(long seed, int length) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] ids = rng.ints((long) (length + 1) * BATCH, 0, VOCABULARY).toArray();
        int[] in = java.util.Arrays.copyOf(ids, length * BATCH);
        int[] out = java.util.Arrays.copyOfRange(ids, BATCH, (length + 1) * BATCH);
        return new int[][] {in, out};
    }

    private static INDArray uniform(long seed, long n, double range) {
        SplittableRandom rng = new SplittableRandom(seed);
        return Nd4j.createFromArray(rng.doubles(n, -range, range).toArray());
    }

    @Test
    void theSecondOrderArchitectureGradientIsTheDerivativeOfTheUnrolledValidationLoss() {
        Tiny t = new Tiny();
        double r = UnrolledRecurrentStep.REFERENCE_RADIUS;
        double h = 1e-5;
        double[] estimate = t.estimate(r, HessianPoint.CURRENT);
        double[] halfRadius = t.estimate(r / 2, HessianPoint.CURRENT);
        double largestHessianTerm = 0;
        double largestTolerance = 0;
        for (int i = 0; i < estimate.length; i++) {
            double numeric = t.centralDifference(i, h);
            double numericHalf = t.centralDifference(i, h / 2);
            // Tolerance, from r and the step. Both sides are central differences with error c d^2 + rounding:
            // - the Hessian-vector product moves the weights by d = r along v (R ||v|| = r); its truncation error,
            //   times eta, is c r^2 with c unknown, but halving r cuts it to a quarter, so est(r) - est(r/2) =
            //   3/4 c r^2 (Richardson) and the error is 4/3 |est(r) - est(r/2)|; doubled for the next order;
            // - F's difference quotient with step h likewise: 4/3 |D(h) - D(h/2)|, doubled;
            // - rounding: F sums terms of magnitude about 1 (the loss is a mean of log-probabilities of order
            //   ln 5) through a chain of some 1e3 roundings, so Tolerances.centralDifference with magnitude 10
            //   bounds it; the Hessian quotient's rounding is u |dL/da| / R * eta, with |dL/da| <= 1 and
            //   1/R = ||v|| / r <= 1e3 here, under 1e-12, inside the same bound.
            double truncation = 2 * (4.0 / 3) * Math.abs(estimate[i] - halfRadius[i])
                    + 2 * (4.0 / 3) * Math.abs(numeric - numericHalf);
            double rounding = Tolerances.centralDifference(DataType.DOUBLE, 10, h, 1000);
            assertEquals(numeric, estimate[i], truncation + rounding, "second-order gradient of weights[" + i + "]");
            largestTolerance = Math.max(largestTolerance, truncation + rounding);
            largestHessianTerm = Math.max(largestHessianTerm, Math.abs(numeric - t.fixedUnrolledDifference(i, h)));
        }
        // not vacuous: the Hessian term (what first order leaves out) is far larger than any tolerance
        assertTrue(largestHessianTerm > 20 * largestTolerance, "Hessian term " + largestHessianTerm
                + " against tolerance " + largestTolerance);
    }

    @Test
    void theStepLeavesTheWeightsAndTheRunningStatisticsAsTheyWere() {
        Tiny t = new Tiny();
        double[] weights = t.params.values().toDoubleVector();
        DartsSearchCell cell = (DartsSearchCell) t.lm.cell();
        t.trainSegment().forward();
        Map<String, double[]> statistics = new LinkedHashMap<>();
        cell.runningStatistics().forEach((k, v) -> statistics.put(k, v.dup().reshape(v.length()).toDoubleVector()));
        // the reference's options: clipping and weight decay on, the product around w'
        new UnrolledRecurrentStep(t.lm, t.params, t.alpha, 0.25, 1e-3, UnrolledRecurrentStep.REFERENCE_RADIUS,
                HessianPoint.UNROLLED).computeGradient(t.trainSegment(), t.validSegment(), BATCH, ETA);
        assertArrayEquals(weights, t.params.values().toDoubleVector(), 0.0);
        cell.runningStatistics().forEach((k, v) -> assertArrayEquals(statistics.get(k),
                v.dup().reshape(v.length()).toDoubleVector(), 0.0, k));
        assertTrue(t.alpha.hasGradient());
        assertEquals("radius must be finite and > 0, but was 0.0", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new UnrolledRecurrentStep(t.lm, t.params, t.alpha, 0, 0, 0,
                        HessianPoint.UNROLLED)).getMessage());
    }
}
