package org.nas4j.core.search;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.nas4j.core.space.SearchSpace;

/**
 * What a strategy is told about its search when it is created.
 *
 * @param space      the search space
 * @param objective  the objective (strategies rank trials with {@link Objective#score})
 * @param seed       the strategy's own seed, derived from the search's root seed
 * @param directory  the search's journal directory, where a strategy that trains (one-shot) keeps its checkpoint;
 *                   empty for a search without a journal
 * @param stop       true once the search's wall-clock budget is spent: a strategy that trains inside
 *                   {@link Strategy#ask()} checks it between steps and stops (cooperative cancellation)
 */
public record SearchContext(SearchSpace space, Objective objective, long seed, Optional<Path> directory,
                            BooleanSupplier stop) {
    public SearchContext {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(stop, "stop");
    }

    /** A context without a journal directory and without a wall-clock limit. */
    public SearchContext(SearchSpace space, Objective objective, long seed) {
        this(space, objective, seed, Optional.empty(), () -> false);
    }
}
