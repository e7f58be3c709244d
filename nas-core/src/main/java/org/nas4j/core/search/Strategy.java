package org.nas4j.core.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A search strategy in the ask/tell style: it proposes architectures and learns from finished trials, and
 * never evaluates anything itself. Created by a {@link StrategyFactory} for one search; not thread-safe (the
 * runner calls it from one thread).
 *
 * <p>Contract: the same seed and the same sequence of asks and tells give the same proposals; {@link #saveState}
 * followed by {@link #restoreState} on a fresh instance of the same configuration continues identically.
 */
public interface Strategy {

    /**
     * The next proposal, or empty when the strategy has nothing to propose until it hears of the trials in
     * flight (or, if none are in flight, when it has nothing more to propose at all).
     */
    Optional<Proposal> ask();

    /** A trial that was proposed by this strategy has finished. Metrics hidden from strategies are removed. */
    void tell(Trial trial);

    /** The whole state (random generator included) as JSON. */
    ObjectNode saveState();

    /** Replaces this strategy's state with one written by {@link #saveState} of the same configuration. */
    void restoreState(ObjectNode state);
}
