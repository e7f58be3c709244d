package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.estimators.tabular.TabularEstimator;
import org.nas4j.spaces.Spaces;
import org.nas4j.strategies.rl.Reinforce;
import org.nas4j.strategies.smbo.CandidateGenerator;

/**
 * Every strategy builder gives the same configuration whatever the order of its setters: setters check only their
 * own argument, rules between settings are checked once, by validate(), which SearchRunner.build() and create() call.
 */
class BuilderOrderTest {

    private static void sameConfiguration(StrategyFactory a, StrategyFactory b) {
        assertEquals(a.configuration(), b.configuration());
        assertEquals(a.name(), b.name());
    }

    @Test
    void randomSearch() {
        sameConfiguration(Strategies.randomSearch().maxAttempts(5), Strategies.randomSearch().maxAttempts(7)
                .maxAttempts(5));
    }

    @Test
    void regularizedEvolutionInEitherOrder() {
        // populationSize(2).sampleSize(1) used to throw: the default sampleSize 3 exceeded the new population
        sameConfiguration(Strategies.regularizedEvolution().populationSize(2).sampleSize(1),
                Strategies.regularizedEvolution().sampleSize(1).populationSize(2));
        sameConfiguration(Strategies.regularizedEvolution().populationSize(80).sampleSize(50).aging(false),
                Strategies.regularizedEvolution().aging(false).sampleSize(50).populationSize(80));
        assertEquals("regularized-evolution(populationSize=2, sampleSize=1, aging=true)",
                Strategies.regularizedEvolution().populationSize(2).sampleSize(1).configuration());
    }

    @Test
    void regularizedEvolutionCrossFieldRuleAtBuild() {
        StrategyFactory bad = Strategies.regularizedEvolution().populationSize(50).sampleSize(80);
        SearchRunner.Builder b = SearchRunner.builder(Spaces.nasBench201(), bad)
                .estimator(TabularEstimator.nasBench201Cifar10()).budget(Budget.trials(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals("sampleSize must be at most populationSize, but sampleSize=80 and populationSize=50",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bad.create(new SearchContext(Spaces.nasBench201(),
                Objective.maximize(Metric.VALIDATION_ACCURACY), 1)));
        assertEquals("sampleSize must be at most populationSize, but sampleSize=80 and populationSize=50",
                e.getMessage());
    }

    @Test
    void regularizedEvolutionSettersCheckTheirOwnRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.regularizedEvolution().populationSize(1));
        assertEquals("populationSize must be >= 2, but was 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.regularizedEvolution().sampleSize(0));
        assertEquals("sampleSize must be >= 1, but was 0", e.getMessage());
    }

    @Test
    void largeScaleEvolution() {
        sameConfiguration(Strategies.largeScaleEvolution().populationSize(30).weightInheritance(true),
                Strategies.largeScaleEvolution().weightInheritance(true).populationSize(30));
    }

    @Test
    void reinforceLearningRateDefaultFollowsTheControllerInEitherOrder() {
        // paperSettings().controller(INDEPENDENT) used to keep the LSTM's paper rate 0.0006
        Reinforce a = Strategies.reinforce().paperSettings().controller(Reinforce.Controller.INDEPENDENT);
        Reinforce b = Strategies.reinforce().controller(Reinforce.Controller.INDEPENDENT).paperSettings();
        sameConfiguration(a, b);
        assertEquals(0.01, a.learningRate());
        assertEquals("reinforce-nb201-paper", a.name());
        assertEquals(0.002, Strategies.reinforce().controller(Reinforce.Controller.INDEPENDENT)
                .controller(Reinforce.Controller.LSTM).learningRate());
        assertEquals(0.0006, Strategies.reinforce().controller(Reinforce.Controller.INDEPENDENT).paperSettings()
                .controller(Reinforce.Controller.LSTM).learningRate());
    }

    @Test
    void reinforceExplicitSettingsWinOverPaperDefaultsInEitherOrder() {
        sameConfiguration(Strategies.reinforce().learningRate(0.05).rankRewards(true).paperSettings(),
                Strategies.reinforce().paperSettings().rankRewards(true).learningRate(0.05));
        Reinforce r = Strategies.reinforce().learningRate(0.05).paperSettings();
        assertEquals(0.05, r.learningRate());
        assertEquals(false, r.rankRewards());
        sameConfiguration(Strategies.reinforce().hiddenUnits(35).initRange(0.1).entropyWeight(0).baselineDecay(0.5)
                        .avoidDuplicates(false),
                Strategies.reinforce().avoidDuplicates(false).baselineDecay(0.5).entropyWeight(0).initRange(0.1)
                        .hiddenUnits(35));
    }

    @Test
    void pnasAndPopnas() {
        sameConfiguration(Strategies.pnas().beamSize(4).initialSize(6).ensembleSize(2).hidden(8).learningRate(0.1)
                        .trainingSteps(5).batchSize(8).candidates(CandidateGenerator.randomAndMutated(10, 2, 3)),
                Strategies.pnas().candidates(CandidateGenerator.randomAndMutated(10, 2, 3)).batchSize(8)
                        .trainingSteps(5).learningRate(0.1).hidden(8).ensembleSize(2).initialSize(6).beamSize(4));
        sameConfiguration(Strategies.popnas().costMetric(Metric.FLOPS).search(Strategies.pnas().beamSize(3)),
                Strategies.popnas().search(Strategies.pnas().beamSize(3)).costMetric(Metric.FLOPS));
    }

    @Test
    void hyperbandInEitherOrder() {
        // rungs(20).eta(2) used to throw: 3^19 (the default eta) exceeded the smallest-fidelity limit
        sameConfiguration(Strategies.hyperband().rungs(20).eta(2), Strategies.hyperband().eta(2).rungs(20));
        sameConfiguration(Strategies.hyperband().successiveHalving(true).eta(4).rungs(3),
                Strategies.hyperband().rungs(3).eta(4).successiveHalving(true));
    }

    @Test
    void hyperbandCrossFieldRuleAtBuild() {
        StrategyFactory bad = Strategies.hyperband().rungs(20);
        SearchRunner.Builder b = SearchRunner.builder(Spaces.nasBench201(), bad)
                .estimator(TabularEstimator.nasBench201Cifar10());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals("eta^(rungs-1) must be at most 1e6 (smallest fidelity 1e-6), but eta=3 and rungs=20 give "
                + Math.pow(3, 19), e.getMessage());
    }
}
