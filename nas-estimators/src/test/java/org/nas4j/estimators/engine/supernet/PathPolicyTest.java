package org.nas4j.estimators.engine.supernet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Sampling behaviour and architecture-weight gradients of the path policies, with fixed seeds. */
class PathPolicyTest {

    @Test
    void singlePathDrawsEveryOpAboutEquallyOften() {
        SinglePathPolicy policy = new SinglePathPolicy(6, 5, 1);
        int[] counts = new int[5];
        for (int pass = 0; pass < 2000; pass++) {
            policy.beginPass(Mode.TRAINING);
            for (int e = 0; e < 6; e++) {
                counts[policy.path(e).op(0)]++;
            }
        }
        for (int c : counts) {
            assertEquals(12000 / 5.0, c, 150, java.util.Arrays.toString(counts));   // ~4.5 standard deviations
        }
    }

    @Test
    void pathDropoutKeepsAtLeastOneOpAndAllInInference() {
        PathDropoutPolicy policy = new PathDropoutPolicy(6, 5, 0.9, 2);
        int kept = 0;
        for (int pass = 0; pass < 500; pass++) {
            policy.beginPass(Mode.TRAINING);
            for (int e = 0; e < 6; e++) {
                assertTrue(policy.path(e).size() >= 1);
                kept += policy.path(e).size();
            }
        }
        // expected ops kept per edge: 5 * 0.1 plus a forced one when all five drop (0.9^5)
        assertEquals(0.5 + Math.pow(0.9, 5), kept / 3000.0, 0.05);
        policy.beginPass(Mode.INFERENCE);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, policy.path(3).ops());
    }

    @Test
    void mixedPolicyBackPropagatesThroughTheSoftmax() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 3);
        MixedPolicy policy = new MixedPolicy(params, 2, 3);
        params.seal();
        policy.alpha().value().assign(Nd4j.createFromArray(new double[][] {{0.1, -0.4, 0.3}, {1.0, 0.0, -1.0}}));
        policy.beginPass(Mode.TRAINING);
        double[] w = policy.path(1).weights();
        policy.addWeightGradients(1, new double[] {1.0, 2.0, 3.0}, 0);
        policy.addWeightGradients(1, new double[] {0.5, 0.0, 0.0}, 0);   // a second cell, same edge index
        policy.endBackward();
        double mean = w[0] * 1.5 + w[1] * 2.0 + w[2] * 3.0;
        double[] expected = {w[0] * (1.5 - mean), w[1] * (2.0 - mean), w[2] * (3.0 - mean)};
        assertArrayEquals(expected, policy.alpha().gradient().getRow(1).toDoubleVector(), 1e-12);
        assertArrayEquals(new double[3], policy.alpha().gradient().getRow(0).toDoubleVector(), 0.0);
        assertArrayEquals(new int[] {2, 0}, policy.derive());
    }

    @Test
    void gdasChoosesOneOpInTrainingAndTheArgmaxInInference() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 3);
        GdasPolicy policy = new GdasPolicy(params, 6, 5, 4, pass -> 1.0);
        params.seal();
        policy.alpha().value().getRow(2).assign(Nd4j.createFromArray(0.0, 0.0, 9.0, 0.0, 0.0));
        int chosenTwo = 0;
        for (int pass = 0; pass < 50; pass++) {
            policy.beginPass(Mode.TRAINING);
            assertEquals(1, policy.path(2).size());
            chosenTwo += policy.path(2).op(0) == 2 ? 1 : 0;
        }
        assertTrue(chosenTwo > 45, "a dominant alpha should win almost always, won " + chosenTwo);
        policy.addWeightGradients(2, new double[] {1.0}, 0.25);
        policy.endBackward();
        assertTrue(policy.alpha().hasGradient());
        policy.beginPass(Mode.INFERENCE);
        assertEquals(2, policy.path(2).op(0));
    }

    @Test
    void fixedPolicyValidatesItsArchitecture() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FixedPolicy(5, new int[] {0, 1, 7}));
        assertEquals("architecture[2] must be in [0, 5), but was 7", e.getMessage());
    }

    @Test
    void everyFactoryTakesEdgesWithTheirOwnNumberOfOps() {
        int[] counts = {4, 1, 2, 6};
        PathPolicy.Factory[] factories = {PathPolicies.mixed(), PathPolicies.singlePath(3),
            PathPolicies.fixed(new int[] {3, 0, 1, 5}), PathPolicies.gdas(4, pass -> 1.0), PathPolicies.proxyless(5),
            PathPolicies.pathDropout(0.5, 6)};
        for (PathPolicy.Factory factory : factories) {
            ParameterSet params = new ParameterSet(DataType.DOUBLE, 3);
            PathPolicy policy = factory.create(params, counts);
            params.seal();
            for (int pass = 0; pass < 200; pass++) {
                policy.beginPass(pass % 5 == 0 ? Mode.INFERENCE : Mode.TRAINING);
                for (int e = 0; e < counts.length; e++) {
                    EdgePath path = policy.path(e);
                    for (int i = 0; i < path.size(); i++) {
                        assertTrue(path.op(i) >= 0 && path.op(i) < counts[e], policy + " edge " + e + ": " + path);
                    }
                    if (policy.needsWeightGradients()) {
                        policy.addWeightGradients(e, new double[path.size()], 0.0);
                    }
                }
                policy.endBackward();
            }
            if (policy instanceof LearnedPathPolicy learned) {
                assertArrayEquals(new long[] {4, 6}, learned.alpha().value().shape());
                assertEquals(2, learned.probabilities(2).length);
                assertEquals(1.0, java.util.Arrays.stream(learned.probabilities(3)).sum(), 1e-12);
            }
        }
    }

    @Test
    void mixedPolicyWithPerEdgeCountsLeavesThePaddingWithoutGradient() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 3);
        MixedPolicy policy = new MixedPolicy(params, new int[] {3, 2});
        params.seal();
        policy.alpha().value().assign(Nd4j.createFromArray(new double[][] {{0.1, -0.4, 0.3}, {1.0, 0.0, 7.0}}));
        policy.beginPass(Mode.TRAINING);
        double[] w = policy.path(1).weights();
        assertEquals(2, w.length);
        assertEquals(Math.exp(1.0) / (Math.exp(1.0) + 1.0), w[0], 1e-12);   // 7.0 is padding, not an op
        policy.addWeightGradients(1, new double[] {1.0, 3.0}, 0);
        policy.endBackward();
        double mean = w[0] * 1.0 + w[1] * 3.0;
        assertEquals(w[0] * (1.0 - mean), policy.alpha().gradient().getDouble(1, 0), 1e-12);
        assertEquals(0.0, policy.alpha().gradient().getDouble(1, 2), 0.0);
        assertArrayEquals(new int[] {2, 0}, policy.derive());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FixedPolicy(new int[] {3, 2}, new int[] {0, 2}));
        assertEquals("architecture[1] must be in [0, 2), but was 2", e.getMessage());
    }
}
