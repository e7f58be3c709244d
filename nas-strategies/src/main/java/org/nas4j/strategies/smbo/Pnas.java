package org.nas4j.strategies.smbo;

import org.nas4j.core.config.Configuration;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;

/**
 * Progressive neural architecture search (Liu et al., "Progressive Neural Architecture Search", ECCV 2018) as
 * sequential model-based optimisation: after a first round, each round fits an ensemble of MLP predictors (one-hot
 * choice vector to score) on every finished trial, ranks the candidates of a {@link CandidateGenerator} with it,
 * and evaluates the top {@code beamSize}. Never proposes an architecture twice (by canonical key).
 *
 * <p>On a {@link org.nas4j.core.space.ProgressiveSpace} (for example {@code Spaces.pnasProgressive()}) the default
 * generator grows cells as the paper does ({@link ProgressiveCandidates}): the first round is the 1-block cells
 * (a random {@code initialSize} of them when there are more), each later round expands the K best cells of the
 * current level by one block and evaluates the K expansions the ensemble ranks highest; at the maximum block count
 * and on other spaces it proposes random architectures plus mutations of the best so far (the fallback), after a
 * random first round.
 *
 * <p>Defaults: ensemble of 5 predictors (the paper's), each an MLP with two hidden layers; the paper's beam of
 * K = 256 per level is scaled to 10 for budgets of 100-200 trials, and its 136 single-block cells of the first
 * level to a first round of 10 (set {@code initialSize(136)} for all of them). The predictors are warm-started
 * between rounds.
 *
 * <pre>{@code
 * StrategyFactory pnas = Strategies.pnas().beamSize(16).ensembleSize(5);   // on Spaces.pnasProgressive()
 * }</pre>
 */
public final class Pnas implements StrategyFactory {
    private final SmboSettings settings;

    private Pnas(SmboSettings settings) {
        this.settings = settings;
    }

    /** PNAS with the defaults above. */
    public static Pnas create() {
        return new Pnas(new SmboSettings(10, 10, 5, new int[] {32, 32}, 0.01, 30, 32,
                CandidateGenerator.progressive(20_000, CandidateGenerator.randomAndMutated(1000, 10, 20))));
    }

    SmboSettings settings() {
        return settings;
    }

    /** Architectures evaluated per round (the beam, K), in [1, 10000]. Default 10. */
    public Pnas beamSize(int k) {
        check("beamSize", k, 1, 10_000);
        return with(k, settings.initialSize(), settings.ensembleSize(), settings.hidden(), settings.learningRate(),
                settings.trainingSteps(), settings.batchSize(), settings.generator());
    }

    /**
     * Architectures in the first round, in [2, 100000]: 1-block cells (all of them when there are at most this
     * many, else a uniform random subset) with the progressive generator on a progressive space, else random
     * architectures. Default 10.
     */
    public Pnas initialSize(int n) {
        check("initialSize", n, 2, 100_000);
        return with(settings.beamSize(), n, settings.ensembleSize(), settings.hidden(), settings.learningRate(),
                settings.trainingSteps(), settings.batchSize(), settings.generator());
    }

    /** Predictors in the ensemble, in [1, 100]. Default 5 (PNAS). */
    public Pnas ensembleSize(int n) {
        check("ensembleSize", n, 1, 100);
        return with(settings.beamSize(), settings.initialSize(), n, settings.hidden(), settings.learningRate(),
                settings.trainingSteps(), settings.batchSize(), settings.generator());
    }

    /** Hidden layer sizes of each predictor, each in [1, 4096]. Default {32, 32}. */
    public Pnas hidden(int... sizes) {
        if (sizes.length == 0) {
            throw new IllegalArgumentException("hidden must list at least one layer size");
        }
        for (int s : sizes) {
            check("hidden layer size", s, 1, 4096);
        }
        return with(settings.beamSize(), settings.initialSize(), settings.ensembleSize(), sizes.clone(),
                settings.learningRate(), settings.trainingSteps(), settings.batchSize(), settings.generator());
    }

    /** Adam learning rate of the predictors, in (0, 1]. Default 0.01. */
    public Pnas learningRate(double lr) {
        if (!(lr > 0 && lr <= 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1], but was " + lr);
        }
        return with(settings.beamSize(), settings.initialSize(), settings.ensembleSize(), settings.hidden(), lr,
                settings.trainingSteps(), settings.batchSize(), settings.generator());
    }

    /**
     * Adam steps per predictor per round, in [1, 1000000]. Default 30 (warm-started: about 10 epochs of a 100-trial
     * history per round).
     */
    public Pnas trainingSteps(int n) {
        check("trainingSteps", n, 1, 1_000_000);
        return with(settings.beamSize(), settings.initialSize(), settings.ensembleSize(), settings.hidden(),
                settings.learningRate(), n, settings.batchSize(), settings.generator());
    }

    /** Mini-batch size of the predictors' training, in [1, 100000]. Default 32. */
    public Pnas batchSize(int n) {
        check("batchSize", n, 1, 100_000);
        return with(settings.beamSize(), settings.initialSize(), settings.ensembleSize(), settings.hidden(),
                settings.learningRate(), settings.trainingSteps(), n, settings.generator());
    }

    /**
     * Where each round's candidates come from. Default
     * {@code CandidateGenerator.progressive(20000, CandidateGenerator.randomAndMutated(1000, 10, 20))}: on a
     * progressive space, every one-block expansion of the K best cells of the current level (at most 20000 per
     * round); at the maximum block count and on other spaces, 1000 random architectures and 20 mutations of each of
     * the 10 best.
     */
    public Pnas candidates(CandidateGenerator generator) {
        if (generator == null) {
            throw new IllegalArgumentException("candidates must not be null");
        }
        return with(settings.beamSize(), settings.initialSize(), settings.ensembleSize(), settings.hidden(),
                settings.learningRate(), settings.trainingSteps(), settings.batchSize(), generator);
    }

    private static Pnas with(int beam, int initial, int ensemble, int[] hidden, double lr, int steps, int batch,
                             CandidateGenerator g) {
        return new Pnas(new SmboSettings(beam, initial, ensemble, hidden, lr, steps, batch, g));
    }

    static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], but was " + value);
        }
    }

    @Override
    public String name() {
        return "pnas";
    }

    @Override
    public String configuration() {
        return settings.addTo(Configuration.of("pnas")).toString();
    }

    @Override
    public Strategy create(SearchContext context) {
        return new ModelBasedSearch(context, settings, false, null);
    }

    @Override
    public String toString() {
        return configuration();
    }
}
