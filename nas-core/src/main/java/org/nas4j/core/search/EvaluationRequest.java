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
 */
public record EvaluationRequest(int trialId, Architecture architecture, long seed, double fidelity,
                                OptionalInt parent) {
    public EvaluationRequest {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(parent, "parent");
        if (parent.isPresent() && !(parent.getAsInt() >= 0 && parent.getAsInt() < trialId)) {
            throw new IllegalArgumentException("parent of trial " + trialId + " must be an earlier trial, in [0, "
                    + trialId + "), but was " + parent.getAsInt());
        }
    }

    /** A request without a parent. */
    public EvaluationRequest(int trialId, Architecture architecture, long seed, double fidelity) {
        this(trialId, architecture, seed, fidelity, OptionalInt.empty());
    }
}
