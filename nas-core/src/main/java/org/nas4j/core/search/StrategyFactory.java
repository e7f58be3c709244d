package org.nas4j.core.search;

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

    /** A new strategy for {@code context}. */
    Strategy create(SearchContext context);
}
