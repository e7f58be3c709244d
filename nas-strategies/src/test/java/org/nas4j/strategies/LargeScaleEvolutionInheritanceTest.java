package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.training.TrainingEstimator;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nas4j.strategies.evolution.LargeScaleEvolution;

/**
 * Large-scale evolution with weight inheritance, end to end: real training of tiny NAS-Bench-201 networks on a few
 * images of the shipped Fashion-MNIST subset, children started from their tournament winners' trained weights.
 */
class LargeScaleEvolutionInheritanceTest {
    private static final NasBench201Space SPACE = NasBench201Space.builder().channels(2).cellsPerStage(1)
            .inputChannels(1).imageSize(28).build();

    private static TrainingEstimator.Builder tiny() {
        TrainTest all = FashionMnist.bundled();
        return Estimators.training(new TrainTest(all.train().head(64), all.test().head(8))).epochs(1)
                .stepsPerEpoch(2).batchSize(16).validationFraction(0.25).latencyRuns(0);
    }

    @Test
    void childrenStartFromTheirTournamentWinnersTrainedWeights(@TempDir Path dir) throws Exception {
        LargeScaleEvolution lse = Strategies.largeScaleEvolution().populationSize(3).weightInheritance(true);
        SearchResult r = SearchRunner.builder(SPACE, lse)
                .estimator(tiny().weightInheritance(dir.resolve("weights")).build())
                .budget(Budget.trials(8)).parallelism(2).seed(3).journal(dir.resolve("journal")).build().run();
        List<Trial> trials = r.trials();
        assertEquals(8, trials.size());
        int children = 0;
        for (Trial t : trials) {
            assertTrue(t.isComplete(), t.toString());
            assertTrue(Files.exists(dir.resolve("weights").resolve("trial-" + t.id() + ".weights")), "trial " + t.id());
            if (t.id() < 3) {
                assertTrue(t.parent().isEmpty(), "the initial population has no parents: " + t);
                continue;
            }
            int parent = t.parent().orElseThrow();
            assertTrue(parent < t.id());
            double inherited = t.value(Metric.INHERITED_PARAMETERS);
            // a mutation to or from a parameter-free op (skip, pooling, none) can leave every array inherited
            assertTrue(inherited > 0 && inherited <= t.value(Metric.PARAMETERS), "trial " + t.id() + " inherited "
                    + inherited + " of " + t.value(Metric.PARAMETERS));
            children++;
        }
        assertEquals(5, children);
        String journal = Files.readString(dir.resolve("journal").resolve("journal.jsonl"));
        assertTrue(journal.contains("\"parent\":"), journal);
        assertTrue(journal.contains("\"inherited_params\":"), journal);
    }

    private static SearchResult search(Path dir, int trials) {
        return SearchRunner.builder(SPACE, Strategies.largeScaleEvolution().populationSize(3).weightInheritance(true))
                .estimator(tiny().weightInheritance(dir.resolve("weights")).build())
                .budget(Budget.trials(trials)).parallelism(2).seed(5).journal(dir.resolve("journal")).build().run();
    }

    @Test
    void aResumedSearchFindsTheWeightsWrittenBeforeItStopped(@TempDir Path dir) {
        SearchResult uninterrupted = search(dir.resolve("a"), 7);
        search(dir.resolve("b"), 4);
        SearchResult resumed = search(dir.resolve("b"), 7);
        for (int id = 0; id < 7; id++) {
            Trial a = uninterrupted.trials().get(id);
            Trial b = resumed.trials().get(id);
            assertEquals(a.parent(), b.parent(), "trial " + id);
            assertEquals(a.value(Metric.INHERITED_PARAMETERS), b.value(Metric.INHERITED_PARAMETERS), "trial " + id);
            assertEquals(a.value(Metric.VALIDATION_LOSS), b.value(Metric.VALIDATION_LOSS), "trial " + id);
        }
        assertTrue(resumed.trials().subList(4, 7).stream().anyMatch(t -> t.parent().orElse(9) < 4
                && t.value(Metric.INHERITED_PARAMETERS) > 0), "a child after the restart inherits from a trial "
                + "trained before it");
    }

    @Test
    void askingForInheritanceWithAnEstimatorThatKeepsNoWeightsIsRefused() {
        TrainingEstimator plain = tiny().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SearchRunner.builder(SPACE, Strategies.largeScaleEvolution().weightInheritance(true))
                        .estimator(plain).build());
        assertTrue(e.getMessage().startsWith("strategy large-scale-evolution(populationSize=20, weightInheritance=true)"
                + " asks for weight inheritance, but estimator training("), e.getMessage());
        assertTrue(e.getMessage().contains("does not support it"), e.getMessage());
    }
}
