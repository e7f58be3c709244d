package org.nas4j.core.search;

/**
 * A search strategy in the ask/tell style: it proposes architectures and learns from finished trials, and
 * never evaluates anything itself. Created by a {@link StrategyFactory} for one search; not thread-safe (the
 * runner calls it from one thread).
 *
 * <p>Contract (checked for any strategy by the {@code StrategyContract} suite of nas-core's test-jar): the same
 * seed and the same sequence of asks and tells give the same proposals; every proposal is a valid architecture of
 * the space; {@link Ask#waitForTrials() WAIT} only while trials are in flight; {@link Ask#done() DONE} is final.
 * Trials may be told in any order, and several may be in flight at once.
 *
 * <p>A search is resumed by replaying its journal through a fresh strategy, so a strategy needs no persistence of
 * its own; one that can also save its state implements {@link CheckpointableStrategy}.
 */
public interface Strategy {

    /**
     * The next proposal; or WAIT when there is nothing to propose until a trial in flight is told; or DONE when
     * there is nothing more to propose at all. See {@link Ask}.
     */
    Ask ask();

    /** A trial that was proposed by this strategy has finished. Metrics hidden from strategies are removed. */
    void tell(Trial trial);
}
