package org.nas4j.strategies.oneshot;

import java.util.Map;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;

/**
 * The default estimator of the one-shot strategies: it reports nothing, so a trial's metrics are those the strategy
 * measured on its supernet ({@link org.nas4j.core.search.Proposal#measured()}).
 */
enum MeasuredByStrategy implements Estimator {
    INSTANCE;

    @Override
    public String description() {
        return "measured-by-strategy";
    }

    @Override
    public Evaluation evaluate(EvaluationRequest request) {
        return new Evaluation(Map.of(), false);
    }
}
