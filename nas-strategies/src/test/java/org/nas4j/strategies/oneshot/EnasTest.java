package org.nas4j.strategies.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.estimators.network.WeightSharing;
import org.nas4j.strategies.Strategies;
import org.nd4j.linalg.api.buffer.DataType;

class EnasTest {

    private static SearchResult run(Enas enas, Path journal, Budget budget) {
        SearchRunner.Builder b = SearchRunner.builder(GradientOneShotTest.NB201, enas)
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)).budget(budget).seed(8);
        if (journal != null) {
            b.journal(journal);
        }
        return b.build().run();
    }

    private static Enas small() {
        return Strategies.enas(GradientOneShotTest.images(200, 3)).epochs(2).stepsPerEpoch(2).controllerSteps(4)
                .batchSize(8);
    }

    @Test
    void theControllerProposesRewardedSamplesAfterEachSharedWeightEpoch() {
        SearchResult r = run(small(), null, Budget.trials(100));
        assertEquals(8, r.trials().size());
        for (Trial t : r.trials()) {
            assertEquals(TrialState.COMPLETE, t.state(), t.reason());
            double reward = t.metrics().get(Metric.VALIDATION_ACCURACY);
            assertTrue(reward >= 0 && reward <= 100, "reward " + reward);
            assertEquals(t.id() < 4 ? 1.0 : 2.0, t.metrics().get(Metric.EPOCHS));
        }
    }

    @Test
    void handsItsTrainedSupernetOverOnceWhenTheSearchEndsAndNotWhenItIsCut() {
        List<ComposedSupernet> handed = new ArrayList<>();
        SearchResult r = run(small().whenTrained(handed::add), null, Budget.trials(100));
        assertEquals(8, r.trials().size());
        assertEquals(1, handed.size(), "once, at the end");
        ComposedSupernet net = handed.get(0);
        assertEquals(GradientOneShotTest.NB201, net.space());
        // trained: its weights are no longer those the search compiled it with (the search's weights seed: the
        // runner's seed 8 -> the strategy's seed -> "weights", as Enas.Search derives it)
        ComposedSupernet untrained = ComposedSupernet.compile(GradientOneShotTest.NB201, PathPolicies.singlePath(0),
                ModuleCatalogue.standard(), DataType.FLOAT, Seeds.derive(Seeds.derive(8, "strategy"), "weights"),
                WeightSharing.PLAIN);
        assertEquals(untrained.weights().values().length(), net.weights().values().length());
        assertNotEquals(untrained.weights().values(), net.weights().values());

        List<ComposedSupernet> cut = new ArrayList<>();
        assertEquals(5, run(small().whenTrained(cut::add), null, Budget.trials(5)).trials().size());
        assertEquals(List.of(), cut, "a search cut in its last epoch hands nothing over");
    }

    @Test
    void aSearchStoppedInItsSecondEpochResumesAndEndsAsAnUninterruptedOne(@TempDir Path dir) {
        SearchResult whole = run(small(), dir.resolve("whole"), Budget.trials(100));
        SearchResult first = run(small(), dir.resolve("cut"), Budget.trials(5));
        assertEquals(5, first.trials().size());
        assertTrue(Files.exists(dir.resolve("cut").resolve(Enas.CHECKPOINT)));
        SearchResult resumed = run(small(), dir.resolve("cut"), Budget.trials(100));
        assertEquals(whole.trials().size(), resumed.trials().size());
        for (int i = 0; i < whole.trials().size(); i++) {
            assertEquals(whole.trials().get(i).architecture(), resumed.trials().get(i).architecture(), "trial " + i);
            assertEquals(whole.trials().get(i).metrics().get(Metric.VALIDATION_ACCURACY),
                    resumed.trials().get(i).metrics().get(Metric.VALIDATION_ACCURACY), "trial " + i);
        }
    }
}
