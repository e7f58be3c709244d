package org.nas4j.spark;

import java.io.Serializable;
import java.util.Objects;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.space.SearchSpace;

/**
 * The recipes of the space and the estimator, broadcast once per search to every executor. Immutable.
 *
 * @param space     builds the search space
 * @param estimator builds the estimator
 */
record TrialRecipes(Recipe<SearchSpace> space, Recipe<Estimator> estimator) implements Serializable {
    TrialRecipes {
        Objects.requireNonNull(space, "space recipe");
        Objects.requireNonNull(estimator, "estimator recipe");
    }
}
