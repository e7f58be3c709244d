package org.nas4j.estimators.training;

import java.util.Objects;
import org.nas4j.core.search.Evaluation;
import org.nas4j.estimators.network.TrainableNetwork;

/**
 * A trained network with the metrics of its training run.
 *
 * <pre>{@code
 * TrainingResult r = estimator.train(best.architecture(), 42);
 * ComputationGraph graph = ComputationGraphExport.toComputationGraph(r.network());
 * }</pre>
 *
 * @param network    the trained network (in its final state)
 * @param evaluation the metrics, as {@link TrainingEstimator#evaluate} reports them
 */
public record TrainingResult(TrainableNetwork network, Evaluation evaluation) {
    public TrainingResult {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(evaluation, "evaluation");
    }
}
