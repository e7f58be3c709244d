package org.nas4j.strategies.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.CheckpointableStrategy;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.enas.EnasMicroSpace;
import org.nas4j.strategies.Strategies;
import org.nas4j.strategies.learning.ModelState;
import org.nas4j.strategies.rl.Policy;
import org.nas4j.strategies.rl.Reinforce;

/** ENAS with the reference's micro controller: it learns from rewards, and a cut search resumes exactly. */
class EnasMicroControllerSearchTest {
    private static final ComposedSpace SEARCH = EnasMicroSpace.searchChild();
    private static final int OP = 3;

    /** The share of op positions (odd choices) of {@code samples} arcs drawn from {@code p} that hold {@link #OP}. */
    private static double opShare(Policy p, int samples, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        int hits = 0;
        int total = 0;
        for (int n = 0; n < samples; n++) {
            int[] arc = p.sample(rng);
            for (int i = 1; i < arc.length; i += 2) {
                hits += arc[i] == OP ? 1 : 0;
                total++;
            }
        }
        return (double) hits / total;
    }

    @Test
    void aRewardForOneOpRaisesThatOpsProbability() {
        // the reference's controller and update, a larger learning rate and a step per sample so that 300 trials
        // move it: the reward is the percentage of op positions that hold op 3
        Reinforce config = Enas.microController().learningRate(0.02).aggregate(1);
        Strategy s = config.create(new SearchContext(SEARCH, Objective.maximize(Metric.VALIDATION_ACCURACY), 5));
        for (int i = 0; i < 300; i++) {
            Architecture a = s.ask().proposal().architecture();
            double share = 0;
            for (int j = 1; j < a.size(); j += 2) {
                share += a.index(j) == OP ? 5 : 0;   // 20 op positions: 5 points each
            }
            s.tell(new Trial(i, a, TrialState.COMPLETE, Map.of(Metric.VALIDATION_ACCURACY, share), "", 0, 1, 0));
        }
        Policy before = config.policy(SEARCH, 5);
        Policy after = config.policy(SEARCH, 5);
        ModelState.restoreValues(((CheckpointableStrategy) s).saveState().get("parameters"), after.parameters(),
                "controller");
        double was = opShare(before, 200, 1);
        double is = opShare(after, 200, 1);
        // The op logits are bounded by c / opTanhReduce = 0.44 (plus the normal cell's -0.25 for op 3), so p(op 3)
        // cannot pass 0.31 in the normal cell and 0.375 in the reduction cell: from about 0.15 the rise is at most
        // about 0.19. 4000 op draws each (seeded): a standard error of the difference below 0.01 for independent
        // draws; a rise of 0.05 is 5 of them (the run gives 0.15 -> 0.24). A controller that ignored the reward
        // would stay at the first share.
        assertTrue(is > was + 0.05, "share of op " + OP + " went from " + was + " to " + is);
    }

    private static Enas tiny() {
        return Strategies.enas(GradientOneShotTest.images(200, 3)).epochs(2).stepsPerEpoch(2).controllerSteps(4)
                .batchSize(8).controller(Enas.microController().aggregate(3));
    }

    private static SearchResult run(ComposedSpace space, Enas enas, Path journal, Budget budget) {
        return SearchRunner.builder(space, enas).objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
                .budget(budget).seed(8).journal(journal).build().run();
    }

    @Test
    void aCutSearchWithTheMicroControllerResumesAsAnUninterruptedOne(@TempDir Path dir) {
        // 3 layers (5 cells) of 2 nodes, 4 filters, on 1x8x8 images, as EnasMicroSearchTest; 3 samples per
        // controller step, so a step's partial sum crosses the cut and the checkpoint must carry it
        ComposedSpace space = EnasMicroSpace.small().name("enas-micro-search-tiny").searchChild(true).layers(3)
                .outFilters(4).nodes(2).input(1, 8).build();
        SearchResult whole = run(space, tiny(), dir.resolve("whole"), Budget.trials(100));
        SearchResult first = run(space, tiny(), dir.resolve("cut"), Budget.trials(5));
        assertEquals(5, first.trials().size());
        assertTrue(Files.exists(dir.resolve("cut").resolve(Enas.CHECKPOINT)));
        SearchResult resumed = run(space, tiny(), dir.resolve("cut"), Budget.trials(100));
        assertEquals(8, whole.trials().size());
        assertEquals(whole.trials().size(), resumed.trials().size());
        for (int i = 0; i < whole.trials().size(); i++) {
            Trial t = whole.trials().get(i);
            assertEquals(TrialState.COMPLETE, t.state(), t.reason());
            assertTrue(space.isValid(t.architecture()));
            assertEquals(t.architecture(), resumed.trials().get(i).architecture(), "trial " + i);
            assertEquals(t.metrics().get(Metric.VALIDATION_ACCURACY),
                    resumed.trials().get(i).metrics().get(Metric.VALIDATION_ACCURACY), "trial " + i);
        }
        assertTrue(tiny().configuration().contains("ENAS_MICRO"), tiny().configuration());
    }
}
