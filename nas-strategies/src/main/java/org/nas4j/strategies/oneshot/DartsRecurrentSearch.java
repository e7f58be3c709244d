package org.nas4j.strategies.oneshot;

import java.util.Map;
import java.util.Objects;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.estimators.language.RecurrentSupernetTrainer;
import org.nas4j.core.space.SearchSpace;

/**
 * DARTS (first order, or second with {@link RecurrentSupernetTrainer.Builder#unrolled}) over the recurrent cell of a
 * language model, as a strategy of a
 * {@link org.nas4j.core.search.SearchRunner} on the {@code darts-rnn} space ({@code Spaces.dartsRecurrent()}; the
 * cell is handed over in its text, so this module needs no compile-time dependency on the spaces): its one {@code ask()} trains the search
 * cell's language model with {@link RecurrentSupernetTrainer} and proposes the derived cell, which the search's
 * estimator (e.g. {@link org.nas4j.estimators.language.LanguageModelEstimator}) then retrains from scratch and
 * scores; then it is done. The proposal carries {@code search_seconds} and the supernet's last training loss
 * ({@code search_train_loss}, the mean cross-entropy of the last ten weight steps). With a journal, the trainer's
 * checkpoint is {@link RecurrentSupernetTrainer#CHECKPOINT} in its directory: a killed or stopped search (the
 * runner's stop request is asked before every segment) resumes from it and proposes the cell an uninterrupted one
 * would have. Immutable.
 *
 * <pre>{@code
 * SearchResult r = SearchRunner.builder(Spaces.dartsRecurrent(),
 *                 new DartsRecurrentSearch(RecurrentSupernetTrainer.builder(corpus).build()))
 *         .estimator(Estimators.languageModel(corpus).build())
 *         .objective(Objective.minimize(Metric.VALIDATION_PERPLEXITY)).budget(Budget.trials(1)).build().run();
 * }</pre>
 */
public final class DartsRecurrentSearch implements StrategyFactory {
    /** The seconds the supernet's training took. */
    public static final Metric SEARCH_SECONDS = FreeDarts.SEARCH_SECONDS;
    /** The supernet's mean training cross-entropy over its last ten weight steps (nats per character). */
    public static final Metric SEARCH_TRAIN_LOSS = Metric.reportOnly("search_train_loss", Metric.Direction.MINIMIZE);

    /** The space whose cells the search derives. */
    private static final String SPACE = "darts-rnn";

    private final RecurrentSupernetTrainer trainer;

    /** DARTS with {@code trainer}'s options. */
    public DartsRecurrentSearch(RecurrentSupernetTrainer trainer) {
        this.trainer = Objects.requireNonNull(trainer, "trainer");
    }

    @Override
    public String name() {
        return "darts-rnn";
    }

    @Override
    public String configuration() {
        return trainer.description();
    }

    @Override
    public Strategy create(SearchContext context) {
        SearchSpace space = context.space();
        if (!space.name().equals(SPACE)) {
            throw new IllegalArgumentException("DARTS' recurrent search derives cells of the darts-rnn space, but the"
                    + " space was " + context.space().name());
        }
        long seed = Seeds.derive(context.seed(), "darts-rnn supernet");
        java.util.Optional<java.nio.file.Path> checkpoint = context.directory().map(d -> d.resolve(
                RecurrentSupernetTrainer.CHECKPOINT));
        return SingleProposal.stoppable(() -> trainer.search(seed, checkpoint, context.stop()).map(r -> {
            double[] losses = r.trainingLosses();
            double last = java.util.Arrays.stream(losses, Math.max(0, losses.length - 10), losses.length)
                    .average().orElse(Double.NaN);
            return Proposal.of(space.parse(r.genotypeText())).withMeasured(Map.of(
                    SEARCH_SECONDS, r.seconds(), SEARCH_TRAIN_LOSS, last));
        }));
    }
}
