package org.nas4j.estimators.training;

import java.util.Locale;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evaluation of a {@link TrainingEstimator} with weight inheritance: start from the parent trial's stored
 * weights where names and shapes match (or from scratch when they are missing), train, store the trained weights
 * under the trial's id, and report {@link Metric#INHERITED_PARAMETERS} for trials that name a parent.
 */
final class InheritingEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(InheritingEvaluation.class);

    private final TrainingEstimator estimator;
    private final WeightStore store;

    InheritingEvaluation(TrainingEstimator estimator, WeightStore store) {
        this.estimator = estimator;
        this.store = store;
    }

    Evaluation evaluate(EvaluationRequest request) {
        TrainedWeights[] parent = {null};
        if (request.parent().isPresent()) {
            int id = request.parent().getAsInt();
            parent[0] = store.load(id).orElse(null);
            if (parent[0] == null) {
                LOG.warn("trial {}: no trained weights of its parent trial {} in {} (the parent failed, or was "
                        + "trained elsewhere): training from scratch", request.trialId(), id, store.directory());
            }
        }
        long[] inherited = {0};
        TrainingResult result = estimator.train(request.architecture(), request.seed(), request.fidelity(), net -> {
            if (parent[0] != null) {
                TrainedWeights.Inherited i = parent[0].initialise(net);
                parent[0] = null;   // not kept in memory while the child trains
                inherited[0] = i.values();
                LOG.info(String.format(Locale.ROOT, "trial %d inherits %d of %d trainable values (%.1f%%, %d "
                                + "arrays) and %d batch-norm statistics from trial %d", request.trialId(), i.values(),
                        i.total(), 100 * i.share(), i.parameters(), i.states(), request.parent().getAsInt()));
            }
        });
        store.save(request.trialId(), result.network());
        Evaluation e = result.evaluation();
        return request.parent().isPresent() ? e.with(Metric.INHERITED_PARAMETERS, inherited[0]) : e;
    }
}
