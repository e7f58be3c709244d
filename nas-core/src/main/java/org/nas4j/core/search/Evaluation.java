package org.nas4j.core.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The metrics an estimator measured for one architecture, and whether it stopped the evaluation early
 * (pruned). Immutable and serializable (an executor may send it back from another machine).
 *
 * <pre>{@code
 * return Evaluation.of(Metric.VALIDATION_ACCURACY, 91.3).with(Metric.TEST_ACCURACY, 90.8);
 * evaluation.value(Metric.TEST_ACCURACY);           // 90.8; NaN for a metric not measured
 * evaluation.find(Metric.LATENCY_MS);               // OptionalDouble.empty()
 * }</pre>
 *
 * @param metrics the metrics, in insertion order
 * @param pruned  true when an early-stopping rule stopped the evaluation
 */
public record Evaluation(Map<Metric, Double> metrics, boolean pruned) implements java.io.Serializable {
    public Evaluation {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** An evaluation with one metric. */
    public static Evaluation of(Metric metric, double value) {
        return new Evaluation(Map.of(metric, value), false);
    }

    /** The value of {@code metric}, or NaN if it was not measured (as {@link Trial#value}). */
    public double value(Metric metric) {
        Double v = metrics.get(Objects.requireNonNull(metric, "metric"));
        return v == null ? Double.NaN : v;
    }

    /** The value of {@code metric}, or empty if it was not measured (as {@link Trial#find}). */
    public OptionalDouble find(Metric metric) {
        Double v = metrics.get(Objects.requireNonNull(metric, "metric"));
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
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
