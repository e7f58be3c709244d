package org.nas4j.report;

import java.nio.file.Path;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.space.SearchSpace;

/**
 * Runs one round of a steered search: a search of {@code space} (the session's space with the round's restriction)
 * journaled at {@code journal}. It is a plain {@code SearchRunner} run, so a round whose journal is complete
 * reloads it instead of searching again: rerunning the rounds of a session reproduces it.
 *
 * <pre>{@code
 * RoundRunner rounds = (space, journal, round) -> SearchRunner.builder(space, supernetSampling)
 *         .estimator(supernetEstimator).budget(Budget.trials(200))
 *         .seed(Seeds.derive(42, "round", round)).journal(journal).build().run();
 * }</pre>
 */
@FunctionalInterface
public interface RoundRunner {

    /**
     * Runs round {@code round} (1, 2, ...) on {@code space}, journaled at {@code journal}, and returns its result.
     */
    SearchResult run(SearchSpace space, Path journal, int round) throws Exception;
}
