package org.nas4j.strategies;


import java.util.List;
import org.nas4j.core.registry.Registry;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.strategies.evolution.LargeScaleEvolution;
import org.nas4j.strategies.evolution.RegularizedEvolution;
import org.nas4j.strategies.multifidelity.Hyperband;
import org.nas4j.strategies.oneshot.Enas;
import org.nas4j.strategies.oneshot.FreeDarts;
import org.nas4j.strategies.oneshot.GradientOneShot;
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
     * DARTS, first order (Liu et al., ICLR 2019): the supernet's edges as softmax-weighted sums of their ops, the
     * architecture weights trained on a held-out half of {@code train}; one proposal (the derived architecture)
     * per epoch. See {@link GradientOneShot}.
     */
    public static GradientOneShot darts(ImageDataset train) {
        return GradientOneShot.of(GradientOneShot.Method.DARTS, train);
    }

    /**
     * GDAS (Dong and Yang, CVPR 2019): one op per edge drawn by Gumbel-softmax (hard one-hot forward, straight-
     * through gradient), temperature annealed from 10 to 0.1. See {@link GradientOneShot}.
     */
    public static GradientOneShot gdas(ImageDataset train) {
        return GradientOneShot.of(GradientOneShot.Method.GDAS, train);
    }

    /**
     * ProxylessNAS (Cai, Zhu and Han, ICLR 2019): two ops per edge sampled from the architecture weights, binary
     * gates, the active path trained. See {@link GradientOneShot}.
     */
    public static GradientOneShot proxylessNas(ImageDataset train) {
        return GradientOneShot.of(GradientOneShot.Method.PROXYLESS, train);
    }

    /**
     * ENAS (Pham et al., ICML 2018): an LSTM controller and the shared weights of the supernet trained in
     * alternation; every proposal is a controller sample rewarded on held-out data. See {@link Enas}.
     */
    public static Enas enas(ImageDataset train) {
        return Enas.of(train);
    }

    /**
     * FreeDARTS: the supernet of a builder space scored at initialisation by the synaptic saliency of its
     * architecture parameters, one architecture derived in one shot, no data and no training (see
     * {@link FreeDarts}; {@code .snip(data)} or {@code .grasp(data)} score by SNIP or GraSP on a batch instead).
     */
    public static FreeDarts freeDarts() {
        return FreeDarts.create();
    }

    /**
     * DARTS over the recurrent cell of a language model ({@code darts-rnn} space), trained by {@code trainer}: one
     * proposal, the derived cell; first or second order as the trainer's {@code unrolled} option says.
     */
    public static org.nas4j.strategies.oneshot.DartsRecurrentSearch dartsRecurrent(
            org.nas4j.estimators.language.RecurrentSupernetTrainer trainer) {
        return new org.nas4j.strategies.oneshot.DartsRecurrentSearch(trainer);
    }

    /** The one table of named strategies: {@link #names()}, {@link #byName} and the descriptions come from it. */
    private static final Registry<StrategyFactory> REGISTRY = Registry.<StrategyFactory>builder("strategy")
            .add("rs", "random search without duplicates", Strategies::randomSearch)
            .add("rea", "regularized (aging) evolution, population 10, sample 3", Strategies::regularizedEvolution)
            .add("evolution-no-aging", "regularized evolution where the worst member dies instead of the oldest",
                    () -> regularizedEvolution().aging(false))
            .add("evolution", "large-scale evolution: pairwise tournaments, the worse dies, population 20",
                    Strategies::largeScaleEvolution)
            .add("reinforce", "REINFORCE with an LSTM controller (Zoph and Le; NASNet)", Strategies::reinforce)
            .add("reinforce-nb201", "REINFORCE with one independent softmax per choice (the NAS-Bench-201 baseline)",
                    () -> reinforce().controller(Reinforce.Controller.INDEPENDENT))
            .add("pnas", "PNAS: an MLP-ensemble surrogate picks the best 10 candidates per round", Strategies::pnas)
            .add("popnas", "POPNASv3: PNAS with a cost predictor, candidates from the predicted Pareto front",
                    Strategies::popnas)
            .add("hyperband", "Hyperband over the proposal fidelity (random search with early stopping)",
                    Strategies::hyperband)
            .add("reinforce-paper", "REINFORCE (LSTM) with the paper's raw rewards and learning rate 0.0006",
                    () -> reinforce().paperSettings())
            .add("reinforce-nb201-paper", "REINFORCE (independent softmaxes) with the paper's raw rewards and "
                    + "learning rate 0.01", () -> reinforce().controller(Reinforce.Controller.INDEPENDENT)
                    .paperSettings())
            .build();

    /**
     * The short names {@link #byName} knows, in a fixed order; {@code reinforce-paper} and
     * {@code reinforce-nb201-paper} are REINFORCE with its papers' reward and learning rate
     * ({@link Reinforce#paperSettings()}), for comparison.
     */
    public static List<String> names() {
        return REGISTRY.names();
    }

    /** The one-line description of the strategy called {@code name}; an exception listing the known names if none. */
    public static String description(String name) {
        return REGISTRY.entry(name).description();
    }

    /**
     * The strategy with short name {@code name}, with its default configuration; its {@link StrategyFactory#name()}
     * is {@code name}. An exception listing the known names if there is none.
     */
    public static StrategyFactory byName(String name) {
        return REGISTRY.byName(name);
    }
}
