package org.nas4j.core.search;

import java.util.Map;
import java.util.Objects;

/**
 * A bound on a metric that a feasible trial must respect, e.g. at most 500,000 parameters.
 *
 * @param metric the constrained metric
 * @param bound  the bound
 * @param upper  true for "at most", false for "at least"
 */
public record Constraint(Metric metric, double bound, boolean upper) {
    public Constraint {
        Objects.requireNonNull(metric, "metric");
        if (Double.isNaN(bound)) {
            throw new IllegalArgumentException("bound of constraint on " + metric + " must be a number, but was NaN");
        }
    }

    /** {@code metric <= bound}. */
    public static Constraint atMost(Metric metric, double bound) {
        return new Constraint(metric, bound, true);
    }

    /** {@code metric >= bound}. */
    public static Constraint atLeast(Metric metric, double bound) {
        return new Constraint(metric, bound, false);
    }

    /** Whether the metrics satisfy this constraint; a missing metric does not. */
    public boolean isSatisfied(Map<Metric, Double> metrics) {
        Double v = metrics.get(metric);
        if (v == null || v.isNaN()) {
            return false;
        }
        return upper ? v <= bound : v >= bound;
    }

    @Override
    public String toString() {
        return metric + (upper ? " <= " : " >= ") + bound;
    }
}
