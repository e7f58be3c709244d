package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.spaces.Spaces;
import org.nas4j.strategies.evolution.LargeScaleEvolution;

class LargeScaleEvolutionTest {
    private static final SearchSpace SPACE = Spaces.nasBench201();

    private static Trial trial(int id, Architecture a) {
        return new Trial(id, a, TrialState.COMPLETE,
                Map.of(Metric.VALIDATION_ACCURACY, StrategyContractTest.formula(a)), "", 0, 1, 0);
    }

    @Test
    void populationShrinksAtEachAskAndGrowsBackAtEachTell() {
        LargeScaleEvolution.Search s = (LargeScaleEvolution.Search) Strategies.largeScaleEvolution().populationSize(8)
                .create(new SearchContext(SPACE, Objective.maximize(Metric.VALIDATION_ACCURACY), 1));
        int id = 0;
        List<Architecture> initial = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            initial.add(s.ask().orElseThrow().architecture());
        }
        assertEquals(0, s.populationSize());
        for (Architecture a : initial) {
            s.tell(trial(id++, a));
        }
        assertEquals(8, s.populationSize());
        // three children in flight: three individuals killed
        List<Proposal> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(s.ask().orElseThrow());
            assertEquals(8 - i - 1, s.populationSize());
        }
        for (Proposal p : children) {
            s.tell(trial(id++, p.architecture()));
        }
        assertEquals(8, s.populationSize());
    }

    @Test
    void theBestIndividualIsNeverKilledAndEveryChildIsAMutation() {
        LargeScaleEvolution.Search s = (LargeScaleEvolution.Search) Strategies.largeScaleEvolution().populationSize(6)
                .create(new SearchContext(SPACE, Objective.maximize(Metric.VALIDATION_ACCURACY), 2));
        Map<String, Architecture> alive = new HashMap<>();
        for (int id = 0; id < 200; id++) {
            Architecture a = s.ask().orElseThrow().architecture();
            if (id >= 6) {
                boolean mutant = alive.values().stream().anyMatch(p -> differences(p, a) == 1);
                assertTrue(mutant, "child " + id + " is not a one-choice mutation of a living individual");
            }
            s.tell(trial(id, a));
            alive.put(a.toString(), a);
        }
        // the best score ever seen survives: a pairwise tournament never kills the better of the two
        double best = alive.values().stream().mapToDouble(StrategyContractTest::formula).max().orElseThrow();
        String saved = s.saveState().toString();
        assertTrue(saved.contains("\"score\":" + Double.doubleToRawLongBits(best)), "best " + best + " was killed");
    }

    @Test
    void populationSizeIsValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.largeScaleEvolution().populationSize(1));
        assertEquals("populationSize must be in [2, 1000000], but was 1", e.getMessage());
    }

    private static int differences(Architecture a, Architecture b) {
        int d = 0;
        for (int i = 0; i < a.size(); i++) {
            d += a.index(i) != b.index(i) ? 1 : 0;
        }
        return d;
    }
}
