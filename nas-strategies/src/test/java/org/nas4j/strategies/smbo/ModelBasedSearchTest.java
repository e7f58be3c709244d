package org.nas4j.strategies.smbo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.RankCorrelation;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.estimators.tabular.TabularEstimator;
import org.nas4j.spaces.Spaces;
import org.nas4j.strategies.Strategies;

class ModelBasedSearchTest {
    private static final SearchSpace SPACE = Spaces.nasBench201();

    static double formula(Architecture a) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += switch (a.option(i)) {
                case "nor_conv_3x3" -> 3;
                case "nor_conv_1x1" -> 2;
                case "skip_connect" -> 1 + i * 0.1;
                case "avg_pool_3x3" -> 0.5;
                default -> 0;
            };
        }
        return s;
    }

    @Test
    void surrogateRanksUnseenArchitecturesLikeTheFormula() {
        Surrogate s = new Surrogate(SPACE, 5, new int[] {32, 32}, 0.01, 1000, 32, 1);
        SplitMix64 rng = new SplitMix64(2);
        List<double[]> xs = new ArrayList<>();
        double[] ys = new double[100];
        for (int i = 0; i < ys.length; i++) {
            Architecture a = SPACE.sample(rng);
            xs.add(s.encode(a));
            ys[i] = formula(a);
        }
        s.fit(xs, ys, rng);
        double[] truth = new double[300];
        double[] predicted = new double[300];
        for (int i = 0; i < truth.length; i++) {
            Architecture a = SPACE.sample(rng);
            truth[i] = formula(a);
            predicted[i] = s.predict(s.encode(a));
        }
        double rho = RankCorrelation.spearman(truth, predicted);
        assertTrue(rho > 0.9, "Spearman correlation on unseen architectures " + rho);
    }

    @Test
    void paretoSelectionTakesThePredictedFrontFirst() {
        SplitMix64 rng = new SplitMix64(3);
        double[] acc = new double[400];
        double[] cost = new double[400];
        for (int i = 0; i < acc.length; i++) {
            acc[i] = rng.nextDouble();
            cost[i] = acc[i] + 0.3 * rng.nextDouble(); // accuracy costs: a real trade-off
        }
        Set<Integer> front = new HashSet<>();
        for (int i = 0; i < acc.length; i++) {
            boolean dominated = false;
            for (int j = 0; j < acc.length && !dominated; j++) {
                dominated = acc[j] >= acc[i] && cost[j] <= cost[i] && (acc[j] > acc[i] || cost[j] < cost[i]);
            }
            if (!dominated) {
                front.add(i);
            }
        }
        List<Integer> small = ModelBasedSearch.paretoSelect(acc, cost, 3);
        assertEquals(3, small.size());
        assertTrue(front.containsAll(small), "with k <= |front| every choice is Pareto-optimal");
        List<Integer> large = ModelBasedSearch.paretoSelect(acc, cost, front.size() + 5);
        assertTrue(new HashSet<>(large.subList(0, front.size())).equals(front), "the whole front comes first");
        assertEquals(front.size() + 5, new HashSet<>(large).size());
    }

    @Test
    void popnasRunsOnTheTableWithParameterCostsAndNeverRepeatsAnArchitecture() {
        // the Pareto property of each round's choice is paretoSelectionTakesThePredictedFrontFirst's
        TabularEstimator table = TabularEstimator.nasBench201Cifar10();
        SearchResult r = SearchRunner.builder(table.space(), Strategies.popnas()).estimator(table)
                .budget(Budget.trials(60)).seed(1).build().run();
        assertEquals(60, r.trials().size());
        assertEquals(60, r.trials().stream().map(t -> t.architecture().key()).distinct().count());
    }

    @Test
    void asksWaitForTheRoundAndNeverStallWithNothingInFlight() {
        Strategy s = Strategies.pnas().beamSize(4).initialSize(6)
                .create(new SearchContext(SPACE, Objective.maximize(Metric.VALIDATION_ACCURACY), 5));
        List<Proposal> round = new ArrayList<>();
        Ask p;
        while ((p = s.ask()).isProposal()) {
            round.add(p.proposal());
        }
        assertEquals(Ask.waitForTrials(), p, "the round is in flight");
        assertEquals(6, round.size(), "the initial round");
        int id = 0;
        for (int k = 0; k < 5; k++) {
            for (Proposal q : round) {
                assertFalse(k > 0 && round.size() != 4, "rounds after the first have beamSize proposals");
                s.tell(new Trial(id++, q.architecture(), TrialState.COMPLETE,
                        Map.of(Metric.VALIDATION_ACCURACY, formula(q.architecture())), "", 0, 1, 0));
            }
            round.clear();
            while ((p = s.ask()).isProposal()) {
                round.add(p.proposal());
            }
            assertEquals(Ask.waitForTrials(), p);
            assertEquals(4, round.size());
        }
    }

    @Test
    void resumedFromAKilledJournalEndsAsTheUninterruptedSearch(@TempDir Path dir) {
        TabularEstimator table = TabularEstimator.nasBench201Cifar10();
        StrategyFactory pnas = Strategies.pnas();
        SearchResult full = run(table, pnas, 45, null);
        run(table, pnas, 23, dir);
        SearchResult resumed = run(table, pnas, 45, dir);
        assertEquals(full.trials().stream().map(t -> t.architecture().toString()).toList(),
                resumed.trials().stream().map(t -> t.architecture().toString()).toList());
    }

    @Test
    void pnasBeatsRandomSearchOnTheTableAt100Trials() {
        TabularEstimator table = TabularEstimator.nasBench201Cifar10();
        double pnas = 0;
        double rs = 0;
        for (int seed = 0; seed < 8; seed++) {
            pnas += runBest(table, Strategies.pnas(), seed);
            rs += runBest(table, Strategies.randomSearch(), seed);
        }
        assertTrue(pnas > rs, "PNAS mean " + pnas / 8 + " should beat RS mean " + rs / 8);
    }

    @Test
    void buildersNameTheBadParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Strategies.pnas().beamSize(0));
        assertEquals("beamSize must be in [1, 10000], but was 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.popnas().costMetric(Metric.TEST_ACCURACY));
        assertEquals("costMetric must be visible to strategies, but was test_acc", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CandidateGenerator.randomAndMutated(-1, 1, 1));
        assertEquals("random must be >= 0, but was -1", e.getMessage());
    }

    private static double runBest(TabularEstimator table, StrategyFactory f, long seed) {
        return run(table, f, 100, null, seed).best().value(Metric.VALIDATION_ACCURACY);
    }

    private static SearchResult run(TabularEstimator table, StrategyFactory f, int trials, Path journal) {
        return run(table, f, trials, journal, 7);
    }

    private static SearchResult run(TabularEstimator table, StrategyFactory f, int trials, Path journal, long seed) {
        SearchRunner.Builder b = SearchRunner.builder(table.space(), f).estimator(table).budget(Budget.trials(trials))
                .parallelism(3).seed(seed);
        if (journal != null) {
            b.journal(journal);
        }
        return b.build().run();
    }
}
