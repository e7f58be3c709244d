package org.nas4j.core.search;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An optional capability of a {@link Strategy}: its whole state (random generator included) can be written as JSON
 * and read back. The {@link SearchRunner} never needs it (a search resumes by replaying its journal); it serves
 * code that drives a strategy with its own ask/tell loop and must checkpoint it without a journal (a long-running
 * service, a notebook), and inspection of a strategy's learned state (a controller's weights, a population).
 * Every built-in strategy implements it.
 *
 * <p>Contract: {@link #restoreState} replaces the <em>whole</em> state, whatever this instance saw before, so that a
 * strategy restored from {@link #saveState} of another instance of the same configuration continues exactly as
 * that one does, trials in flight included.
 */
public interface CheckpointableStrategy extends Strategy {

    /** The whole state (random generator, trials in flight and everything learned) as JSON. */
    ObjectNode saveState();

    /** Replaces this strategy's whole state with one written by {@link #saveState} of the same configuration. */
    void restoreState(ObjectNode state);
}
