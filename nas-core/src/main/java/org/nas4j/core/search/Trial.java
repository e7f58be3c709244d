package org.nas4j.core.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.nas4j.core.space.Architecture;

/**
 * One evaluation of one architecture. Finished trials are immutable: once journaled they never change.
 *
 * @param id           position in the search, from 0, in the order the strategy proposed them
 * @param architecture the evaluated architecture
 * @param state        COMPLETE, FAILED, PRUNED or REJECTED once finished
 * @param metrics      the measured metrics (empty for most failures), in insertion order
 * @param reason       why the trial failed or was pruned; empty otherwise
 * @param seed         the trial's own seed, derived from the search's root seed
 * @param fidelity     the share of the estimator's full budget used, in (0, 1]
 * @param seconds      wall-clock seconds the evaluation took
 * @param parent       the earlier trial this one inherited weights from, as its {@link Proposal} named it (empty
 *                     for none); whether weights were actually found is the estimator's to report
 */
public record Trial(int id, Architecture architecture, TrialState state, Map<Metric, Double> metrics,
                    String reason, long seed, double fidelity, double seconds, OptionalInt parent) {

    public Trial {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(parent, "parent");
        if (id < 0) {
            throw new IllegalArgumentException("id must be >= 0, but was " + id);
        }
        if (parent.isPresent() && !(parent.getAsInt() >= 0 && parent.getAsInt() < id)) {
            throw new IllegalArgumentException("parent of trial " + id + " must be an earlier trial, in [0, " + id
                    + "), but was " + parent.getAsInt());
        }
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A trial without a parent. */
    public Trial(int id, Architecture architecture, TrialState state, Map<Metric, Double> metrics, String reason,
                 long seed, double fidelity, double seconds) {
        this(id, architecture, state, metrics, reason, seed, fidelity, seconds, OptionalInt.empty());
    }

    /** The value of {@code metric}, or NaN if it was not measured. */
    public double value(Metric metric) {
        Double v = metrics.get(metric);
        return v == null ? Double.NaN : v;
    }

    /** The value of {@code metric}, or empty if it was not measured. */
    public OptionalDouble find(Metric metric) {
        Double v = metrics.get(Objects.requireNonNull(metric, "metric"));
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** This trial with only the metrics strategies may see (test accuracy and other report-only ones removed). */
    public Trial visibleToStrategy() {
        Map<Metric, Double> visible = new LinkedHashMap<>();
        metrics.forEach((m, v) -> {
            if (m.visibleToStrategy()) {
                visible.put(m, v);
            }
        });
        return new Trial(id, architecture, state, visible, reason, seed, fidelity, seconds, parent);
    }

    /** Whether the trial finished with valid metrics. */
    public boolean isComplete() {
        return state == TrialState.COMPLETE;
    }
}
