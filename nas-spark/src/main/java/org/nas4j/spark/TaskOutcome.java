package org.nas4j.spark;

import java.io.Serializable;
import org.nas4j.core.search.Evaluation;

/**
 * What a trial's task sends back: the estimator's evaluation, or the reason it failed (the estimator threw; its
 * exception stays on the executor, its reason travels). Immutable and serializable.
 *
 * @param evaluation the evaluation, or null when it failed
 * @param failure    the trial's FAILED reason, or null when it has an evaluation
 */
record TaskOutcome(Evaluation evaluation, String failure) implements Serializable {

    static TaskOutcome of(Evaluation evaluation) {
        return new TaskOutcome(evaluation, null);
    }

    static TaskOutcome failed(String reason) {
        return new TaskOutcome(null, reason);
    }
}
