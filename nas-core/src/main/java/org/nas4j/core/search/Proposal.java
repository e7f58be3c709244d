package org.nas4j.core.search;

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
 */
public record Proposal(Architecture architecture, double fidelity, OptionalInt parent) {
    public Proposal {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(parent, "parent");
        if (!(fidelity > 0 && fidelity <= 1)) {
            throw new IllegalArgumentException("fidelity must be in (0, 1], but was " + fidelity);
        }
        if (parent.isPresent() && parent.getAsInt() < 0) {
            throw new IllegalArgumentException("parent trial id must be >= 0, but was " + parent.getAsInt());
        }
    }

    /** A proposal without a parent. */
    public Proposal(Architecture architecture, double fidelity) {
        this(architecture, fidelity, OptionalInt.empty());
    }

    /** A full-fidelity proposal without a parent. */
    public static Proposal of(Architecture architecture) {
        return new Proposal(architecture, 1.0);
    }

    /**
     * A full-fidelity proposal that inherits from the finished trial {@code parentTrialId}: the strategy must
     * already have been told of that trial.
     */
    public static Proposal child(Architecture architecture, int parentTrialId) {
        return new Proposal(architecture, 1.0, OptionalInt.of(parentTrialId));
    }
}
