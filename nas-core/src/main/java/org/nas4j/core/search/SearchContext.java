package org.nas4j.core.search;

import java.util.Objects;
import org.nas4j.core.space.SearchSpace;

/**
 * What a strategy is told about its search when it is created.
 *
 * @param space     the search space
 * @param objective the objective (strategies rank trials with {@link Objective#score})
 * @param seed      the strategy's own seed, derived from the search's root seed
 */
public record SearchContext(SearchSpace space, Objective objective, long seed) {
    public SearchContext {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(objective, "objective");
    }
}
