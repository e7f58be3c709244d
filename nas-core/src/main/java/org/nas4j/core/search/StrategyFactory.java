package org.nas4j.core.search;

import java.util.Optional;

/**
 * An immutable strategy configuration that creates a fresh {@link Strategy} for each search. Built-in ones come
 * from {@code org.nas4j.strategies.Strategies}.
 */
public interface StrategyFactory {

    /** A short name, e.g. {@code "rea"}. */
    String name();

    /**
     * The configuration as stable text (name and every parameter); a journal written with one configuration is
     * refused by another.
     */
    String configuration();

    /**
     * Whether the strategies made here name parents in their proposals and rely on the estimator to start children
     * from their parents' weights; the {@link SearchRunner} then requires an estimator that
     * {@linkplain Estimator#supportsWeightInheritance() supports it}. Default: false.
     */
    default boolean inheritsWeights() {
        return false;
    }

    /**
     * The estimator a search with this strategy uses when none is set: a strategy that measures its own proposals
     * (a one-shot strategy: the supernet's metrics of each epoch's derived architecture, {@link
     * Proposal#measured()}) names one here. Default: none (the search must set an estimator).
     */
    default Optional<Estimator> defaultEstimator() {
        return Optional.empty();
    }

    /**
     * Checks the rules that tie several settings together (each setter checks only its own argument, so a
     * configuration may be built in any order); an {@link IllegalArgumentException} naming the settings and their
     * values if they contradict each other. Called by {@link SearchRunner.Builder#build()}, before any trial runs,
     * and by {@link #create}. Default: nothing to check.
     */
    default void validate() {
    }

    /** A new strategy for {@code context}; an exception if {@link #validate()} fails. */
    Strategy create(SearchContext context);
}
