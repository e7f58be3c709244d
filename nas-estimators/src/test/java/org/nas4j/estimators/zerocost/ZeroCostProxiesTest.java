package org.nas4j.estimators.zerocost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.core.search.Metric;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.network.SpaceCompiler;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Each proxy against its definition computed another way: the gradient proxies and synflow by central finite
 * differences in DOUBLE over every weight of a network small enough for that, the matrix scores by hand.
 *
 * <p>Tolerances: a central difference in DOUBLE with step {@code H = 1e-6} has a truncation error of order
 * {@code H^2} (1e-12) and a rounding error of order {@code 2.2e-16 * |f| / H} (about 1e-10 for the losses and sums
 * here, of order 1); the proxies sum at most a hundred such terms, so a relative tolerance of {@code 1e-6} leaves
 * a factor of 100 over the worst case and still fails for any wrong term.
 */
class ZeroCostProxiesTest {
    private static final double H = 1e-6;
    private static final double RELATIVE = 1e-6;

    /** Stem conv 3x3 to 2 channels, one op choice, head: 60 weights (18 + 36 + 6) on 1x6x6 images, 3 classes. */
    private static ComposedSpace tiny() {
        return SpaceBuilder.create("tiny").input(1, 6, 6).classes(3).layer("stem", "conv_bn_3x3", Width.of(2))
                .choice("a", List.of("nor_conv_3x3", "skip_connect", "avg_pool_3x3")).head("pool_linear").build();
    }

    private static ProxyContext context(ComposedSpace space, int option, DataType type, int batch) {
        Architecture a = Architecture.of(space, new int[] {option});
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        float[] images = new float[batch * 36];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) rng.nextGaussian();
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 3;
        }
        return new ProxyContext(a, new SpaceCompiler(space).dataType(type), 11, images, new long[] {batch, 1, 6, 6},
                labels, 3);
    }

    private static double loss(TrainableNetwork net, ProxyContext c) {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        return loss.forward(net.forward(c.images(DataType.DOUBLE), Mode.TRAINING), c.oneHot(DataType.DOUBLE));
    }

    /** Central difference of {@code f} with respect to entry {@code j} of weight {@code w}. */
    private static double derivative(TrainableNetwork net, Parameter w, long j,
                                     java.util.function.ToDoubleFunction<TrainableNetwork> f) {
        INDArray flat = net.parameters().values();
        long at = w.offset() + j;
        double v = flat.getDouble(at);
        flat.putScalar(at, v + H);
        double up = f.applyAsDouble(net);
        flat.putScalar(at, v - H);
        double down = f.applyAsDouble(net);
        flat.putScalar(at, v);
        return (up - down) / (2 * H);
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, RELATIVE * Math.abs(expected), what);
    }

    @Test
    void snipAndGradNormAreTheirSumsOfLossDerivatives() {
        ProxyContext c = context(tiny(), 0, DataType.DOUBLE, 4);
        TrainableNetwork net = c.network();
        double snip = 0;
        double gradNorm = 0;
        List<Parameter> weights = ProxyContext.weights(net);
        assertEquals(3, weights.size(), "stem, op and head weights");
        for (Parameter w : weights) {
            double squares = 0;
            for (long j = 0; j < w.length(); j++) {
                double g = derivative(net, w, j, n -> loss(n, c));
                snip += Math.abs(g * net.parameters().values().getDouble(w.offset() + j));
                squares += g * g;
            }
            gradNorm += Math.sqrt(squares);
        }
        assertRelative(snip, ZeroCostProxies.named("snip").score(c), "snip");
        assertRelative(gradNorm, ZeroCostProxies.named("grad_norm").score(c), "grad_norm");
    }

    @Test
    void synflowIsTheSumOfAbsoluteWeightTimesFlowDerivative() {
        ProxyContext c = context(tiny(), 0, DataType.DOUBLE, 4);
        TrainableNetwork net = c.network();
        Transforms.abs(net.parameters().values(), false);
        INDArray ones = Nd4j.ones(DataType.DOUBLE, 1, 1, 6, 6);
        java.util.function.ToDoubleFunction<TrainableNetwork> flow =
                n -> n.forward(ones, Mode.INFERENCE).sumNumber().doubleValue();
        double expected = 0;
        for (Parameter w : ProxyContext.weights(net)) {
            for (long j = 0; j < w.length(); j++) {
                expected += Math.abs(derivative(net, w, j, flow) * net.parameters().values().getDouble(w.offset() + j));
            }
        }
        assertTrue(expected > 0);
        assertRelative(expected, ZeroCostProxies.named("synflow").score(c), "synflow");
    }

    @Test
    void graspIsMinusWeightTimesHessianGradient() {
        ProxyContext c = context(tiny(), 0, DataType.DOUBLE, 4);
        TrainableNetwork net = c.network();
        List<Parameter> weights = ProxyContext.weights(net);
        // g by finite differences, then H g as the derivative of g . grad(L) ... computed as d/dt grad L(W + t g)
        // with a second central difference of the loss along g and along each weight: the same quantity reached by
        // another route (directional second derivatives), step sqrt(H) for the nested difference
        double[][] g = new double[weights.size()][];
        for (int i = 0; i < weights.size(); i++) {
            g[i] = new double[(int) weights.get(i).length()];
            for (int j = 0; j < g[i].length; j++) {
                g[i][j] = derivative(net, weights.get(i), j, n -> loss(n, c));
            }
        }
        double t = 1e-4;
        INDArray flat = net.parameters().values();
        double expected = 0;
        for (int i = 0; i < weights.size(); i++) {
            for (int j = 0; j < g[i].length; j++) {
                double[] gradAlong = new double[2];
                for (int side = 0; side < 2; side++) {
                    double step = side == 0 ? t : -t;
                    shift(flat, weights, g, step);
                    gradAlong[side] = derivative(net, weights.get(i), j, n -> loss(n, c));
                    shift(flat, weights, g, -step);
                }
                double hg = (gradAlong[0] - gradAlong[1]) / (2 * t);
                expected -= flat.getDouble(weights.get(i).offset() + j) * hg;
            }
        }
        // the nested differences carry errors of order t^2 and 1e-10 / t: a relative 1e-3 is their bound
        double actual = ZeroCostProxies.named("grasp").score(c);
        assertEquals(expected, actual, 1e-3 * Math.abs(expected) + 1e-9, "grasp");
    }

    @Test
    void fisherIsTheChannelSaliencyOfEveryLayerOutputByFiniteDifferences() {
        ProxyContext c = context(tiny(), 0, DataType.DOUBLE, 4);
        TrainableNetwork net = c.network();
        List<Parameter> weights = ProxyContext.weights(net);
        // sum over positions of a_nk * dL/da_nk is the derivative of L when channel k of image n of the layer's
        // output a is scaled by (1 + t), at t = 0: a central difference in t of losses only, no backward pass.
        // Its error: truncation H^2 f'''/6 (1e-12 for f''' of order one) plus the rounding bound of the two losses
        double roundoff = Tolerances.centralDifference(DataType.DOUBLE, lossMagnitude(net, c), H, 1000) + H * H;
        double expected = 0;
        double tolerance = 0;
        for (Parameter w : weights) {
            long[] shape = outputShape(net, c, w);
            int images = (int) shape[0];
            int channels = (int) shape[1];
            double perChannel = (double) w.length() / channels; // the weights each channel's value is spread over
            for (int k = 0; k < channels; k++) {
                for (int n = 0; n < images; n++) {
                    double g = (scaledLoss(net, c, w, n, k, H) - scaledLoss(net, c, w, n, k, -H)) / (2 * H);
                    expected += perChannel * 0.5 * g * g / images;
                    tolerance += perChannel * 0.5 * (2 * Math.abs(g) * roundoff + roundoff * roundoff) / images;
                }
            }
        }
        assertTrue(expected > 0);
        assertTrue(tolerance < 1e-3 * expected, "the bound " + tolerance + " must be able to fail " + expected);
        assertEquals(expected, ZeroCostProxies.named("fisher").score(c), tolerance, "fisher");
        for (Parameter w : weights) {
            assertEquals(null, w.outputObserver(), "fisher removes its observers");
        }
    }

    private static double lossMagnitude(TrainableNetwork net, ProxyContext c) {
        return crossEntropyMagnitude(net.forward(c.images(DataType.DOUBLE), Mode.TRAINING), c.labels());
    }

    /** The sum of the magnitudes of the terms of the mean cross-entropy: mean of |logsumexp| + |true logit|. */
    static double crossEntropyMagnitude(INDArray logits, int[] labels) {
        double sum = 0;
        for (int n = 0; n < labels.length; n++) {
            double max = logits.getRow(n).maxNumber().doubleValue();
            double lse = max + Math.log(Transforms.exp(logits.getRow(n).sub(max)).sumNumber().doubleValue());
            sum += Math.abs(lse) + Math.abs(logits.getDouble(n, labels[n]));
        }
        return sum / labels.length;
    }

    private static long[] outputShape(TrainableNetwork net, ProxyContext c, Parameter w) {
        long[][] shape = new long[1][];
        w.observeOutputs(new org.nas4j.estimators.engine.OutputObserver() {
            @Override
            public void forward(INDArray a) {
                shape[0] = a.shape();
            }

            @Override
            public void backward(INDArray gradOutput) {
            }
        });
        try {
            net.forward(c.images(DataType.DOUBLE), Mode.TRAINING);
        } finally {
            w.observeOutputs(null);
        }
        return shape[0];
    }

    /** The loss with channel {@code k} of image {@code n} of the output of {@code w}'s layer scaled by 1 + t. */
    private static double scaledLoss(TrainableNetwork net, ProxyContext c, Parameter w, int n, int k, double t) {
        w.observeOutputs(new org.nas4j.estimators.engine.OutputObserver() {
            @Override
            public void forward(INDArray a) {
                // breaks the observer's rule on purpose: the next layer reads this very array, so scaling it in
                // place perturbs what the rest of the network sees
                if (a.rank() == 2) {
                    a.putScalar(n, k, a.getDouble(n, k) * (1 + t));
                    return;
                }
                for (long i = 0; i < a.size(2); i++) {
                    for (long j = 0; j < a.size(3); j++) {
                        long[] at = {n, k, i, j};
                        a.putScalar(at, a.getDouble(at) * (1 + t));
                    }
                }
            }

            @Override
            public void backward(INDArray gradOutput) {
            }
        });
        try {
            return loss(net, c);
        } finally {
            w.observeOutputs(null);
        }
    }

    private static void shift(INDArray flat, List<Parameter> weights, double[][] g, double step) {
        for (int i = 0; i < weights.size(); i++) {
            for (int j = 0; j < g[i].length; j++) {
                long at = weights.get(i).offset() + j;
                flat.putScalar(at, flat.getDouble(at) + step * g[i][j]);
            }
        }
    }

    @Test
    void jacobianIsTheDerivativeOfTheSummedLogitsAndItsScoreFollowsTheEigenvalues() {
        ProxyContext c = context(tiny(), 0, DataType.DOUBLE, 4);
        TrainableNetwork net = c.network();
        INDArray x = c.images(DataType.DOUBLE);
        INDArray jacobian = net.backward(Nd4j.onesLike(net.forward(x, Mode.TRAINING))).dup();
        for (long at : new long[] {0, 17, 36 + 5, 3 * 36 + 35}) {
            double v = x.getDouble(at);
            x.putScalar(at, v + H);
            double up = net.forward(x, Mode.TRAINING).sumNumber().doubleValue();
            x.putScalar(at, v - H);
            double down = net.forward(x, Mode.TRAINING).sumNumber().doubleValue();
            x.putScalar(at, v);
            double fd = (up - down) / (2 * H);
            assertEquals(fd, jacobian.getDouble(at), 1e-6 * Math.max(1, Math.abs(fd)), "d sum(y) / d x[" + at + "]");
        }

        // two rows with correlation rho: eigenvalues 1 + rho and 1 - rho
        double[][] rows = {{1, 2, 3, 4}, {1, 3, 2, 5}};
        double[][] corr = JacobianCovariance.correlation(rows);
        double rho = corr[0][1];
        // deviations (-1.5, -.5, .5, 1.5) and (-1.75, .25, -.75, 2.25): 5.5 / sqrt(5 * 8.75)
        assertEquals(5.5 / Math.sqrt(5 * 8.75), rho, 1e-12, "numpy.corrcoef([[1,2,3,4],[1,3,2,5]])[0,1]");
        double k = JacobianCovariance.K;
        double expected = -(Math.log(1 + rho + k) + 1 / (1 + rho + k) + Math.log(1 - rho + k) + 1 / (1 - rho + k));
        assertEquals(expected, JacobianCovariance.score(corr), 1e-12);
        assertTrue(Double.isNaN(JacobianCovariance.score(JacobianCovariance.correlation(
                new double[][] {{1, 1, 1}, {1, 2, 3}}))), "a constant row has no correlation: NaN, as numpy");
    }

    /**
     * ENAS' micro search child's batch norms normalize with the batch in inference, which the DL4J export refuses;
     * NASWOT's graph runs in training mode (batch statistics), so it scores such a network as the same network
     * without them.
     */
    @Test
    void naswotScoresANetworkWhoseBatchNormsUseTheBatchInInference() {
        ComposedSpace batch = SpaceBuilder.create("tiny").input(1, 6, 6).classes(3).batchStatisticsInInference(true)
                .layer("stem", "conv_bn_3x3", Width.of(2))
                .choice("a", List.of("nor_conv_3x3", "skip_connect", "avg_pool_3x3")).head("pool_linear").build();
        double expected = new Naswot().score(context(tiny(), 0, DataType.FLOAT, 4));
        // the same weights (same seed and parameter names), the same graph: the same codes and kernel
        assertEquals(expected, new Naswot().score(context(batch, 0, DataType.FLOAT, 4)), 1e-9 * Math.abs(expected));
    }

    @Test
    void naswotKernelCountsAgreeingUnits() {
        double[][] k = new double[2][2];
        Naswot.addCodes(k, Nd4j.createFromArray(new float[][] {{1, -1, 0}, {2, 3, -4}}));
        // codes (1,0,0) and (1,1,0): each agrees with itself on 3 units, with the other on 2
        assertEquals(3, k[0][0]);
        assertEquals(2, k[0][1]);
        assertEquals(2, k[1][0]);
        assertEquals(Math.log(3 * 3 - 2 * 2), SmallMatrices.logAbsDeterminant(k), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, SmallMatrices.logAbsDeterminant(new double[][] {{1, 2}, {2, 4}}));
        double[] eig = SmallMatrices.symmetricEigenvalues(new double[][] {{2, 1, 0}, {1, 2, 0}, {0, 0, 5}});
        java.util.Arrays.sort(eig);
        assertEquals(1, eig[0], 1e-12);
        assertEquals(3, eig[1], 1e-12);
        assertEquals(5, eig[2], 1e-12);
    }

    @Test
    void estimatorReportsEveryProxyDeterministically() {
        ComposedSpace nb201 = NasBench201Definition.of(NasBench201Space.builder().channels(4).cellsPerStage(1)
                .inputChannels(1).imageSize(28).build());
        TrainTest data = FashionMnist.bundled();
        ZeroCostEstimator estimator = ZeroCostEstimator.builder(data).batchSize(16)
                .synflowNetworks(new SpaceCompiler(nb201).dataType(DataType.DOUBLE)).build();
        Architecture convs = Architecture.of(nb201, NasBench201Space.standard()
                .parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|")
                .vector());
        Architecture empty = Architecture.of(nb201, NasBench201Space.standard()
                .parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|").vector());

        Map<Metric, Double> a;
        try (org.nas4j.estimators.engine.MemoryScope outer = org.nas4j.estimators.engine.MemoryScope.open()) {
            a = estimator.scores(convs, 5);
            // the networks' arrays were freed by scores' own scope, not left to the caller (or the GC)
            assertEquals(0, outer.trackedArrays(), "arrays left open by scoring");
        }
        assertEquals(ZeroCostProxies.NAMES, a.keySet().stream().map(Metric::name).toList());
        a.forEach((m, v) -> assertTrue(Double.isFinite(v), m + " = " + v));
        assertEquals(a, estimator.scores(convs, 5), "same architecture and seed, same scores");
        assertEquals((double) nb201.parameters(convs), a.get(Metric.PARAMETERS));
        Map<Metric, Double> none = estimator.scores(empty, 5);
        assertTrue(a.get(ZeroCostEstimator.metric("synflow")) > none.get(ZeroCostEstimator.metric("synflow")),
                "cells of convolutions pass more synaptic flow than cells of zeros: " + a + " vs " + none);
        assertTrue(a.get(ZeroCostEstimator.metric("naswot")) > none.get(ZeroCostEstimator.metric("naswot")));
    }

    @Test
    void trainingEstimatorReportsTheProxiesOfItsInitialWeights() throws Exception {
        ComposedSpace nb201 = NasBench201Definition.of(NasBench201Space.builder().channels(4).cellsPerStage(1)
                .inputChannels(1).imageSize(28).build());
        TrainTest data = FashionMnist.bundled();
        ZeroCostEstimator proxies = ZeroCostEstimator.builder(data).proxies("snip", "params").batchSize(8).build();
        org.nas4j.estimators.training.TrainingEstimator training = org.nas4j.estimators.Estimators.training(data)
                .epochs(1).stepsPerEpoch(2).batchSize(8).zeroCostProxies(proxies).build();
        Architecture a = nb201.sample(new java.util.SplittableRandom(4));
        org.nas4j.core.search.Evaluation e = training.evaluate(new org.nas4j.core.search.EvaluationRequest(0, a, 9, 1));
        assertEquals(proxies.scores(a, 9).get(ZeroCostEstimator.metric("snip")),
                e.value(ZeroCostEstimator.metric("snip")), "snip of the initial weights, beside the trained metrics");
        assertTrue(Double.isFinite(e.value(Metric.VALIDATION_ACCURACY)));
        assertTrue(training.description().contains("zeroCostProxies"), training.description());
    }

    @Test
    void badSettingsAreNamed() {
        TrainTest data = FashionMnist.bundled();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ZeroCostEstimator.builder(data).proxies("synflow", "zen"));
        assertTrue(unknown.getMessage().contains("'zen'") && unknown.getMessage().contains("naswot"),
                unknown.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> ZeroCostEstimator.builder(data).proxies("snip", "snip"));
        assertTrue(twice.getMessage().contains("'snip' twice"), twice.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> ZeroCostEstimator.builder(data).batchSize(1));
        assertTrue(batch.getMessage().contains("batchSize must be >= 2, but was 1"), batch.getMessage());
    }
}
