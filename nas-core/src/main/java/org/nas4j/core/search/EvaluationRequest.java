package org.nas4j.core.search;

import java.util.Objects;
import org.nas4j.core.space.Architecture;

/**
 * One evaluation asked of an {@link Estimator}.
 *
 * @param trialId      the trial's id
 * @param architecture what to evaluate
 * @param seed         the trial's seed: all randomness of the evaluation comes from it
 * @param fidelity     the share of the estimator's full budget to spend, in (0, 1]
 */
public record EvaluationRequest(int trialId, Architecture architecture, long seed, double fidelity) {
    public EvaluationRequest {
        Objects.requireNonNull(architecture, "architecture");
    }
}
