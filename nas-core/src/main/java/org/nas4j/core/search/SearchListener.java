package org.nas4j.core.search;

/**
 * Hears of a search's progress. Called from the runner's thread, in trial-id order; keep it quick.
 * All methods have empty defaults.
 */
public interface SearchListener {

    /** The search starts; {@code resumed} trials come from the journal. */
    default void onSearchStarted(Budget budget, int resumed) {
    }

    /** A trial finished (or was read back from the journal) and was told to the strategy. */
    default void onTrialFinished(Trial trial, SearchProgress progress) {
    }

    /** The search ended. */
    default void onSearchFinished(SearchResult result) {
    }
}
