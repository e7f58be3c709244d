package org.nas4j.spark;

import java.io.Serializable;
import java.util.Objects;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.space.SearchSpace;

/**
 * The recipes of the space and the estimator, broadcast once per search to every executor. Immutable.
 *
 * @param search    names the search (a random UUID per opened session): executors keep what they built under it,
 *                  not under the broadcast's id, which a later {@code SparkContext} in the same JVM hands out again
 * @param space     builds the search space
 * @param estimator builds the estimator
 */
record TrialRecipes(String search, Recipe<SearchSpace> space, Recipe<Estimator> estimator) implements Serializable {
    TrialRecipes {
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(space, "space recipe");
        Objects.requireNonNull(estimator, "estimator recipe");
    }
}
