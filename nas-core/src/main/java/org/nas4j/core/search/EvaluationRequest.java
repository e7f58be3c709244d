package org.nas4j.core.search;

import java.util.Objects;
import java.util.OptionalInt;
import org.nas4j.core.space.Architecture;

/**
 * One evaluation asked of an {@link Estimator}.
 *
 * @param trialId      the trial's id
 * @param architecture what to evaluate
 * @param seed         the trial's seed: all randomness of the evaluation comes from it
 * @param fidelity     the share of the estimator's full budget to spend, in (0, 1]
 * @param parent       the finished trial whose trained weights the evaluation may start from (see
 *                     {@link Estimator#supportsWeightInheritance()}), or empty
 * @param concurrentTrials how many trials the search evaluates at once (its parallelism), >= 1: estimators that
 *                     compute share the machine's cores among them (e.g. native threads per training run)
 */
public record EvaluationRequest(int trialId, Architecture architecture, long seed, double fidelity,
                                OptionalInt parent, int concurrentTrials) {
    public EvaluationRequest {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(parent, "parent");
        if (concurrentTrials < 1) {
            throw new IllegalArgumentException("concurrentTrials must be >= 1, but was " + concurrentTrials);
        }
        if (parent.isPresent() && !(parent.getAsInt() >= 0 && parent.getAsInt() < trialId)) {
            throw new IllegalArgumentException("parent of trial " + trialId + " must be an earlier trial, in [0, "
                    + trialId + "), but was " + parent.getAsInt());
        }
    }

    /** A request of a search that runs one trial at a time. */
    public EvaluationRequest(int trialId, Architecture architecture, long seed, double fidelity,
                             OptionalInt parent) {
        this(trialId, architecture, seed, fidelity, parent, 1);
    }

    /** A request without a parent, of a search that runs one trial at a time. */
    public EvaluationRequest(int trialId, Architecture architecture, long seed, double fidelity) {
        this(trialId, architecture, seed, fidelity, OptionalInt.empty(), 1);
    }
}
