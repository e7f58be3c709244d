package org.nas4j.spark;

import java.io.Serializable;

/**
 * How to build something on a Spark executor: a serializable factory, shipped once per executor and run there once.
 * Write it as a lambda or method reference that captures only serializable values (a path every executor can read,
 * a seed, numbers), never the built object itself:
 *
 * <pre>{@code
 * Recipe<Estimator> estimator = () -> Estimators.training(FashionMnist.bundled()).epochs(2).build();
 * Recipe<SearchSpace> space = Spaces::nasBench201;
 * }</pre>
 *
 * @param <T> what it builds
 */
@FunctionalInterface
public interface Recipe<T> extends Serializable {

    /** Builds the object; an exception fails the trials of that executor with its message. */
    T create() throws Exception;
}
