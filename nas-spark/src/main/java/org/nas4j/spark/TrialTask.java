package org.nas4j.spark;

import java.io.Serializable;
import java.util.OptionalInt;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.space.SearchSpace;

/**
 * What the driver sends for one trial: an {@link EvaluationRequest} with its architecture as text (architectures
 * belong to a space, which the executor rebuilds from its recipe). Immutable and serializable.
 *
 * @param trialId      the trial's id
 * @param architecture the architecture's text ({@link org.nas4j.core.space.Architecture#toString()})
 * @param seed         the trial's seed
 * @param fidelity     the share of the estimator's budget, in (0, 1]
 * @param parent       the parent trial's id, or -1 for none
 */
record TrialTask(int trialId, String architecture, long seed, double fidelity, int parent) implements Serializable {

    static TrialTask of(EvaluationRequest r) {
        return new TrialTask(r.trialId(), r.architecture().toString(), r.seed(), r.fidelity(),
                r.parent().orElse(-1));
    }

    /** The request on the executor, in {@code space}, for {@code concurrentTrials} trials at once there. */
    EvaluationRequest request(SearchSpace space, int concurrentTrials) {
        return new EvaluationRequest(trialId, space.parse(architecture), seed, fidelity,
                parent < 0 ? OptionalInt.empty() : OptionalInt.of(parent), concurrentTrials);
    }
}
