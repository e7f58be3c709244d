package org.nas4j.core.search;

import java.util.Objects;
import org.nas4j.core.space.Architecture;

/**
 * What a strategy asks to evaluate: an architecture, and the share of the estimator's full budget to spend on it
 * (1 for a full evaluation; less for early-stopping schemes such as successive halving).
 *
 * @param architecture the architecture
 * @param fidelity     in (0, 1]
 */
public record Proposal(Architecture architecture, double fidelity) {
    public Proposal {
        Objects.requireNonNull(architecture, "architecture");
        if (!(fidelity > 0 && fidelity <= 1)) {
            throw new IllegalArgumentException("fidelity must be in (0, 1], but was " + fidelity);
        }
    }

    /** A full-fidelity proposal. */
    public static Proposal of(Architecture architecture) {
        return new Proposal(architecture, 1.0);
    }
}
