package org.nas4j.estimators.zerocost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ArchitectureSaliencyTest {
    private static final ComposedSpace SPACE = NasBench201Definition.of(NasBench201Space.builder().channels(3)
            .cellsPerStage(1).inputChannels(1).imageSize(28).build());
    private static final TrainTest DATA = FashionMnist.bundled();
    private static final int BATCH = 6;
    private static final long SEED = 11;

    /** The mean cross-entropy of the batch through the mixed supernet of {@link #SPACE}, compiled as snip does. */
    private static double loss(ComposedSupernet supernet, ProxyBatch batch) {
        return new SoftmaxCrossEntropy().forward(supernet.forward(batch.images(DataType.DOUBLE), Mode.TRAINING),
                batch.oneHot(DataType.DOUBLE));
    }

    @Test
    void snipIsTheArchitectureParameterTimesTheLossGradientByFiniteDifferences() {
        ArchitectureSaliency.Result r = ArchitectureSaliency.snip(SPACE, DATA, BATCH, SEED, DataType.DOUBLE);
        ComposedSupernet supernet = ComposedSupernet.compile(SPACE, PathPolicies.mixed(), ModuleCatalogue.standard(),
                DataType.DOUBLE, SEED);
        ProxyBatch batch = ProxyBatch.draw(DATA, BATCH, SEED);
        INDArray alpha = ((LearnedPathPolicy) supernet.policy()).alpha().value();
        // central differences in DOUBLE. The loss is piecewise smooth (ReLUs): a step that moves some unit across
        // zero measures a chord, not the derivative, and with batch norm over a few images such units lie within
        // 1e-5 of alpha (seen: 0.2% off at h = 1e-5, exact at 1e-7). With h = 1e-7 the rounding error is about
        // 1e-16 * |L| / h = 2.3e-9 on dL/dalpha, times |alpha| (about 1e-3): 1e-12 on a score of 1e-6 to 1e-4,
        // far inside 1e-6 of the edge's largest score
        double h = 1e-7;
        for (int e : new int[] {0, 3, 5}) {
            double largest = 0;
            for (double s : r.scores()[e]) {
                largest = Math.max(largest, s);
            }
            assertTrue(largest > 0, "edge " + e + " has a gradient");
            for (int k = 0; k < r.scores()[e].length; k++) {
                double a = alpha.getDouble(e, k);
                alpha.putScalar(e, k, a + h);
                double up = loss(supernet, batch);
                alpha.putScalar(e, k, a - h);
                double down = loss(supernet, batch);
                alpha.putScalar(e, k, a);
                double expected = Math.abs(a * (up - down) / (2 * h));
                assertEquals(expected, r.scores()[e][k], 1e-6 * largest + 1e-12, "edge " + e + " op " + k);
            }
        }
    }

    @Test
    void snipDerivesTheStrongestCandidatePerEdgeAndIsDeterministic() {
        ArchitectureSaliency.Result r = ArchitectureSaliency.snip(SPACE, DATA, BATCH, SEED, DataType.DOUBLE);
        for (int e = 0; e < r.scores().length; e++) {
            int best = 0;
            for (int k = 1; k < r.scores()[e].length; k++) {
                best = r.scores()[e][k] > r.scores()[e][best] ? k : best;
            }
            assertEquals(best, r.architecture().index(e), "edge " + e);
        }
        assertEquals(r.architecture(),
                ArchitectureSaliency.snip(SPACE, DATA, BATCH, SEED, DataType.DOUBLE).architecture());
    }

    @Test
    void aBatchLargerThanTheTrainingImagesIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArchitectureSaliency.snip(SPACE, DATA, 10_000_000, SEED, DataType.DOUBLE));
        assertTrue(e.getMessage().startsWith("batchSize must be in [1, "), e.getMessage());
        assertTrue(e.getMessage().endsWith("but was 10000000"), e.getMessage());
    }
}
