package org.nas4j.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a search optimises: one metric to maximise or minimise, subject to constraints on others.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * Objective o = Objective.maximize(Metric.VALIDATION_ACCURACY)
 *         .subjectTo(Constraint.atMost(Metric.PARAMETERS, 500_000));
 * }</pre>
 */
public final class Objective {
    private final Metric metric;
    private final boolean maximize;
    private final List<Constraint> constraints;

    private Objective(Metric metric, boolean maximize, List<Constraint> constraints) {
        this.metric = Objects.requireNonNull(metric, "metric");
        this.maximize = maximize;
        this.constraints = List.copyOf(constraints);
    }

    /** Maximise {@code metric}. */
    public static Objective maximize(Metric metric) {
        return new Objective(metric, true, List.of());
    }

    /** Minimise {@code metric}. */
    public static Objective minimize(Metric metric) {
        return new Objective(metric, false, List.of());
    }

    /** This objective with further constraints. */
    public Objective subjectTo(Constraint... more) {
        List<Constraint> all = new ArrayList<>(constraints);
        for (Constraint c : more) {
            all.add(Objects.requireNonNull(c, "constraint"));
        }
        return new Objective(metric, maximize, all);
    }

    public Metric metric() {
        return metric;
    }

    public boolean maximize() {
        return maximize;
    }

    public List<Constraint> constraints() {
        return constraints;
    }

    /** Whether {@code metrics} satisfy every constraint. */
    public boolean isFeasible(Map<Metric, Double> metrics) {
        for (Constraint c : constraints) {
            if (!c.isSatisfied(metrics)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The score of a trial: larger is better. The metric's value (negated when minimising) for a complete,
     * feasible trial; negative infinity for failed, pruned or infeasible ones.
     */
    public double score(Trial trial) {
        if (trial.state() != TrialState.COMPLETE || !isFeasible(trial.metrics())) {
            return Double.NEGATIVE_INFINITY;
        }
        Double v = trial.metrics().get(metric);
        if (v == null || v.isNaN()) {
            return Double.NEGATIVE_INFINITY;
        }
        return maximize ? v : -v;
    }

    @Override
    public String toString() {
        return (maximize ? "maximize " : "minimize ") + metric + (constraints.isEmpty() ? "" : " subject to " + constraints);
    }
}
