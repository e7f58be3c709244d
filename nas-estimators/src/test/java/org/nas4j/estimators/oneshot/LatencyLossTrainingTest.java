package org.nas4j.estimators.oneshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.data.BrightnessImages;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.ProxylessPolicy;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The latency loss in ProxylessNAS' architecture steps: where its gradient must be added, and what it does. */
class LatencyLossTrainingTest {

    /** 1x8x8 images whose brightness encodes one of 3 classes. */
    private static ImageDataset images(int n, long seed) {
        return BrightnessImages.of(n, seed, 8, 3, 0.3, 0, 0.3);
    }

    private static ComposedSupernet proxyless(DataType type) {
        ComposedSupernet net = ComposedSupernet.compile(LatencyLossTest.chain(), PathPolicies.proxyless(5),
                ModuleCatalogue.standard(), type, 3);
        ((ProxylessPolicy) net.policy()).alpha().value().assign(GradientCheck.random(8, 2, 3));
        return net;
    }

    /** The architecture gradient after forward, {@code before} (or not), the scaled backward pass, {@code after}. */
    private static double[] gradient(boolean before, boolean after) {
        ComposedSupernet net = proxyless(DataType.DOUBLE);
        ProxylessPolicy policy = (ProxylessPolicy) net.policy();
        LatencyLoss loss = LatencyLoss.builder(LatencyLossTest.table(), policy, 5.0).build();
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        INDArray x = GradientCheck.random(1, 4, 1, 8, 8);
        INDArray y = SoftmaxCrossEntropy.oneHot(new int[] {0, 1, 2, 1}, 3, DataType.DOUBLE);
        double value = ce.forward(net.forward(x, Mode.TRAINING), y);
        if (before) {
            loss.apply(value);
        }
        net.backward(ce.backward().muli(loss.logitGradientScale()));
        if (after) {
            loss.apply(value);
        }
        return policy.alpha().gradient().dup().reshape(6).toDoubleVector();
    }

    @Test
    void aLatencyGradientAddedBeforeTheBackwardPassIsOverwrittenByThePolicy() {
        double[] gatesOnly = gradient(false, false);
        assertArrayEquals(gatesOnly, gradient(true, false), 0.0, "the policy replaces alpha's gradient");
        assertFalse(Arrays.equals(gatesOnly, gradient(false, true)), "added after the backward pass, it stays");
    }

    @Test
    void underAHeavyLatencyTermProxylessMovesProbabilityAwayFromTheSlowOps() {
        ComposedSupernet net = proxyless(DataType.FLOAT);
        ProxylessPolicy policy = (ProxylessPolicy) net.policy();
        // edge 0: nor_conv_3x3 is 100x slower than the others; edge 1: nor_conv_1x1 is
        LatencyTable table = LatencyTable.of(2.0, new double[][] {{100.0, 1.0, 1.0}, {100.0, 1.0}}, "slow ops");
        LatencyLoss loss = LatencyLoss.builder(table, policy, 5.0).form("add#linear").lambda(10.0).build();
        SupernetTrainer trainer = SupernetTrainer.builder(net, images(48, 2)).epochs(3).stepsPerEpoch(4)
                .batchSize(8).seed(6).architectureOptimizer(0.05, 0.0, 0.999, 0.0)
                .architectureGradient(loss.toString(), loss.firstOrderGradient()).build();
        double[] before = {policy.probabilities(0)[0], policy.probabilities(1)[0]};
        for (int e = 0; e < 3; e++) {
            trainer.trainEpoch(() -> false).orElseThrow();
        }
        double[] after = {policy.probabilities(0)[0], policy.probabilities(1)[0]};
        for (int e = 0; e < 2; e++) {
            assertTrue(after[e] < before[e], "edge " + e + ": P(slow op) " + before[e] + " -> " + after[e]);
        }
        LatencyLoss other = LatencyLoss.builder(table, new ProxylessPolicy(new org.nas4j.estimators.engine
                .ParameterSet(DataType.DOUBLE, 1), new int[] {3, 2}, 1), 5.0).build();
        SupernetTrainer wrong = SupernetTrainer.builder(proxyless(DataType.FLOAT), images(48, 2)).epochs(1).stepsPerEpoch(1)
                .batchSize(8).architectureGradient(other.toString(), other.firstOrderGradient()).build();
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> wrong.trainEpoch(() -> false));
        assertTrue(ex.getMessage().contains("must use this latency loss's policy"), ex.getMessage());
    }

    @Test
    void applySetsTheGradientWhenNoneWasWrittenSinceTheLastStep() {
        ComposedSupernet net = proxyless(DataType.DOUBLE);
        ProxylessPolicy policy = (ProxylessPolicy) net.policy();
        Parameter alpha = policy.alpha();
        alpha.clearGradient();
        alpha.gradient().assign(123.0); // an old gradient, not marked: apply must not add to it
        net.forward(GradientCheck.random(1, 4, 1, 8, 8), Mode.TRAINING);
        LatencyLoss.builder(LatencyLossTest.table(), policy, 5.0).build().apply(1.0);
        assertTrue(alpha.hasGradient());
        for (double g : alpha.gradient().dup().reshape(6).toDoubleVector()) {
            assertTrue(Math.abs(g) < 10, "the old gradient was replaced: " + g);
        }
    }
}
