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
import org.nas4j.spaces.enas.EnasMacroSpace;
import org.nas4j.strategies.Strategies;

/** ENAS' controller searches ENAS' macro space on its shared-weight supernet, as the paper's macro search does. */
class EnasMacroSearchTest {

    @Test
    void theControllerSearchesTheMacroSpace() {
        // 3 layers of 4 filters on the 1x8x8 brightness images: 3 op choices and 3 skip flags
        ComposedSpace space = EnasMacroSpace.small().name("enas-macro-tiny").layers(3).outFilters(4).input(1, 8)
                .build();
        SearchResult r = SearchRunner.builder(space, Strategies.enas(GradientOneShotTest.images(200, 3)).epochs(2)
                        .stepsPerEpoch(2).controllerSteps(4).batchSize(8))
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

    @Test
    void theGenericControllerSearchesTheChannelRangeSpaceOnItsSupernet() {
        // whole_channels=False: 18 ranges of 9 options and 3 skip flags, trained on EnasChannelSupernet
        ComposedSpace space = EnasMacroSpace.small().name("enas-macro-channels-tiny").wholeChannels(false).layers(3)
                .outFilters(4).input(1, 8).build();
        SearchResult r = SearchRunner.builder(space, Strategies.enas(GradientOneShotTest.images(200, 3)).epochs(2)
                        .stepsPerEpoch(2).controllerSteps(4).batchSize(8))
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
