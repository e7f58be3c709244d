package org.nas4j.estimators.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.network.TrainableNetwork;

/** Weight inheritance of {@link TrainingEstimator}: the store, the initialisation of a child, a missing parent. */
class WeightInheritanceTest {
    private static final Architecture PARENT = TrainingEstimatorTest.CELL;
    /** The parent with its edge 1<-0 changed from nor_conv_3x3 to nor_conv_1x1: a one-edge mutation. */
    private static final Architecture CHILD = TrainingEstimatorTest.SPACE.parse(
            "|nor_conv_1x1~0|+|skip_connect~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_1x1~2|");

    private static TrainingEstimator.Builder quick() {
        return Estimators.training(TrainingEstimatorTest.SMALL).epochs(2).stepsPerEpoch(3).batchSize(16)
                .validationFraction(0.25).latencyRuns(0);
    }

    private static Map<String, TrainedWeights.NamedArray> values(TrainableNetwork net) {
        return TrainedWeights.of(net).parameters();
    }

    @Test
    void theStoreKeepsTheExactTrainedValuesAndBatchNormStatisticsOfATrial(@TempDir Path dir) {
        TrainingEstimator estimator = quick().weightInheritance(dir).build();
        TrainingResult trained = estimator.train(PARENT, 7);
        WeightStore store = estimator.weightStore().orElseThrow();
        store.save(3, trained.network());
        assertTrue(Files.exists(dir.resolve("trial-3.weights")));
        TrainedWeights loaded = store.load(3).orElseThrow();
        TrainedWeights original = TrainedWeights.of(trained.network());
        assertEquals(original.parameters().keySet(), loaded.parameters().keySet());
        original.parameters().forEach((name, a) -> {
            assertArrayEquals(a.shape(), loaded.parameters().get(name).shape(), name);
            assertArrayEquals(a.values(), loaded.parameters().get(name).values(), 0.0, name);
        });
        assertTrue(loaded.states().containsKey("stem.bn.running_mean"), loaded.states().keySet().toString());
        original.states().forEach((name, v) -> assertArrayEquals(v, loaded.states().get(name), 0.0, name));
        assertEquals(trained.network().parameterCount(), loaded.size());
        assertTrue(store.load(4).isEmpty(), "a trial without a file has no weights");
    }

    @Test
    void aChildStartsFromItsParentsTrainedValuesWhereNameAndShapeMatch(@TempDir Path dir) {
        TrainingEstimator estimator = quick().weightInheritance(dir).build();
        Evaluation parentMetrics = estimator.evaluate(new EvaluationRequest(0, PARENT, 7, 1.0));
        assertFalse(parentMetrics.metrics().containsKey(Metric.INHERITED_PARAMETERS), "no parent, no metric");
        TrainedWeights parent = estimator.weightStore().orElseThrow().load(0).orElseThrow();

        long childSeed = 11;
        TrainableNetwork fresh = estimator.factory(CHILD).build(CHILD, Seeds.derive(childSeed, "initial weights"));
        Map<String, TrainedWeights.NamedArray> initial = values(fresh);
        TrainableNetwork child = estimator.factory(CHILD).build(CHILD, Seeds.derive(childSeed, "initial weights"));
        TrainedWeights.Inherited inherited = parent.initialise(child);

        long expected = 0;
        int kept = 0;
        for (Parameter p : child.parameters().parameters()) {
            double[] now = values(child).get(p.name()).values();
            TrainedWeights.NamedArray fromParent = parent.parameters().get(p.name());
            if (fromParent != null && java.util.Arrays.equals(fromParent.shape(), p.shape())) {
                assertArrayEquals(fromParent.values(), now, 0.0, p.name() + " must hold the parent's trained values");
                expected += p.length();
            } else {
                assertArrayEquals(initial.get(p.name()).values(), now, 0.0, p.name() + " keeps its initial values");
                kept++;
            }
        }
        assertEquals(expected, inherited.values());
        assertTrue(inherited.values() > 0 && kept > 0, "some inherited, some not: " + inherited + ", kept " + kept);
        assertTrue(child.parameters().parameters().stream().anyMatch(p -> p.name().contains("conv1x1")
                && !parent.parameters().containsKey(p.name())), "the mutated edge has new parameters");
        double[] runningMean = child.parameters().states().get("stem.bn.running_mean");
        assertArrayEquals(parent.states().get("stem.bn.running_mean"), runningMean, 0.0);
        assertNotEquals(0.0, runningMean[0], "the parent's statistics were trained, not the initial zeros");
        assertEquals(child.parameters().states().size(), inherited.states() + (int) child.parameters().states()
                .keySet().stream().filter(k -> !parent.states().containsKey(k)).count());

        // the estimator's own path reports the same count, and stores the child for its own children
        Evaluation childMetrics = estimator.evaluate(new EvaluationRequest(1, CHILD, childSeed, 1.0,
                OptionalInt.of(0)));
        assertEquals((double) inherited.values(), childMetrics.metrics().get(Metric.INHERITED_PARAMETERS));
        assertTrue(Files.exists(dir.resolve("trial-1.weights")));
        Evaluation scratch = quick().build().evaluate(new EvaluationRequest(1, CHILD, childSeed, 1.0));
        assertNotEquals(scratch.metrics().get(Metric.VALIDATION_LOSS), childMetrics.metrics().get(
                Metric.VALIDATION_LOSS), "inheriting changes the training");
    }

    @Test
    void aMissingParentMeansTrainingFromScratch(@TempDir Path dir) {
        TrainingEstimator estimator = quick().weightInheritance(dir).build();
        Evaluation orphan = estimator.evaluate(new EvaluationRequest(6, CHILD, 5, 1.0, OptionalInt.of(2)));
        Evaluation scratch = quick().build().evaluate(new EvaluationRequest(6, CHILD, 5, 1.0));
        assertEquals(0.0, orphan.metrics().get(Metric.INHERITED_PARAMETERS));
        for (Metric m : new Metric[] {Metric.VALIDATION_ACCURACY, Metric.VALIDATION_LOSS, Metric.TRAIN_ACCURACY}) {
            assertEquals(scratch.metrics().get(m), orphan.metrics().get(m), m.name());
        }
    }

    @Test
    void inheritanceIsOptIn(@TempDir Path dir) throws Exception {
        TrainingEstimator plain = quick().build();
        TrainingEstimator inheriting = quick().weightInheritance(dir).build();
        assertFalse(plain.supportsWeightInheritance());
        assertTrue(inheriting.supportsWeightInheritance());
        assertTrue(plain.description().endsWith(", weightInheritance=false)"), plain.description());
        assertTrue(inheriting.description().endsWith(", weightInheritance=true)"), inheriting.description());
        Evaluation e = plain.evaluate(new EvaluationRequest(1, CHILD, 5, 1.0, OptionalInt.of(0)));
        assertFalse(e.metrics().containsKey(Metric.INHERITED_PARAMETERS), "parents are ignored without the option");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing stored without the option");
        }
        Path file = Files.createFile(dir.resolve("not-a-directory"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> quick().weightInheritance(file));
        assertEquals("weight store directory must be a directory, but " + file + " is a file", bad.getMessage());
    }
}
