package org.nas4j.estimators.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.BrightnessImages;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.network.DartsFactory;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.darts.Genotypes;
import org.nas4j.spaces.nasbench201.NasBench201Space;

class TrainingEstimatorTest {

    static final TrainTest SMALL = synthetic();
    static final NasBench201Space SPACE = NasBench201Space.builder().channels(4).cellsPerStage(1).inputChannels(1)
            .imageSize(8).build();
    static final Architecture CELL = SPACE.parse(
            "|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_1x1~2|");

    /** Tiny 1x8x8 images whose mean brightness encodes the class: learnable, and cheap enough for busy machines. */
    private static TrainTest synthetic() {
        return new TrainTest(images(160, 1), images(40, 2));
    }

    private static ImageDataset images(int n, long seed) {
        return BrightnessImages.tenClasses(n, seed, 8);
    }

    @Test
    void trainsOnTheShippedFashionMnistShapes() {
        TrainTest all = FashionMnist.bundled();
        NasBench201Space fmnist = NasBench201Space.builder().channels(2).cellsPerStage(1).inputChannels(1)
                .imageSize(28).build();
        Evaluation e = Estimators.training(new TrainTest(all.train().head(64), all.test().head(8))).epochs(1)
                .stepsPerEpoch(2).batchSize(16).validationFraction(0.25).latencyRuns(0).build()
                .evaluate(new EvaluationRequest(0, fmnist.parse(CELL.toString()), 1, 1.0));
        assertEquals((double) fmnist.network().parameters(fmnist.parse(CELL.toString())),
                e.metrics().get(Metric.PARAMETERS));
        assertTrue(e.metrics().containsKey(Metric.VALIDATION_ACCURACY));
    }

    private static TrainingEstimator.Builder quick() {
        return Estimators.training(SMALL).epochs(2).stepsPerEpoch(3).batchSize(16).validationFraction(0.25)
                .latencyRuns(1);
    }

    @Test
    void reportsTheMetricsOfARunAndIsDeterministicPerSeed() {
        TrainingEstimator e = quick().build();
        Evaluation a = e.evaluate(new EvaluationRequest(0, CELL, 7, 1.0));
        Evaluation b = e.evaluate(new EvaluationRequest(1, CELL, 7, 1.0));
        Evaluation c = e.evaluate(new EvaluationRequest(2, CELL, 8, 0.5));
        for (Metric m : new Metric[] {Metric.VALIDATION_ACCURACY, Metric.VALIDATION_LOSS, Metric.TRAIN_ACCURACY}) {
            assertEquals(a.metrics().get(m), b.metrics().get(m), m.name());
        }
        assertNotEquals(a.metrics().get(Metric.VALIDATION_LOSS), c.metrics().get(Metric.VALIDATION_LOSS));
        assertEquals((double) SPACE.network().parameters(CELL), a.metrics().get(Metric.PARAMETERS));
        assertEquals((double) SPACE.network().multiplyAdds(CELL), a.metrics().get(Metric.FLOPS));
        assertEquals(2.0, a.metrics().get(Metric.EPOCHS));
        assertEquals(1.0, c.metrics().get(Metric.EPOCHS), "fidelity 0.5 of 2 epochs");
        double acc = a.metrics().get(Metric.VALIDATION_ACCURACY);
        assertTrue(acc >= 0 && acc <= 100, "valid_acc " + acc);
        assertTrue(a.metrics().get(Metric.LATENCY_MS) > 0);
        assertTrue(a.metrics().get(Metric.TRAINING_SECONDS) > 0);
        assertFalse(a.metrics().containsKey(Metric.TEST_ACCURACY), "test accuracy only when asked for");
        assertFalse(a.pruned());
    }

    @Test
    void absurdLearningRateFailsTheTrialNamingTheEpochAndStep() {
        TrainingEstimator e = quick().learningRate(1e30).cosine(false).epochs(1).build();
        TrainingDivergedException x = assertThrows(TrainingDivergedException.class,
                () -> e.evaluate(new EvaluationRequest(0, CELL, 1, 1.0)));
        assertTrue(x.getMessage().contains("epoch 1 of 1, step"), x.getMessage());
    }

    @Test
    void finalTrainingOnAllDataReportsTestAccuracyOnly() {
        TrainingResult r = quick().validationFraction(0).testAccuracy(true).epochs(1).latencyRuns(0).build()
                .train(CELL, 3);
        assertTrue(r.evaluation().metrics().containsKey(Metric.TEST_ACCURACY));
        assertFalse(r.evaluation().metrics().containsKey(Metric.VALIDATION_ACCURACY));
        assertFalse(r.evaluation().metrics().containsKey(Metric.LATENCY_MS));
        assertEquals(SPACE.network().parameters(CELL), r.network().parameterCount());
    }

    @Test
    void dartsAuxiliaryHeadAndDropPathTrainThroughTheEstimator() {
        DartsSpace darts = DartsSpace.darts();
        Architecture v2 = darts.parse(Genotypes.DARTS_V2.toString());
        TrainTest rgb = new TrainTest(rgb32(24, 1), rgb32(4, 2));
        DartsFactory factory = new DartsFactory(darts, 2, 3, 10, 3, 32);
        TrainingEstimator.Builder b = Estimators.training(rgb).networkFactory(factory).epochs(2).stepsPerEpoch(1)
                .batchSize(4).validationFraction(0.25).latencyRuns(0);
        TrainingEstimator both = b.dropPathProbability(0.2).auxiliaryWeight(0.4).build();
        assertTrue(both.description().contains("dropPathProbability=0.2, auxiliaryWeight=0.4"), both.description());
        // a C=2 network two steps into training: some seeds blow up (seed 5 of the compiled network does)
        TrainingResult r = both.train(v2, 6);
        assertEquals(factory.auxiliaryHead(0.4).build(v2, 0).parameterCount(), r.network().parameterCount());
        assertEquals(0.1, r.network().dropPathRate().orElseThrow().get(), 1e-12, "epoch 1 of 2: 0.2 * 1 / 2");
        assertTrue(Double.isFinite(r.evaluation().metrics().get(Metric.VALIDATION_LOSS)));
        TrainingResult again = both.train(v2, 6);
        assertEquals(r.evaluation().metrics().get(Metric.VALIDATION_LOSS),
                again.evaluation().metrics().get(Metric.VALIDATION_LOSS), "deterministic per seed");
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> quick().auxiliaryWeight(0.4).build());
        assertTrue(x.getMessage().contains("need a DartsFactory"), x.getMessage());
        assertThrows(IllegalArgumentException.class, () -> quick().dropPathProbability(1));
    }

    private static ImageDataset rgb32(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n * 3 * 32 * 32];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
            for (int k = 0; k < 3 * 32 * 32; k++) {
                v[i * 3 * 32 * 32 + k] = (float) (labels[i] * 0.1 + 0.3 * rng.nextDouble());
            }
        }
        return new ImageDataset(v, labels, 3, 32, 32, 10);
    }

    @Test
    void configurationIsValidatedAndDescribed() {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> quick().batchSize(1));
        assertEquals("batchSize must be >= 2, but was 1", x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> quick().validationFraction(0).patience(2).build());
        assertTrue(x.getMessage().contains("patience=2"), x.getMessage());
        assertEquals(quick().build().description(), quick().build().description());
        assertNotEquals(quick().build().description(), quick().epochs(3).build().description());
        NasBench201Space rgb = NasBench201Space.builder().channels(4).cellsPerStage(1).build();
        x = assertThrows(IllegalArgumentException.class,
                () -> quick().build().evaluate(new EvaluationRequest(0, rgb.parse(CELL.toString()), 1, 1)));
        assertTrue(x.getMessage().contains("3x32x32") && x.getMessage().contains("1x8x8"), x.getMessage());
    }
}
