package org.nas4j.core.search;

import java.util.Map;
import org.nas4j.core.space.Architecture;

/**
 * Turns an architecture into metrics: by looking it up in a table, training it, inheriting supernet weights, or
 * computing a proxy. Implementations must be safe to call from several threads at once (the runner evaluates
 * trials in parallel) and must draw all randomness from {@link EvaluationRequest#seed()}.
 *
 * <p>Throwing, or returning NaN for the objective's metric, makes the trial FAILED with the reason; the search
 * goes on.
 */
public interface Estimator {

    /** A stable text that identifies this estimator and its configuration (checked when resuming a journal). */
    String description();

    /** Evaluates one architecture. */
    Evaluation evaluate(EvaluationRequest request) throws Exception;

    /**
     * Whether this estimator can start an evaluation from the trained weights of the request's
     * {@linkplain EvaluationRequest#parent() parent trial} (large-scale evolution's weight inheritance). A
     * {@link SearchRunner} refuses a strategy that {@linkplain StrategyFactory#inheritsWeights() asks for
     * inheritance} with an estimator that answers false. Default: false (parents are ignored).
     */
    default boolean supportsWeightInheritance() {
        return false;
    }

    /**
     * The metrics of {@code architecture} known before evaluating it, cheaply (its parameter and multiply-add counts
     * from a cost model): the runner checks the objective's {@linkplain Objective#constraints() constraints} on them
     * first, and records an architecture that violates one as a {@link TrialState#REJECTED REJECTED} trial without
     * evaluating it (SPOS' search: candidates outside the constraint are never evaluated). Must be safe to call from
     * several threads. Default: none (every trial is evaluated).
     */
    default Map<Metric, Double> costs(Architecture architecture) {
        return Map.of();
    }
}
