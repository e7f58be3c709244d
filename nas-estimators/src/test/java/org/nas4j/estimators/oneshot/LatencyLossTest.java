package org.nas4j.estimators.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.MixedPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.ProxylessPolicy;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ProxylessNAS' latency loss: expected latency by hand, finite differences of the total loss in {@code alpha} (both
 * forms, both kinds of probabilities), a broken gradient caught by the same check, and the named errors.
 *
 * <p>Tolerances: central differences with step {@code h = 1e-6} in DOUBLE. Each loss evaluation is off by at most
 * {@code gamma(k) * magnitude} (k roundings, {@link Tolerances}), so the quotient is off by at most
 * {@code gamma(k) * magnitude / h}; the truncation error {@code h^2 f''' / 6} is ~1e-12 times the third derivative,
 * covered by a relative tolerance of 1e-5 (as {@link GradientCheck}). A wrong gradient (missing factor, wrong
 * latency) is off by a relative amount of order 1e-2 or more.
 */
class LatencyLossTest {

    private static final double H = 1e-6;
    private static final double REL_TOL = 1e-5;

    /** Stem, a choice of 3 ops, a choice of 2 ops, head; 1x8x8 input, 3 classes. */
    static ComposedSpace chain() {
        return SpaceBuilder.create("latency-chain").input(1, 8, 8).classes(3)
                .layer("stem", "conv_bn_3x3", Width.of(4))
                .choice("a", List.of("nor_conv_3x3", "skip_connect", "avg_pool_3x3"))
                .choice("b", List.of("nor_conv_1x1", "max_pool_3x3"))
                .head("pool_linear").build();
    }

    /** A table for {@link #chain()}: E is a few ms, above 1 like the target. */
    static LatencyTable table() {
        return LatencyTable.of(2.0, new double[][] {{3.0, 0.5, 1.0}, {1.5, 0.7}}, "test");
    }

    @Test
    void expectedLatencyIsTheHandComputationUnderTheEdgeSoftmax() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 1);
        MixedPolicy policy = new MixedPolicy(params, new int[] {3, 2});
        params.seal();
        INDArray alpha = policy.alpha().value();
        alpha.putScalar(new long[] {0, 0}, 0.0);
        alpha.putScalar(new long[] {0, 1}, Math.log(2));
        alpha.putScalar(new long[] {0, 2}, 0.0);
        alpha.putScalar(new long[] {1, 0}, 0.0);
        alpha.putScalar(new long[] {1, 1}, Math.log(3));
        alpha.putScalar(new long[] {1, 2}, 7.0); // padding: not a candidate of edge 1
        LatencyLoss loss = LatencyLoss.builder(table(), policy, 5.0).build();
        assertEquals(LatencyLoss.Probabilities.EDGE_SOFTMAX, loss.probabilityMode());
        // p = (1/4, 1/2, 1/4) and (1/4, 3/4): E = 2 + (0.75 + 0.25 + 0.25) + (0.375 + 0.525) = 4.15
        assertEquals(4.15, loss.expectedLatencyMs(), 1e-12);
        LatencyLoss.Result mul = loss.evaluate(1.2);
        double reg = Math.pow(Math.log(4.15) / Math.log(5.0), 0.3);
        assertEquals(0.2 * 1.2 * reg, mul.loss(), 1e-12);
        assertEquals(0.2 * reg, mul.logitGradientScale(), 1e-12);
        LatencyLoss.Result add = LatencyLoss.builder(table(), policy, 5.0).form("add#linear").build().evaluate(1.2);
        assertEquals(1.2 + 0.1 * (4.15 - 5.0) / 5.0, add.loss(), 1e-12);
        assertEquals(1.0, add.logitGradientScale());
        // the table as a cost model: fixed + chosen candidates
        assertEquals(2.0 + 0.5 + 1.5, table().latencyMs(new int[] {1, 0}), 1e-12);
    }

    @Test
    void expectedLatencyUnderTwoSampledPathsIsTheHandComputationOverThePair() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 1);
        ProxylessPolicy policy = new ProxylessPolicy(params, new int[] {3, 2}, 11);
        params.seal();
        INDArray alpha = policy.alpha().value();
        double[][] a = {{0.3, -0.2, 0.9}, {0.1, -0.4, 0}};
        for (int e = 0; e < 2; e++) {
            for (int k = 0; k < 3; k++) {
                alpha.putScalar(new long[] {e, k}, a[e][k]);
            }
        }
        LatencyLoss loss = LatencyLoss.builder(table(), policy, 5.0).build();
        assertEquals(LatencyLoss.Probabilities.SAMPLED_PAIR, loss.probabilityMode());
        IllegalStateException before = assertThrows(IllegalStateException.class, loss::expectedLatencyMs);
        assertTrue(before.getMessage().contains("Mode.TRAINING"), before.getMessage());
        policy.beginPass(Mode.TRAINING);
        int i = policy.active()[0];
        int j = policy.inactive()[0];
        double qi = Math.exp(a[0][i]) / (Math.exp(a[0][i]) + Math.exp(a[0][j]));
        double q1 = Math.exp(0.1) / (Math.exp(0.1) + Math.exp(-0.4));
        double[][] lat = table().candidateMs();
        double expected = 2.0 + qi * lat[0][i] + (1 - qi) * lat[0][j] + q1 * 1.5 + (1 - q1) * 0.7;
        assertEquals(expected, loss.expectedLatencyMs(), 1e-12);
        double[][] p = loss.probabilities();
        assertEquals(0.0, p[0][3 - i - j], "the op not sampled has probability 0");
    }

    @Test
    void theTotalLossHasFiniteDifferenceGradientsInAlphaThroughTheNetwork() {
        for (LatencyLoss.Form form : LatencyLoss.Form.values()) {
            Check c = new Check(form, table());
            double worst = c.worstRatio(c.analytic(true, table()));
            assertTrue(worst <= 1, form + ": error / tolerance = " + worst);
        }
    }

    @Test
    void aBrokenGradientFailsTheSameCheck() {
        for (LatencyLoss.Form form : LatencyLoss.Form.values()) {
            Check c = new Check(form, table());
            // the latency term's gradient from a wrong latency of one candidate
            LatencyTable wrong = LatencyTable.of(2.0, new double[][] {{3.3, 0.5, 1.0}, {1.5, 0.7}}, "wrong");
            double worst = c.worstRatio(c.analytic(true, wrong));
            assertTrue(worst > 1, form + ": a wrong latency gradient passed, error / tolerance = " + worst);
        }
        // mul#log: the cross-entropy's gradient not scaled by dL/dCE
        Check c = new Check(LatencyLoss.Form.MUL_LOG, table());
        double worst = c.worstRatio(c.analytic(false, table()));
        assertTrue(worst > 1, "an unscaled logit gradient passed, error / tolerance = " + worst);
    }

    @Test
    void theSampledPairGradientMatchesFiniteDifferencesAndAddsToThePolicysOwn() {
        for (LatencyLoss.Form form : LatencyLoss.Form.values()) {
            ComposedSupernet net = ComposedSupernet.compile(chain(), PathPolicies.proxyless(5),
                    ModuleCatalogue.standard(), DataType.DOUBLE, 3);
            ProxylessPolicy policy = (ProxylessPolicy) net.policy();
            Parameter alpha = policy.alpha();
            alpha.value().assign(GradientCheck.random(8, 2, 3));
            LatencyLoss loss = LatencyLoss.builder(table(), policy, 5.0).form(form).build();
            SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
            INDArray x = GradientCheck.random(1, 4, 1, 8, 8);
            INDArray y = SoftmaxCrossEntropy.oneHot(new int[] {0, 1, 2, 1}, 3, DataType.DOUBLE);
            double value = ce.forward(net.forward(x, Mode.TRAINING), y);
            net.backward(ce.backward().muli(loss.logitGradientScale()));
            INDArray gates = alpha.gradient().dup();
            loss.apply(value);
            INDArray latencyPart = alpha.gradient().sub(gates);
            // the latency term alone, with the cross-entropy held at its value (the gates are not differentiable)
            DoubleSupplier total = () -> loss.evaluate(value).loss();
            double magnitude = Math.abs(total.getAsDouble()) + 1.0;
            double absTol = Tolerances.centralDifference(DataType.DOUBLE, magnitude, H, 64);
            int[] active = policy.active();
            int[] inactive = policy.inactive();
            for (int e = 0; e < 2; e++) {
                for (int k = 0; k < 3; k++) {
                    double numeric = centralDifference(alpha.value(), e, k, total);
                    double analytic = latencyPart.getDouble(e, k);
                    double tol = absTol + REL_TOL * Math.max(Math.abs(analytic), Math.abs(numeric));
                    assertTrue(Math.abs(analytic - numeric) <= tol, form + " alpha[" + e + "][" + k + "]: analytic "
                            + analytic + " vs numeric " + numeric + " (tolerance " + tol + ")");
                    if (k != active[e] && k != inactive[e]) {
                        assertEquals(0.0, analytic, "only the sampled pair gets the latency gradient");
                    }
                }
            }
            assertTrue(Math.abs(latencyPart.getDouble(0, active[0])) > 1e-6, "the latency term moves alpha");
        }
    }

    @Test
    void badSettingsAreNamed() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 1);
        MixedPolicy policy = new MixedPolicy(params, new int[] {3, 2});
        params.seal();
        assertMessage("targetMs must be > 0", () -> LatencyLoss.builder(table(), policy, 0.0));
        assertMessage("targetMs must be > 0", () -> LatencyLoss.builder(table(), policy, -3.0));
        assertMessage("targetMs must be > 0", () -> LatencyLoss.builder(table(), policy, Double.NaN));
        assertMessage("beta must be > 0 and finite, but was 0.0",
                () -> LatencyLoss.builder(table(), policy, 5.0).beta(0.0));
        assertMessage("beta must be > 0 and finite, but was -0.3",
                () -> LatencyLoss.builder(table(), policy, 5.0).beta(-0.3));
        assertMessage("beta must be > 0", () -> LatencyLoss.builder(table(), policy, 5.0).beta(Double.NaN));
        assertMessage("alpha must be > 0", () -> LatencyLoss.builder(table(), policy, 5.0).alpha(0.0));
        assertMessage("lambda must be > 0", () -> LatencyLoss.builder(table(), policy, 5.0).lambda(-1.0));
        assertMessage("form must be one of mul#log (mul), add#linear (add), but was 'mul#exp'",
                () -> LatencyLoss.builder(table(), policy, 5.0).form("mul#exp"));
        assertEquals(LatencyLoss.Form.ADD_LINEAR, LatencyLoss.Form.parse("add"));
        assertMessage("targetMs must not be 1 for mul#log",
                () -> LatencyLoss.builder(table(), policy, 1.0).build());
        LatencyLoss.builder(table(), policy, 1.0).form("add").build(); // the linear form takes 1 ms
        assertMessage("SAMPLED_PAIR needs a ProxylessPolicy", () -> LatencyLoss.builder(table(), policy, 5.0)
                .probabilities(LatencyLoss.Probabilities.SAMPLED_PAIR).build());
        LatencyTable three = LatencyTable.of(1.0, new double[][] {{1, 2, 3}, {1, 2, 3}}, "three");
        assertMessage("table edge 1 must have 2 candidates", () -> LatencyLoss.builder(three, policy, 5.0).build());
        // E = 2.x ms below 1 < target: log(E) / log(target) < 0, the power is undefined
        LatencyLoss below = LatencyLoss.builder(LatencyTable.of(0.1, new double[][] {{0.1, 0.1, 0.1}, {0.2, 0.2}},
                "fast"), policy, 5.0).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> below.evaluate(1.0));
        assertTrue(e.getMessage().contains("log(E) / log(target) > 0"), e.getMessage());
    }

    private static void assertMessage(String expected, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static double centralDifference(INDArray values, int e, int k, DoubleSupplier f) {
        double orig = values.getDouble(e, k);
        values.putScalar(new long[] {e, k}, orig + H);
        double plus = f.getAsDouble();
        values.putScalar(new long[] {e, k}, orig - H);
        double minus = f.getAsDouble();
        values.putScalar(new long[] {e, k}, orig);
        return (plus - minus) / (2 * H);
    }

    /** The total loss of a DARTS-weighted supernet, whose cross-entropy is differentiable in {@code alpha}. */
    private static final class Check {
        private final ComposedSupernet net;
        private final LearnedPathPolicy policy;
        private final LatencyLoss.Form form;
        private final LatencyLoss loss;
        private final SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        private final INDArray x = GradientCheck.random(1, 4, 1, 8, 8);
        private final INDArray y = SoftmaxCrossEntropy.oneHot(new int[] {0, 1, 2, 1}, 3, DataType.DOUBLE);

        Check(LatencyLoss.Form form, LatencyTable table) {
            this.net = ComposedSupernet.compile(chain(), PathPolicies.mixed(), ModuleCatalogue.standard(),
                    DataType.DOUBLE, 2);
            this.policy = (LearnedPathPolicy) net.policy();
            policy.alpha().value().assign(GradientCheck.random(7, 2, 3));
            this.form = form;
            this.loss = LatencyLoss.builder(table, policy, 5.0).form(form).build();
        }

        double total() {
            return loss.evaluate(ce.forward(net.forward(x, Mode.TRAINING), y)).loss();
        }

        /** dL/dalpha as a trainer computes it, the latency gradient taken from {@code latencyTable}'s loss. */
        INDArray analytic(boolean scaleLogits, LatencyTable latencyTable) {
            LatencyLoss gradientLoss = LatencyLoss.builder(latencyTable, policy, 5.0).form(form).build();
            double value = ce.forward(net.forward(x, Mode.TRAINING), y);
            INDArray g = ce.backward();
            net.backward(scaleLogits ? g.muli(gradientLoss.logitGradientScale()) : g);
            gradientLoss.apply(value);
            return policy.alpha().gradient().dup();
        }

        /** The largest |analytic - numeric| / tolerance over every entry of alpha (padding included). */
        double worstRatio(INDArray analytic) {
            double magnitude = Math.abs(total()) + 1.0;
            // the forward pass: a few layers of fan-in <= 36 (GradientCheck's bound of 1024 roundings), then the loss
            double absTol = Tolerances.centralDifference(DataType.DOUBLE, magnitude, H, 1024 + 64);
            double worst = 0;
            for (int e = 0; e < 2; e++) {
                for (int k = 0; k < 3; k++) {
                    double numeric = centralDifference(policy.alpha().value(), e, k, this::total);
                    double a = analytic.getDouble(e, k);
                    double tol = absTol + REL_TOL * Math.max(Math.abs(a), Math.abs(numeric));
                    worst = Math.max(worst, Math.abs(a - numeric) / tol);
                }
            }
            return worst;
        }
    }
}
