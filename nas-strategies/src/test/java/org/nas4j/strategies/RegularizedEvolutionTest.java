package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.tabular.TabularEstimator;
import org.nas4j.spaces.Spaces;

class RegularizedEvolutionTest {
    private static final TabularEstimator TABLE = TabularEstimator.nasBench201Cifar10();

    @Test
    void firstPopulationIsRandomThenEveryChildIsAOneEdgeMutation() {
        SearchResult r = run(Strategies.regularizedEvolution().populationSize(10).sampleSize(3), 60, 1, null);
        List<Trial> t = r.trials();
        Set<Architecture> earlier = new HashSet<>();
        for (int i = 0; i < t.size(); i++) {
            Architecture a = t.get(i).architecture();
            if (i >= 10) {
                boolean mutant = false;
                for (Architecture p : earlier) {
                    mutant |= differences(p, a) == 1;
                }
                assertTrue(mutant, "trial " + i + " is not a one-edge mutation of an earlier trial");
            }
            earlier.add(a);
        }
    }

    @Test
    void resumedFromAKilledJournalEndsAsTheUninterruptedSearch(@TempDir Path dir) {
        SearchResult full = run(Strategies.regularizedEvolution(), 100, 2, null, 2);
        run(Strategies.regularizedEvolution(), 37, 2, dir, 2);
        SearchResult resumed = run(Strategies.regularizedEvolution(), 100, 2, dir, 2);
        assertEquals(100, resumed.trials().size());
        assertEquals(texts(full), texts(resumed));
    }

    @Test
    void evolutionBeatsRandomSearchOnAverage() {
        double rea = 0;
        double rs = 0;
        for (int seed = 0; seed < 20; seed++) {
            rea += run(Strategies.regularizedEvolution(), 100, seed, null).best().value(Metric.VALIDATION_ACCURACY);
            rs += run(Strategies.randomSearch(), 100, seed, null).best().value(Metric.VALIDATION_ACCURACY);
        }
        assertTrue(rea > rs, "REA mean " + rea / 20 + " should beat RS mean " + rs / 20);
    }

    private static SearchResult run(org.nas4j.core.search.StrategyFactory s, int trials, long seed, Path journal) {
        return run(s, trials, seed, journal, 1);
    }

    private static SearchResult run(org.nas4j.core.search.StrategyFactory s, int trials, long seed, Path journal,
                                    int parallelism) {
        SearchRunner.Builder b = SearchRunner.builder(Spaces.nasBench201(), s).estimator(TABLE)
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)).budget(Budget.trials(trials))
                .parallelism(parallelism).seed(seed);
        if (journal != null) {
            b.journal(journal);
        }
        return b.build().run();
    }

    private static List<String> texts(SearchResult r) {
        List<String> out = new ArrayList<>();
        r.trials().forEach(t -> out.add(t.architecture() + " " + t.metrics()));
        return out;
    }

    private static int differences(Architecture a, Architecture b) {
        int d = 0;
        for (int i = 0; i < a.size(); i++) {
            d += a.index(i) != b.index(i) ? 1 : 0;
        }
        return d;
    }
}
