package org.nas4j.core.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The metrics an estimator measured for one architecture, and whether it stopped the evaluation early
 * (pruned). Immutable.
 *
 * <pre>{@code
 * return Evaluation.of(Metric.VALIDATION_ACCURACY, 91.3).with(Metric.TEST_ACCURACY, 90.8);
 * }</pre>
 *
 * @param metrics the metrics, in insertion order
 * @param pruned  true when an early-stopping rule stopped the evaluation
 */
public record Evaluation(Map<Metric, Double> metrics, boolean pruned) {
    public Evaluation {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** An evaluation with one metric. */
    public static Evaluation of(Metric metric, double value) {
        return new Evaluation(Map.of(metric, value), false);
    }

    /** This evaluation with one more metric. */
    public Evaluation with(Metric metric, double value) {
        Objects.requireNonNull(metric, "metric");
        Map<Metric, Double> m = new LinkedHashMap<>(metrics);
        m.put(metric, value);
        return new Evaluation(m, pruned);
    }

    /** This evaluation marked as stopped early. */
    public Evaluation asPruned() {
        return new Evaluation(metrics, true);
    }
}
