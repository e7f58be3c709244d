package org.nas4j.strategies.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.enas.EnasMicroSpace;
import org.nas4j.strategies.Strategies;

/**
 * ENAS' controller searches the micro space's search child on its shared-weight supernet (per-input-state weights,
 * the unused states projected), as the paper's micro search does; a smoke test, not a reproduction.
 */
class EnasMicroSearchTest {

    @Test
    void theControllerSearchesTheMicroSearchChild() {
        // 3 layers (5 cells) of 2 nodes, 4 filters, on the 1x8x8 brightness images: 16 choices (8 per cell)
        ComposedSpace space = EnasMicroSpace.small().name("enas-micro-search-tiny").searchChild(true).layers(3)
                .outFilters(4).nodes(2).input(1, 8).build();
        // rewards as the reference's micro search computes them: batch statistics and dropout (build_valid_rl)
        Enas enas = Strategies.enas(GradientOneShotTest.images(200, 3)).epochs(2).stepsPerEpoch(2).controllerSteps(4)
                .batchSize(8).rewardsInTrainingMode(true);
        assertTrue(enas.configuration().contains("rewardsInTrainingMode"), enas.configuration());
        SearchResult r = SearchRunner.builder(space, enas)
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)).budget(Budget.trials(100)).seed(8)
                .build().run();
        assertEquals(8, r.trials().size());
        for (Trial t : r.trials()) {
            assertEquals(TrialState.COMPLETE, t.state(), t.reason());
            assertTrue(space.isValid(t.architecture()), t.architecture().toString());
            double reward = t.metrics().get(Metric.VALIDATION_ACCURACY);
            assertTrue(reward >= 0 && reward <= 100, "reward " + reward);
        }
    }
}
