package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.spaces.Spaces;
import org.nas4j.strategies.learning.StateCodec;
import org.nas4j.strategies.rl.IndependentLogits;
import org.nas4j.strategies.rl.LstmController;
import org.nas4j.strategies.rl.Policy;
import org.nas4j.strategies.smbo.Surrogate;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The strategies' learned models on the engine: policy gradients against central finite differences, sampling
 * against the policy's probabilities, a controller that learns a toy reward, a surrogate that fits a known
 * function, and the state codec.
 */
class LearningModelsTest {
    private static final int[] SIZES = {5, 3, 4, 2};

    /** Roundings any term of a controller's objective passes through: as {@code GradientCheck}'s forward bound. */
    private static final long OBJECTIVE_ROUNDINGS = 1024;

    /**
     * The largest ratio, over every checked value, of |analytic - numeric| to the tolerance derived from the
     * precision and the step ({@link Tolerances#centralDifference}, magnitude |f| plus one per head for the
     * log-probabilities and entropies the objective sums, plus 1e-5 relative for truncation): at most 1 when the
     * gradient is right.
     */
    private static double gradientError(ParameterSet params, DoubleSupplier f, int heads) {
        double worst = 0;
        double h = 1e-6;
        double absTol = Tolerances.centralDifference(DataType.DOUBLE, Math.abs(f.getAsDouble()) + heads, h,
                OBJECTIVE_ROUNDINGS);
        for (Parameter p : params.parameters()) {
            assertTrue(p.hasGradient(), p.name() + " received no gradient");
            double[] analytic = p.gradient().dup().reshape(p.length()).toDoubleVector();
            long step = Math.max(1, p.length() / 40);
            for (long i = 0; i < p.length(); i += step) {
                long at = p.offset() + i;
                double saved = params.values().getDouble(at);
                params.values().putScalar(at, saved + h);
                double up = f.getAsDouble();
                params.values().putScalar(at, saved - h);
                double down = f.getAsDouble();
                params.values().putScalar(at, saved);
                double numeric = (up - down) / (2 * h);
                double a = analytic[(int) i];
                double tol = absTol + 1e-5 * Math.max(Math.abs(numeric), Math.abs(a));
                worst = Math.max(worst, Math.abs(numeric - a) / tol);
            }
        }
        return worst;
    }

    @Test
    void lstmControllerGradientMatchesFiniteDifferences() {
        LstmController c = new LstmController(SIZES, 6, 0.5, 1);
        int[] actions = {4, 0, 2, 1};
        c.objective(actions, 1.7, 0.3, true);
        double err = gradientError(c.parameters(), () -> c.objective(actions, 1.7, 0.3, false), actions.length);
        assertTrue(err <= 1, "gradient error / tolerance = " + err);
    }

    @Test
    void lstmGradientCheckRejectsAGradientOffByOnePartInAThousand() {
        LstmController c = new LstmController(SIZES, 6, 0.5, 1);
        int[] actions = {4, 0, 2, 1};
        c.objective(actions, 1.7, 0.3, true);
        c.parameters().parameters().get(0).gradient().muli(1.001);
        double err = gradientError(c.parameters(), () -> c.objective(actions, 1.7, 0.3, false), actions.length);
        assertTrue(err > 1, "a broken gradient must fail the check, but error / tolerance = " + err);
    }

    @Test
    void independentLogitsGradientMatchesFiniteDifferences() {
        IndependentLogits p = new IndependentLogits(SIZES);
        SplitMix64 rng = new SplitMix64(2);
        for (int i = 0; i < p.parameters().size(); i++) {
            p.parameters().values().putScalar(i, rng.nextGaussian());
        }
        int[] actions = {1, 2, 3, 0};
        p.objective(actions, -0.8, 0.5, true);
        double err = gradientError(p.parameters(), () -> p.objective(actions, -0.8, 0.5, false), actions.length);
        assertTrue(err <= 1, "gradient error / tolerance = " + err);
    }

    @Test
    void lstmLogProbabilitiesOfAllVectorsSumToOne() {
        LstmController c = new LstmController(new int[] {3, 2, 3}, 4, 0.5, 5);
        double total = 0;
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 2; b++) {
                for (int d = 0; d < 3; d++) {
                    total += Math.exp(c.logProbability(new int[] {a, b, d}));
                }
            }
        }
        assertEquals(1.0, total, 1e-12);
    }

    @Test
    void lstmSamplesFollowItsProbabilities() {
        LstmController c = new LstmController(new int[] {2, 2}, 3, 1.0, 6);
        SplitMix64 rng = new SplitMix64(7);
        int n = 20_000;
        int[] counts = new int[4];
        int[] batched = new int[4];
        for (int i = 0; i < n; i++) {
            int[] a = c.sample(rng);
            counts[a[0] * 2 + a[1]]++;
        }
        for (int i = 0; i < n / 8; i++) {          // the batched pass REINFORCE's ask uses
            for (int[] a : c.sample(rng, 8)) {
                batched[a[0] * 2 + a[1]]++;
            }
        }
        for (int k = 0; k < 4; k++) {
            double p = Math.exp(c.logProbability(new int[] {k / 2, k % 2}));
            double sd = Math.sqrt(p * (1 - p) / n);
            assertEquals(p, counts[k] / (double) n, 4 * sd, "vector " + k);
            assertEquals(p, batched[k] / (double) n, 4 * sd, "vector " + k + ", batched");
        }
    }

    @Test
    void lstmControllerConcentratesOnTheBestOptionsOfAToyReward() {
        // reward = number of choices at their last option; plain REINFORCE with the engine's Adam and a baseline
        int[] sizes = {4, 3, 4};
        LstmController c = new LstmController(sizes, 16, 0.08, 8);
        Adam adam = Adam.builder(c.parameters(), LearningRateSchedule.constant(0.02)).build();
        SplitMix64 rng = new SplitMix64(9);
        double baseline = 0;
        for (int step = 0; step < 300; step++) {
            int[] a = c.sample(rng);
            double reward = 0;
            for (int i = 0; i < sizes.length; i++) {
                reward += a[i] == sizes[i] - 1 ? 1 : 0;
            }
            c.objective(a, -(reward - baseline), 0, true);
            adam.step();
            baseline = 0.9 * baseline + 0.1 * reward;
        }
        double best = Math.exp(c.logProbability(new int[] {3, 2, 3}));
        assertTrue(best > 0.8, "p(best vector) after 300 steps is only " + best + " (uniform: " + 1 / 48.0 + ")");
    }

    @Test
    void surrogateFitsAKnownFunctionOfTheChoices() {
        // score = sum over choices of a fixed value per option: exactly representable, so the fit must rank well
        var space = Spaces.nasBench201();
        double[] optionValue = {0.0, 1.0, 3.0, 2.0, 0.5};
        Surrogate s = new Surrogate(space, 5, new int[] {32, 32}, 0.01, 300, 32, 11);
        SplitMix64 rng = new SplitMix64(12);
        List<double[]> xs = new ArrayList<>();
        double[] ys = new double[150];
        for (int i = 0; i < ys.length; i++) {
            var a = space.sample(rng);
            xs.add(s.encode(a));
            for (int c = 0; c < a.size(); c++) {
                ys[i] += optionValue[a.index(c)];
            }
        }
        s.fit(xs, ys, rng);
        List<double[]> test = new ArrayList<>();
        double[] truth = new double[200];
        for (int i = 0; i < truth.length; i++) {
            var a = space.sample(rng);
            test.add(s.encode(a));
            for (int c = 0; c < a.size(); c++) {
                truth[i] += optionValue[a.index(c)];
            }
        }
        double[] predicted = s.predict(test);
        double sq = 0;
        double var = 0;
        double mean = java.util.Arrays.stream(truth).average().orElseThrow();
        for (int i = 0; i < truth.length; i++) {
            sq += (predicted[i] - truth[i]) * (predicted[i] - truth[i]);
            var += (truth[i] - mean) * (truth[i] - mean);
        }
        double r2 = 1 - sq / var;
        assertTrue(r2 > 0.9, "R^2 on unseen architectures is only " + r2);
        assertEquals(predicted[0], s.predict(test.get(0)), 1e-12);
    }

    @Test
    void stateCodecIsExact() {
        double[] v = {Math.PI, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, 1e-310, 42};
        assertArrayEquals(v, StateCodec.decode(StateCodec.encode(v)));
        assertEquals(0, Policy.draw(new double[] {1, 0}, 2, new SplitMix64(1)));
    }
}
