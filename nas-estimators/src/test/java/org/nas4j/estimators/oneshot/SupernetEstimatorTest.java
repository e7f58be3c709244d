package org.nas4j.estimators.oneshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.BrightnessImages;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.estimators.training.Batches;
import org.nd4j.linalg.api.buffer.DataType;

/** Candidates scored on a trained supernet with inherited weights and recalibrated batch norm (SPOS' search). */
class SupernetEstimatorTest {

    static final ImageDataset TRAIN = images(96, 1);
    static final ImageDataset VALIDATION = images(60, 2);

    /** A stem of 4 or 6 channels (a channel choice), a kernel {@code k} and op choices of 3 and 2 ops; 1x8x8, 3 classes. */
    static ComposedSpace space() {
        return SpaceBuilder.create("oneshot").input(1, 8, 8).classes(3).value("w", 4, 6).value("k", 3, 5)
                .layer("stem", "conv_bn_3x3", Width.value("w"))
                .choice("a", List.of("nor_conv_{k}x{k}", "max_pool_3x3", "skip_connect"))
                .choice("b", List.of("conv_bn_relu_3x3", "avg_pool_3x3"))
                .head("bn_relu_pool_linear").build();
    }

    /** Tiny images whose mean brightness encodes the class. */
    static ImageDataset images(int n, long seed) {
        return BrightnessImages.of(n, seed, 8, 3, 0.5, -0.5, 0.4);
    }

    /** The supernet after some SPOS steps: one uniformly sampled path per step. */
    static ComposedSupernet trained(long seed) {
        ComposedSupernet supernet = ComposedSupernet.compile(space(), PathPolicies.singlePath(seed),
                ModuleCatalogue.standard(), DataType.FLOAT, seed);
        Sgd sgd = Sgd.builder(supernet.weights(), LearningRateSchedule.constant(0.05)).momentum(0.9).build();
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Batches batches = new Batches(TRAIN, 16);
        int[] order = ImageDataset.permutation(TRAIN.size(), new org.nas4j.core.random.SplitMix64(seed));
        for (int step = 0; step < 30; step++) {
            int from = (step * 16) % TRAIN.size();
            loss.forward(supernet.forward(batches.load(order, from, 16, null, null), Mode.TRAINING),
                    batches.oneHot(16));
            supernet.backward(loss.backward());
            sgd.step();
        }
        return supernet;
    }

    private static SupernetEstimator estimator(ComposedSupernet supernet) {
        return Estimators.supernet(supernet, TRAIN, VALIDATION).recalibrationBatches(4).batchSize(16)
                .validationSamples(40).validationSeed(3).build();
    }

    private static Evaluation evaluate(SupernetEstimator e, Architecture a, long seed) {
        return e.evaluate(new EvaluationRequest(0, a, seed, 1.0));
    }

    @Test
    void evaluatingABetweenTwoEvaluationsOfAGivesIdenticalResultsAndLeavesTheSupernetUnchanged() {
        ComposedSupernet supernet = trained(7);
        SupernetEstimator estimator = estimator(supernet);
        ComposedSpace space = supernet.space();
        Architecture a = space.parse("w=6; k=5; a=nor_conv_{k}x{k}; b=conv_bn_relu_3x3");
        Architecture b = space.parse("w=4; k=3; a=max_pool_3x3; b=avg_pool_3x3");
        float[] weights = supernet.weights().values().toFloatVector();
        Map<String, double[]> states = copy(supernet.states());
        Evaluation first = evaluate(estimator, a, 11);
        Evaluation other = evaluate(estimator, b, 12);
        Evaluation again = evaluate(estimator, a, 11);
        assertEquals(first.metrics(), again.metrics());
        assertNotEquals(first.value(Metric.VALIDATION_LOSS), other.value(Metric.VALIDATION_LOSS));
        assertArrayEquals(weights, supernet.weights().values().toFloatVector());
        Map<String, double[]> after = supernet.states();
        states.forEach((name, v) -> assertArrayEquals(v, after.get(name), 0.0, name));
        assertTrue(supernet.fixedPath().isEmpty(), "the policy's path is back");
        double accuracy = first.value(Metric.VALIDATION_ACCURACY);
        assertTrue(accuracy >= 0 && accuracy <= 100 && accuracy * 40 / 100 == Math.rint(accuracy * 40 / 100),
                "accuracy in percent of 40 samples: " + accuracy);
        assertEquals((double) space.parameters(a), first.value(Metric.PARAMETERS));
        assertEquals((double) space.multiplyAdds(a), first.value(Metric.FLOPS));
        assertEquals(estimator.costs(a), Map.of(Metric.PARAMETERS, first.value(Metric.PARAMETERS), Metric.FLOPS,
                first.value(Metric.FLOPS)));
    }

    @Test
    void theSameRequestSeedOnTheSameWeightsGivesTheSameNumbers() {
        Architecture a = space().parse("w=4; k=5; a=nor_conv_{k}x{k}; b=avg_pool_3x3");
        SupernetEstimator one = estimator(trained(3));
        SupernetEstimator two = estimator(trained(3));
        assertEquals(one.description(), two.description());
        Evaluation e = evaluate(one, a, 5);
        assertEquals(e.metrics(), evaluate(two, a, 5).metrics());
        // another seed draws other recalibration batches: the same subset, slightly different statistics
        assertNotEquals(e.value(Metric.VALIDATION_LOSS), evaluate(one, a, 6).value(Metric.VALIDATION_LOSS));
        assertNotEquals(one.description(), estimator(trained(4)).description(), "other weights, other text");
    }

    @Test
    void recalibrationSetsTheRunningMeanToTheMeanOfTheCandidatesActivationsOverTheBatches() {
        ComposedSupernet supernet = trained(9);
        // constant images: the stem's convolution output is the image value times a tap sum, so its mean is known
        float[] v = new float[48 * 64];
        int[] labels = new int[48];
        double sum = 0;
        for (int i = 0; i < 48; i++) {
            float c = (float) (0.2 + 1.5 * i / 47);
            java.util.Arrays.fill(v, i * 64, (i + 1) * 64, c);
            labels[i] = i % 3;
            sum += c;
        }
        ImageDataset constant = new ImageDataset(v, labels, 1, 8, 8, 3);
        SupernetEstimator estimator = Estimators.supernet(supernet, constant, VALIDATION).recalibrationBatches(3)
                .batchSize(16).validationSamples(10).build();   // 3 batches of 16: every image once
        Architecture a = supernet.space().parse("w=6; k=3; a=skip_connect; b=avg_pool_3x3");
        Map<String, double[]> before = copy(supernet.states());
        double[] recalibrated = estimator.recalibratedStatistics(a, 1).get("stem.bn.running_mean");
        Parameter conv = supernet.weights().parameters().stream().filter(p -> p.name().equals("stem.conv.weight"))
                .findFirst().orElseThrow();
        double meanImage = sum / 48;
        for (int o = 0; o < 6; o++) {
            double tapMean = 0;   // mean over the 8x8 positions of the sum of the taps inside the padded image
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    tapMean += conv.value().getDouble(o, 0, dy + 1, dx + 1) * (8 - Math.abs(dy)) * (8 - Math.abs(dx))
                            / 64.0;
                }
            }
            assertEquals(meanImage * tapMean, recalibrated[o], 1e-5, "channel " + o);
            assertNotEquals(before.get("stem.bn.running_mean")[o], recalibrated[o], "channel " + o);
        }
        Map<String, double[]> after = supernet.states();
        before.forEach((name, s) -> assertArrayEquals(s, after.get(name), 0.0, name));
    }

    @Test
    void withoutRecalibrationTheSupernetsStatisticsScoreTheCandidate() {
        ComposedSupernet supernet = trained(5);
        Architecture a = supernet.space().parse("w=6; k=3; a=nor_conv_{k}x{k}; b=conv_bn_relu_3x3");
        SupernetEstimator off = Estimators.supernet(supernet, TRAIN, VALIDATION).recalibrationBatches(0)
                .batchSize(16).validationSamples(40).validationSeed(3).build();
        Map<String, double[]> used = off.recalibratedStatistics(a, 1);
        supernet.states().forEach((name, s) -> assertArrayEquals(s, used.get(name), 0.0, name));
        assertNotEquals(evaluate(off, a, 1).value(Metric.VALIDATION_LOSS),
                evaluate(estimator(supernet), a, 1).value(Metric.VALIDATION_LOSS));
    }

    @Test
    void theValidationSubsetIsDrawnOnceBySeed() {
        ComposedSupernet supernet = trained(2);
        SupernetEstimator a = estimator(supernet);
        SupernetEstimator b = estimator(supernet);
        assertEquals(40, a.validationSubset().size());
        assertEquals(labels(a.validationSubset()), labels(b.validationSubset()));
        SupernetEstimator all = Estimators.supernet(supernet, TRAIN, VALIDATION).build();
        assertEquals(VALIDATION.size(), all.validationSubset().size(), "the default takes all of a small set");
        assertTrue(all.description().contains("recalibrationBatches=200"), all.description());
        assertTrue(all.description().contains("batchSize=128"), all.description());
    }

    @Test
    void badInputIsRefusedNamingTheParameterAndValue() {
        ComposedSupernet supernet = trained(1);
        SupernetEstimator.Builder b = Estimators.supernet(supernet, TRAIN, VALIDATION);
        assertEquals("validationSamples must be positive, but was 0",
                assertThrows(IllegalArgumentException.class, () -> b.validationSamples(0)).getMessage());
        assertEquals("recalibrationBatches must be >= 0, but was -1",
                assertThrows(IllegalArgumentException.class, () -> b.recalibrationBatches(-1)).getMessage());
        assertEquals("batchSize must be >= 2, but was 1",
                assertThrows(IllegalArgumentException.class, () -> b.batchSize(1)).getMessage());
        assertEquals("validationSamples must be at most the validation set's 60 samples, but was 61",
                assertThrows(IllegalArgumentException.class, () -> b.validationSamples(61).build()).getMessage());
        ImageDataset wrong = new ImageDataset(new float[2 * 64], new int[2], 1, 8, 8, 10);
        String m = assertThrows(IllegalArgumentException.class,
                () -> Estimators.supernet(supernet, wrong, VALIDATION)).getMessage();
        assertEquals("train must have the supernet's 1x8x8 images and 3 classes (space oneshot), but had 1x8x8 "
                + "and 10", m);
        Architecture foreign = SpaceBuilder.create("other").input(1, 8, 8).classes(3)
                .choice("a", List.of("skip_connect", "max_pool_3x3")).head("pool_linear").build()
                .parse("a=skip_connect");
        SupernetEstimator e = estimator(supernet);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> evaluate(e, foreign, 1)).getMessage()
                .startsWith("architecture must be of the supernet's space oneshot, but was of other"));
    }

    private static List<Integer> labels(ImageDataset d) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            l.add(d.label(i));
        }
        return l;
    }

    private static Map<String, double[]> copy(Map<String, double[]> states) {
        Map<String, double[]> c = new LinkedHashMap<>();
        states.forEach((k, v) -> c.put(k, v.clone()));
        return c;
    }
}
