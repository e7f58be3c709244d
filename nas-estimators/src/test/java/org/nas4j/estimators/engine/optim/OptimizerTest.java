package org.nas4j.estimators.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Optimizers against straightforward reference implementations, in double precision. */
class OptimizerTest {

    private final ParameterSet params = new ParameterSet(DataType.DOUBLE, 1);
    private final Parameter a = params.add("a", new long[] {2, 2}, Initializer.normal(1));
    private final Parameter b = params.add("b", new long[] {3}, Initializer.normal(1));

    OptimizerTest() {
        params.seal();
    }

    private static double gradient(int step, int i) {
        return Math.sin(1.7 * step + 0.3 * i) + 0.1 * i;
    }

    private static void setGradient(Parameter p, int step, int base) {
        double[] g = new double[(int) p.length()];
        for (int i = 0; i < g.length; i++) {
            g[i] = gradient(step, base + i);
        }
        p.gradient().assign(Nd4j.createFromArray(g).reshape(p.shape()));
        p.markGradient();
    }

    @Test
    void adamMatchesReferenceAndSkipsParametersWithoutGradient() {
        double lr = 0.01;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double wd = 0.05;
        Adam adam = Adam.builder(params, LearningRateSchedule.constant(lr)).weightDecay(wd).build();
        double[] p = params.values().toDoubleVector();
        double[] m = new double[p.length];
        double[] v = new double[p.length];
        int[] t = new int[p.length];
        for (int step = 0; step < 6; step++) {
            boolean bActive = step % 2 == 0;   // b misses every other step, like an op a single path skipped
            setGradient(a, step, 0);
            if (bActive) {
                setGradient(b, step, 4);
            }
            adam.step();
            for (int i = 0; i < p.length; i++) {
                if (i >= 4 && !bActive) {
                    continue;
                }
                double g = gradient(step, i) + wd * p[i];
                t[i]++;
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double stepSize = lr * Math.sqrt(1 - Math.pow(b2, t[i])) / (1 - Math.pow(b1, t[i]));
                p[i] -= stepSize * m[i] / (Math.sqrt(v[i]) + eps);
            }
            assertArrayEquals(p, params.values().toDoubleVector(), 1e-12, "after step " + step);
        }
        assertEquals(6, adam.steps());
    }

    @Test
    void sgdWithNesterovMomentumAndWeightDecayMatchesReference() {
        double lr = 0.1;
        double mu = 0.9;
        double wd = 0.01;
        Sgd sgd = Sgd.builder(params, LearningRateSchedule.step(lr, 2, 0.5)).momentum(mu).nesterov(true)
                .weightDecay(wd).build();
        double[] p = params.values().toDoubleVector();
        double[] buf = new double[p.length];
        for (int step = 0; step < 5; step++) {
            double rate = lr * Math.pow(0.5, step / 2);
            assertEquals(rate, sgd.learningRate(), 1e-15);
            setGradient(a, step, 0);
            setGradient(b, step, 4);
            sgd.step();
            for (int i = 0; i < p.length; i++) {
                double g = gradient(step, i) + wd * p[i];
                buf[i] = mu * buf[i] + g;
                p[i] -= rate * (g + mu * buf[i]);
            }
            assertArrayEquals(p, params.values().toDoubleVector(), 1e-12, "after step " + step);
        }
    }

    @Test
    void plainSgdWithMomentumMatchesReference() {
        Sgd sgd = Sgd.builder(params, LearningRateSchedule.constant(0.2)).momentum(0.5).build();
        double[] p = params.values().toDoubleVector();
        double[] buf = new double[p.length];
        for (int step = 0; step < 3; step++) {
            setGradient(a, step, 0);
            setGradient(b, step, 4);
            sgd.step();
            for (int i = 0; i < p.length; i++) {
                buf[i] = 0.5 * buf[i] + gradient(step, i);
                p[i] -= 0.2 * buf[i];
            }
        }
        assertArrayEquals(p, params.values().toDoubleVector(), 1e-12);
    }

    @Test
    void schedules() {
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.1, 10, 0.001);
        assertEquals(0.1, cosine.rate(0), 1e-15);
        assertEquals(0.001 + 0.5 * 0.099 * (1 + Math.cos(Math.PI * 0.3)), cosine.rate(3), 1e-15);
        assertEquals(0.001, cosine.rate(10), 1e-15);
        assertEquals(0.001, cosine.rate(25), 1e-15);
        LearningRateSchedule step = LearningRateSchedule.step(1.0, 3, 0.1);
        assertEquals(1.0, step.rate(2), 1e-15);
        assertEquals(0.1, step.rate(3), 1e-15);
        assertEquals(0.01, step.rate(7), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.step(0.1, 1, 1.5));
    }

    @Test
    void clippingScalesToTheMaximumNorm() {
        setGradient(a, 1, 0);
        setGradient(b, 1, 4);
        double expected = Math.sqrt(params.gradients().mul(params.gradients()).sumNumber().doubleValue());
        double[] before = params.gradients().toDoubleVector();
        assertEquals(expected, GradientClipping.clipByGlobalNorm(params, 0.5), 1e-12);
        double[] after = params.gradients().toDoubleVector();
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i] * 0.5 / (expected + 1e-6), after[i], 1e-12);
        }
        assertEquals(GradientClipping.clipByGlobalNorm(params, 10), 0.5, 1e-6);
        assertArrayEquals(after, params.gradients().toDoubleVector(), 0.0);
    }

    @Test
    void invalidSettingsNameTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Adam.builder(params, LearningRateSchedule.constant(1)).beta1(1.0));
        assertEquals("beta1 must be in [0, 1), but was 1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Sgd.builder(params, LearningRateSchedule.constant(1)).nesterov(true).build());
    }
}
