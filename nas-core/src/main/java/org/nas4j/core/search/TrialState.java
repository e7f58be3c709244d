package org.nas4j.core.search;

/** The state of a trial. Finished states (all but RUNNING) are final. */
public enum TrialState {
    /** Being evaluated. */
    RUNNING,
    /** Evaluated; its metrics are valid. */
    COMPLETE,
    /** The estimator threw, ran out of memory or produced NaN; the reason is recorded. */
    FAILED,
    /** Stopped early by an early-stopping rule; its metrics are those of the last fidelity reached. */
    PRUNED,
    /**
     * Not evaluated: the costs its estimator knew beforehand ({@link Estimator#costs}) violate a constraint of the
     * objective, named in the reason; its metrics are those costs.
     */
    REJECTED
}
