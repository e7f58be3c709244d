package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.strategies.learning.Adam;
import org.nas4j.strategies.learning.Mlp;
import org.nas4j.strategies.learning.StateCodec;
import org.nas4j.strategies.rl.IndependentLogits;
import org.nas4j.strategies.rl.LstmController;
import org.nas4j.strategies.rl.Policy;

/** Hand-written gradients against central finite differences; Adam and the state codec. */
class LearningModelsTest {
    private static final int[] SIZES = {5, 3, 4, 2};

    /** Max relative error between {@code analytic} and central differences of {@code f} over every parameter. */
    private static double gradientError(double[] params, double[] analytic, DoubleSupplier f) {
        double worst = 0;
        double h = 1e-6;
        for (int i = 0; i < params.length; i++) {
            double saved = params[i];
            params[i] = saved + h;
            double up = f.getAsDouble();
            params[i] = saved - h;
            double down = f.getAsDouble();
            params[i] = saved;
            double numeric = (up - down) / (2 * h);
            double err = Math.abs(numeric - analytic[i]) / Math.max(1e-4, Math.abs(numeric) + Math.abs(analytic[i]));
            worst = Math.max(worst, err);
        }
        return worst;
    }

    @Test
    void lstmControllerGradientMatchesFiniteDifferences() {
        LstmController c = new LstmController(SIZES, 6, 0.5, new SplitMix64(1));
        int[] actions = {4, 0, 2, 1};
        double[] grad = new double[c.parameters().length];
        c.objective(actions, 1.7, 0.3, grad);
        double err = gradientError(c.parameters(), grad, () -> c.objective(actions, 1.7, 0.3, null));
        assertTrue(err < 1e-5, "relative gradient error " + err);
    }

    @Test
    void independentLogitsGradientMatchesFiniteDifferences() {
        IndependentLogits p = new IndependentLogits(SIZES);
        SplitMix64 rng = new SplitMix64(2);
        for (int i = 0; i < p.parameters().length; i++) {
            p.parameters()[i] = rng.nextGaussian();
        }
        int[] actions = {1, 2, 3, 0};
        double[] grad = new double[p.parameters().length];
        p.objective(actions, -0.8, 0.5, grad);
        assertTrue(gradientError(p.parameters(), grad, () -> p.objective(actions, -0.8, 0.5, null)) < 1e-5);
    }

    @Test
    void mlpGradientMatchesFiniteDifferences() {
        Mlp net = new Mlp(7, new int[] {5, 4}, new SplitMix64(3));
        SplitMix64 rng = new SplitMix64(4);
        for (int i = 0; i < net.parameters().length; i++) {
            net.parameters()[i] += 0.1 * rng.nextGaussian(); // non-zero biases: no ReLU exactly at its kink
        }
        double[] x = {1, 0, 0.5, -1, 0, 2, 0.3};
        double[] grad = new double[net.parameters().length];
        double loss = net.accumulateGradient(x, 0.7, grad);
        assertEquals(0.5 * Math.pow(net.predict(x) - 0.7, 2), loss, 1e-12);
        double err = gradientError(net.parameters(), grad, () -> 0.5 * Math.pow(net.predict(x) - 0.7, 2));
        assertTrue(err < 1e-5, "relative gradient error " + err);
    }

    @Test
    void lstmLogProbabilitiesOfAllVectorsSumToOne() {
        LstmController c = new LstmController(new int[] {3, 2, 3}, 4, 0.5, new SplitMix64(5));
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
        LstmController c = new LstmController(new int[] {2, 2}, 3, 1.0, new SplitMix64(6));
        SplitMix64 rng = new SplitMix64(7);
        int n = 20_000;
        int[] counts = new int[4];
        for (int i = 0; i < n; i++) {
            int[] a = c.sample(rng);
            counts[a[0] * 2 + a[1]]++;
        }
        for (int k = 0; k < 4; k++) {
            double p = Math.exp(c.logProbability(new int[] {k / 2, k % 2}));
            double sd = Math.sqrt(p * (1 - p) / n);
            assertEquals(p, counts[k] / (double) n, 4 * sd, "vector " + k);
        }
    }

    @Test
    void adamMinimisesAQuadratic() {
        double[] x = {3, -2};
        Adam adam = new Adam(2, 0.1);
        for (int t = 0; t < 500; t++) {
            adam.step(x, new double[] {2 * (x[0] - 1), 2 * (x[1] + 0.5)});
        }
        assertEquals(1, x[0], 1e-3);
        assertEquals(-0.5, x[1], 1e-3);
    }

    @Test
    void stateCodecIsExact() {
        double[] v = {Math.PI, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, 1e-310, 42};
        assertArrayEquals(v, StateCodec.decode(StateCodec.encode(v)));
        assertEquals(0, Policy.draw(new double[] {1, 0}, 2, new SplitMix64(1)));
    }
}
