package org.nas4j.core.search;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.nas4j.core.space.Architecture;

/**
 * What a strategy asks to evaluate: an architecture, the share of the estimator's full budget to spend on it
 * (1 for a full evaluation; less for early-stopping schemes such as successive halving), and optionally the
 * finished trial it descends from, whose trained weights an estimator that {@linkplain
 * Estimator#supportsWeightInheritance() supports it} may start from (large-scale evolution's weight inheritance).
 *
 * <pre>{@code
 * Proposal.of(architecture);                       // full fidelity, no parent
 * Proposal.child(mutant, winner.id());             // full fidelity, inherits from trial winner.id()
 * }</pre>
 *
 * @param architecture the architecture
 * @param fidelity     in (0, 1]
 * @param parent       the id of the finished trial this one inherits from (>= 0), or empty for none
 * @param measured     metrics the strategy measured itself (a one-shot strategy's supernet metrics of the epoch
 *                     whose derived architecture it proposes); the trial reports them beside the estimator's, the
 *                     estimator's value winning where both report a metric
 */
public record Proposal(Architecture architecture, double fidelity, OptionalInt parent, Map<Metric, Double> measured) {
    public Proposal {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(parent, "parent");
        measured = Map.copyOf(Objects.requireNonNull(measured, "measured"));
        if (!(fidelity > 0 && fidelity <= 1)) {
            throw new IllegalArgumentException("fidelity must be in (0, 1], but was " + fidelity);
        }
        if (parent.isPresent() && parent.getAsInt() < 0) {
            throw new IllegalArgumentException("parent trial id must be >= 0, but was " + parent.getAsInt());
        }
    }

    /** A proposal without metrics of the strategy's own. */
    public Proposal(Architecture architecture, double fidelity, OptionalInt parent) {
        this(architecture, fidelity, parent, Map.of());
    }

    /** A proposal without a parent. */
    public Proposal(Architecture architecture, double fidelity) {
        this(architecture, fidelity, OptionalInt.empty());
    }

    /** A full-fidelity proposal without a parent. */
    public static Proposal of(Architecture architecture) {
        return new Proposal(architecture, 1.0);
    }

    /** This proposal with {@code metrics} measured by the strategy (see {@link #measured()}). */
    public Proposal withMeasured(Map<Metric, Double> metrics) {
        return new Proposal(architecture, fidelity, parent, metrics);
    }

    /**
     * A full-fidelity proposal that inherits from the finished trial {@code parentTrialId}: the strategy must
     * already have been told of that trial.
     */
    public static Proposal child(Architecture architecture, int parentTrialId) {
        return new Proposal(architecture, 1.0, OptionalInt.of(parentTrialId));
    }
}
