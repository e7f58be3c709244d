package org.nas4j.estimators.zerocost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
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

    /**
     * A stem, one op choice and a pooled linear head: the candidates read the stem's output, which does not depend
     * on {@code alpha}, and the head is linear, so the loss is a smooth function of the three {@code alpha}s (no
     * ReLU between them and the loss) whose Hessian finite differences compute to the precision of the steps.
     */
    private static final ComposedSpace CHAIN = SpaceBuilder.create("chain").input(1, 28, 28).classes(10)
            .layer("stem", "conv_bn_3x3", Width.of(2))
            .choice("a", List.of("nor_conv_3x3", "skip_connect", "avg_pool_3x3")).head("pool_linear").build();

    @Test
    void graspIsAlphaTimesTheHessianAlongTheGradientByFiniteDifferences() {
        ArchitectureSaliency.Result r = ArchitectureSaliency.grasp(CHAIN, DATA, BATCH, SEED, DataType.DOUBLE);
        ComposedSupernet supernet = ComposedSupernet.compile(CHAIN, PathPolicies.mixed(), ModuleCatalogue.standard(),
                DataType.DOUBLE, SEED);
        ProxyBatch batch = ProxyBatch.draw(DATA, BATCH, SEED);
        INDArray alpha = ((LearnedPathPolicy) supernet.policy()).alpha().value();
        assertEquals(1, r.scores().length, "one op choice");
        int m = r.scores()[0].length;
        assertEquals(3, m);
        double[] a = alpha.getRow(0).toDoubleVector();
        java.util.function.ToDoubleFunction<double[]> lossAt = d -> {
            for (int k = 0; k < m; k++) {
                alpha.putScalar(0, k, a[k] + d[k]);
            }
            double l = loss(supernet, batch);
            for (int k = 0; k < m; k++) {
                alpha.putScalar(0, k, a[k]);
            }
            return l;
        };
        // g by central differences (step h), H by the four-point stencil of mixed second differences (step s), of
        // losses only. Each loss is within gamma(k) * magnitude of exact, k = 20,000 bounding the chain of roundings
        // a term passes through (the batch-norm sums run over 6 * 28 * 28 = 4,704 values per channel, twice each in
        // two batch norms, then pooling and the head), so g is off by at most that / h and H by that / s^2;
        // truncation adds h^2 and s^2 for derivatives of order one (the loss is smooth in alpha, so the steps can be
        // large enough for rounding to stay small)
        double h = 1e-4;
        double s = 1e-3;
        double[] g = new double[m];
        for (int k = 0; k < m; k++) {
            g[k] = (lossAt.applyAsDouble(unit(m, k, h)) - lossAt.applyAsDouble(unit(m, k, -h))) / (2 * h);
        }
        double[][] hessian = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                hessian[i][j] = (lossAt.applyAsDouble(add(unit(m, i, s), unit(m, j, s)))
                        - lossAt.applyAsDouble(add(unit(m, i, s), unit(m, j, -s)))
                        - lossAt.applyAsDouble(add(unit(m, i, -s), unit(m, j, s)))
                        + lossAt.applyAsDouble(add(unit(m, i, -s), unit(m, j, -s)))) / (4 * s * s);
            }
        }
        double rounding = org.nas4j.estimators.engine.Tolerances.gamma(DataType.DOUBLE, 20_000)
                * magnitude(supernet, batch);
        double gError = rounding / h + h * h;
        double hError = rounding / (s * s) + s * s;
        double[] expected = new double[m];
        double[] tolerance = new double[m];
        double largest = 0;
        double loosest = 0;
        for (int k = 0; k < m; k++) {
            double hgError = 0;
            for (int j = 0; j < m; j++) {
                expected[k] += a[k] * hessian[k][j] * g[j];
                hgError += hError * Math.abs(g[j]) + Math.abs(hessian[k][j]) * gError;
            }
            tolerance[k] = Math.abs(a[k]) * hgError;
            largest = Math.max(largest, Math.abs(expected[k]));
            loosest = Math.max(loosest, tolerance[k]);
        }
        // softmax(alpha) does not change when every alpha moves alike, so g and every row of H sum to 0, and so
        // does H g: one of the three may be small; the bound must still be able to fail on the largest
        assertTrue(loosest < 1e-2 * largest, "the bound " + loosest + " can fail " + largest);
        for (int k = 0; k < m; k++) {
            assertEquals(expected[k], r.scores()[0][k], tolerance[k], "candidate " + k);
        }
    }

    private static double[] unit(int m, int k, double step) {
        double[] d = new double[m];
        d[k] = step;
        return d;
    }

    private static double[] add(double[] x, double[] y) {
        double[] z = x.clone();
        for (int i = 0; i < z.length; i++) {
            z[i] += y[i];
        }
        return z;
    }

    /** {@link ZeroCostProxiesTest#crossEntropyMagnitude} of the supernet's loss on the batch. */
    private static double magnitude(ComposedSupernet supernet, ProxyBatch batch) {
        return ZeroCostProxiesTest.crossEntropyMagnitude(supernet.forward(batch.images(DataType.DOUBLE),
                Mode.TRAINING), batch.labels());
    }

    @Test
    void graspDerivesTheStrongestCandidatePerEdgeAndIsDeterministic() {
        ArchitectureSaliency.Result r = ArchitectureSaliency.grasp(SPACE, DATA, BATCH, SEED, DataType.DOUBLE);
        assertEquals(6, r.scores().length);
        for (int e = 0; e < r.scores().length; e++) {
            int best = 0;
            for (int k = 1; k < r.scores()[e].length; k++) {
                assertTrue(Double.isFinite(r.scores()[e][k]), "edge " + e + " op " + k);
                best = r.scores()[e][k] > r.scores()[e][best] ? k : best;
            }
            assertEquals(best, r.architecture().index(e), "edge " + e + ": " + java.util.Arrays.toString(r.scores()[e]));
        }
        assertEquals(r.architecture(),
                ArchitectureSaliency.grasp(SPACE, DATA, BATCH, SEED, DataType.DOUBLE).architecture());
        ArchitectureSaliency.Result single = ArchitectureSaliency.grasp(SPACE, DATA, BATCH, SEED, DataType.FLOAT);
        for (double[] edge : single.scores()) {
            for (double v : edge) {
                assertTrue(Double.isFinite(v), java.util.Arrays.toString(edge));
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArchitectureSaliency.grasp(SPACE, DATA, 0, SEED, DataType.DOUBLE));
        assertTrue(e.getMessage().startsWith("batchSize must be in [1, "), e.getMessage());
    }

    @Test
    void aBatchLargerThanTheTrainingImagesIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArchitectureSaliency.snip(SPACE, DATA, 10_000_000, SEED, DataType.DOUBLE));
        assertTrue(e.getMessage().startsWith("batchSize must be in [1, "), e.getMessage());
        assertTrue(e.getMessage().endsWith("but was 10000000"), e.getMessage());
    }
}
