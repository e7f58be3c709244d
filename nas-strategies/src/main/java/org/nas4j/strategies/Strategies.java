package org.nas4j.strategies;

import java.util.List;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.strategies.evolution.LargeScaleEvolution;
import org.nas4j.strategies.evolution.RegularizedEvolution;
import org.nas4j.strategies.multifidelity.Hyperband;
import org.nas4j.strategies.random.RandomSearch;
import org.nas4j.strategies.rl.Reinforce;
import org.nas4j.strategies.smbo.Pnas;
import org.nas4j.strategies.smbo.Popnas;

/**
 * Factories of the built-in strategies; each returns an immutable, configurable {@link StrategyFactory}.
 *
 * <pre>{@code
 * StrategyFactory rea = Strategies.regularizedEvolution().populationSize(50).sampleSize(10);
 * StrategyFactory rs = Strategies.byName("rs");
 * }</pre>
 */
public final class Strategies {
    private Strategies() {
    }

    /** Random search without duplicates. */
    public static RandomSearch randomSearch() {
        return RandomSearch.create();
    }

    /** Regularized (aging) evolution, population 10, sample 3. */
    public static RegularizedEvolution regularizedEvolution() {
        return RegularizedEvolution.create();
    }

    /** REINFORCE with an LSTM controller (Zoph and Le 2017; NASNet). */
    public static Reinforce reinforce() {
        return Reinforce.create();
    }

    /** PNAS as model-based search: an MLP-ensemble surrogate ranks candidates, the top 10 per round are evaluated. */
    public static Pnas pnas() {
        return Pnas.create();
    }

    /** POPNASv3: PNAS plus a cost predictor, candidates from the predicted accuracy/cost Pareto front. */
    public static Popnas popnas() {
        return Popnas.create();
    }

    /** Large-scale evolution (Real et al. 2017): pairwise tournaments, the worse dies, population 20. */
    public static LargeScaleEvolution largeScaleEvolution() {
        return LargeScaleEvolution.create();
    }

    /** Hyperband over the proposal fidelity (random search with early stopping), eta 3, 4 rungs. */
    public static Hyperband hyperband() {
        return Hyperband.create();
    }

    /**
     * The short names {@link #byName} knows; {@code reinforce-paper} and {@code reinforce-nb201-paper} are REINFORCE
     * with its papers' reward and learning rate ({@link Reinforce#paperSettings()}), for comparison.
     */
    public static List<String> names() {
        return List.of("rs", "rea", "evolution-no-aging", "evolution", "reinforce", "reinforce-nb201", "pnas", "popnas",
                "hyperband", "reinforce-paper", "reinforce-nb201-paper");
    }

    /** The strategy with short name {@code name}, with its default configuration. */
    public static StrategyFactory byName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("strategy name must not be null; known strategies: " + names());
        }
        return switch (name) {
            case "rs" -> randomSearch();
            case "rea" -> regularizedEvolution();
            case "evolution-no-aging" -> regularizedEvolution().aging(false);
            case "reinforce" -> reinforce();
            case "pnas" -> pnas();
            case "evolution" -> largeScaleEvolution();
            case "hyperband" -> hyperband();
            case "popnas" -> popnas();
            case "reinforce-nb201" -> reinforce().controller(Reinforce.Controller.INDEPENDENT);
            case "reinforce-paper" -> reinforce().paperSettings();
            case "reinforce-nb201-paper" -> reinforce().controller(Reinforce.Controller.INDEPENDENT).paperSettings();
            default -> throw new IllegalArgumentException("unknown strategy '" + name + "'; known strategies: "
                    + names());
        };
    }
}
