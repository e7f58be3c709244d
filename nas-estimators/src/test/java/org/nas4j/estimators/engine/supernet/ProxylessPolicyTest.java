package org.nas4j.estimators.engine.supernet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Optimizer;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ProxylessNAS' binary gates: seeded sampling, two computed paths, and the direction of the alpha update. */
class ProxylessPolicyTest {

    /** Multiplies its input by a constant; counts its forward and backward calls. */
    private static final class Scale implements Layer {
        private final double factor;
        int forwards;
        int backwards;

        Scale(double factor) {
            this.factor = factor;
        }

        @Override
        public INDArray forward(INDArray x, Mode mode) {
            forwards++;
            return x.mul(factor);
        }

        @Override
        public INDArray backward(INDArray gy) {
            backwards++;
            return gy.mul(factor);
        }
    }

    private static List<int[]> draws(long seed) {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 1);
        ProxylessPolicy policy = new ProxylessPolicy(params, 4, 5, seed);
        params.seal();
        List<int[]> out = new ArrayList<>();
        for (int pass = 0; pass < 20; pass++) {
            policy.beginPass(Mode.TRAINING);
            for (int e = 0; e < 4; e++) {
                out.add(policy.path(e).ops());
            }
        }
        return out;
    }

    @Test
    void theSameSeedDrawsTheSamePathsAndAnotherSeedOthers() {
        List<int[]> a = draws(7);
        List<int[]> b = draws(7);
        List<int[]> c = draws(8);
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
            assertEquals(2, a.get(i).length);
            assertNotEquals(a.get(i)[0], a.get(i)[1], "two distinct ops");
            differs |= !java.util.Arrays.equals(a.get(i), c.get(i));
        }
        assertTrue(differs);
    }

    @Test
    void anEdgeComputesTheTwoSampledOpsAndBackPropagatesTheActiveOne() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 1);
        ProxylessPolicy policy = new ProxylessPolicy(params, 1, 5, 3);
        params.seal();
        Scale[] ops = new Scale[5];
        for (int k = 0; k < 5; k++) {
            ops[k] = new Scale(k + 1);
        }
        SupernetEdge edge = new SupernetEdge(0, ops, policy);
        INDArray x = Nd4j.createFromArray(1.0, 2.0, 3.0);
        for (int pass = 0; pass < 10; pass++) {
            int[] before = new int[5];
            int[] backBefore = new int[5];
            for (int k = 0; k < 5; k++) {
                before[k] = ops[k].forwards;
                backBefore[k] = ops[k].backwards;
            }
            policy.beginPass(Mode.TRAINING);
            int active = policy.active()[0];
            int inactive = policy.inactive()[0];
            INDArray y = edge.forward(x, Mode.TRAINING);
            assertArrayEquals(x.mul(active + 1).toDoubleVector(), y.toDoubleVector(), 1e-12, "gate 1 on active");
            INDArray gy = Nd4j.createFromArray(1.0, 0.0, -1.0);
            edge.backward(gy);
            policy.endBackward();
            for (int k = 0; k < 5; k++) {
                assertEquals(k == active || k == inactive ? 1 : 0, ops[k].forwards - before[k], "forward of " + k);
                assertEquals(k == active ? 1 : 0, ops[k].backwards - backBefore[k], "backward of " + k);
            }
            // dL/dg_j = <gy, o_j> = -2 (j + 1); alpha's gradient only on the two sampled ops, summing to zero
            double[] g = policy.alpha().gradient().getRow(0).toDoubleVector();
            double[] gate = {-2.0 * (active + 1), -2.0 * (inactive + 1)};
            double qa = 1 / (1 + Math.exp(policy.alpha().value().getDouble(0, inactive)
                    - policy.alpha().value().getDouble(0, active)));
            double expected = gate[0] * qa * (1 - qa) - gate[1] * (1 - qa) * qa;
            assertEquals(expected, g[active], 1e-12);
            assertEquals(-expected, g[inactive], 1e-12);
            assertEquals(0.0, java.util.Arrays.stream(g).map(Math::abs).sum() - 2 * Math.abs(expected), 1e-12);
        }
    }

    @Test
    void alphaMovesTowardTheRewardedOpAndRescalingKeepsTheOthersProbabilities() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 1);
        ProxylessPolicy policy = new ProxylessPolicy(params, 1, 4, 11);
        params.seal();
        Optimizer adam = Adam.builder(params, LearningRateSchedule.constant(0.05)).build();
        double[] reward = {0.0, 0.0, 1.0, 0.0};
        for (int step = 0; step < 200; step++) {
            policy.beginPass(Mode.TRAINING);
            int[] sampled = policy.path(0).ops();
            double[] before = policy.alpha().value().getRow(0).toDoubleVector();
            // loss = -reward of the gated output: dL/dg_j = -reward[j]
            policy.addWeightGradients(0, new double[] {-reward[sampled[0]], -reward[sampled[1]]}, 0);
            policy.endBackward();
            adam.step();
            policy.rescale();
            double[] after = policy.alpha().value().getRow(0).toDoubleVector();
            double massBefore = Math.exp(before[sampled[0]]) + Math.exp(before[sampled[1]]);
            double massAfter = Math.exp(after[sampled[0]]) + Math.exp(after[sampled[1]]);
            assertEquals(massBefore, massAfter, 1e-9 * massBefore, "the two sampled ops keep their total mass");
        }
        double[] p = Policies.softmax(policy.alpha().value().getRow(0).toDoubleVector());
        assertEquals(2, policy.derive()[0]);
        assertTrue(p[2] > 0.6, "the rewarded op should dominate: " + java.util.Arrays.toString(p));
        policy.beginPass(Mode.INFERENCE);
        assertEquals(EdgePath.single(2), policy.path(0));
    }

    @Test
    void trainsTheNb201SupernetWithGradientsOnTwoOpsPerEdge() {
        ComposedSupernet net = ComposedSupernet.compile(NasBench201Definition.of(NasBench201Space.builder()
                .channels(2).cellsPerStage(1).classes(2).imageSize(8).build()), PathPolicies.proxyless(5),
                ModuleCatalogue.standard(), DataType.DOUBLE, 0);
        ProxylessPolicy policy = (ProxylessPolicy) net.policy();
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        INDArray x = org.nas4j.estimators.engine.GradientCheck.random(1, 2, 3, 8, 8);
        ce.forward(net.forward(x, Mode.TRAINING), SoftmaxCrossEntropy.oneHot(new int[] {0, 1}, 2,
                DataType.DOUBLE));
        net.backward(ce.backward());
        assertTrue(policy.alpha().hasGradient());
        double[][] g = policy.alpha().gradient().toDoubleMatrix();
        int[] active = policy.active();
        int[] inactive = policy.inactive();
        for (int e = 0; e < g.length; e++) {
            for (int k = 0; k < g[e].length; k++) {
                if (k != active[e] && k != inactive[e]) {
                    assertEquals(0.0, g[e][k], "edge " + e + " op " + k + " was not sampled");
                }
            }
            assertEquals(0.0, g[e][active[e]] + g[e][inactive[e]], 1e-12);
        }
        policy.architectureStep(false);
        policy.beginPass(Mode.TRAINING);
        assertEquals(1, policy.path(0).size());
    }
}
