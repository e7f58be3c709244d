package org.nas4j.estimators.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.BrightnessImages;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.network.NasBench101Factory;
import org.nas4j.spaces.nasbench101.NasBench101Space;

class NasBench101TrainingTest {

    static final NasBench101Space SPACE = NasBench101Space.create();

    /** Tiny 1x8x8 images whose mean brightness encodes the class. */
    private static ImageDataset images(int n, long seed) {
        return BrightnessImages.tenClasses(n, seed, 8);
    }

    @Test
    void trainingEstimatorTrainsASampledArchitectureWithTheNb101Factory() {
        NasBench101Factory tiny = NasBench101Factory.builder(SPACE).inputChannels(1).imageSize(8).stemChannels(4)
                .stacks(2).cellsPerStack(1).batchNormMomentum(0.1).build();
        Architecture a = SPACE.sample(new SplittableRandom(3));
        TrainingEstimator e = Estimators.training(new TrainTest(images(96, 1), images(16, 2))).epochs(1)
                .stepsPerEpoch(3).batchSize(16).validationFraction(0.25).latencyRuns(0).networkFactory(tiny).build();
        Evaluation r = e.evaluate(new EvaluationRequest(0, a, 5, 1.0));
        assertEquals((double) tiny.network().parameters(SPACE.cell(a)), r.metrics().get(Metric.PARAMETERS));
        double acc = r.metrics().get(Metric.VALIDATION_ACCURACY);
        assertTrue(acc >= 0 && acc <= 100, "valid_acc " + acc);
        assertTrue(Double.isFinite(r.metrics().get(Metric.VALIDATION_LOSS)));
        assertEquals(r.metrics().get(Metric.VALIDATION_LOSS),
                e.evaluate(new EvaluationRequest(1, a, 5, 1.0)).metrics().get(Metric.VALIDATION_LOSS), "same seed");
    }

    @Test
    void theDefaultFactoryIsTheBenchmarksAndRefusesOtherImageShapes() {
        TrainingEstimator e = Estimators.training(new TrainTest(images(32, 1), images(8, 2))).epochs(1)
                .stepsPerEpoch(1).batchSize(16).latencyRuns(0).build();
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> e.train(SPACE.sample(new SplittableRandom(1)), 1));
        assertTrue(x.getMessage().contains("3x32x32") && x.getMessage().contains("networkFactory"), x.getMessage());
    }
}
