package org.nas4j.core.search;

import java.util.Objects;
import org.nas4j.core.space.Architecture;

/**
 * A strategy's answer to {@link Strategy#ask()}: a {@link Kind#PROPOSE proposal}, {@link Kind#WAIT wait} for the
 * trials in flight, or {@link Kind#DONE done}. Immutable, with value equality.
 *
 * <pre>{@code
 * public Ask ask() {
 *     if (roundIsComplete()) return Ask.propose(nextArchitecture());
 *     return inFlight > 0 ? Ask.waitForTrials() : Ask.done();
 * }
 * }</pre>
 *
 * The {@link SearchRunner} evaluates a proposal; on WAIT it asks again once a trial in flight has been told (a WAIT
 * with no trial in flight is a strategy bug and fails the search); on DONE it asks no more and ends the search once
 * the trials in flight are told, even with budget left.
 */
public final class Ask {
    /** What the strategy answered. */
    public enum Kind {
        /** Evaluate {@link #proposal()}. */
        PROPOSE,
        /** Nothing to propose until a trial in flight is told; only valid while trials are in flight. */
        WAIT,
        /** Nothing more to propose, ever (for example: every architecture of the space was proposed). */
        DONE
    }

    private static final Ask WAIT = new Ask(Kind.WAIT, null);
    private static final Ask DONE = new Ask(Kind.DONE, null);

    private final Kind kind;
    private final Proposal proposal;

    private Ask(Kind kind, Proposal proposal) {
        this.kind = kind;
        this.proposal = proposal;
    }

    /** Evaluate {@code proposal}. */
    public static Ask propose(Proposal proposal) {
        return new Ask(Kind.PROPOSE, Objects.requireNonNull(proposal, "proposal"));
    }

    /** Evaluate {@code architecture} at full fidelity, without a parent. */
    public static Ask propose(Architecture architecture) {
        return propose(Proposal.of(architecture));
    }

    /** Nothing to propose until a trial in flight has been told. */
    public static Ask waitForTrials() {
        return WAIT;
    }

    /** Nothing more to propose: the search ends once the trials in flight are told. */
    public static Ask done() {
        return DONE;
    }

    /** What the strategy answered. */
    public Kind kind() {
        return kind;
    }

    /** Whether this is a proposal. */
    public boolean isProposal() {
        return kind == Kind.PROPOSE;
    }

    /** The proposal; an exception if this answer is WAIT or DONE. */
    public Proposal proposal() {
        if (proposal == null) {
            throw new IllegalStateException("ask answered " + kind + ", which carries no proposal");
        }
        return proposal;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ask a && kind == a.kind && Objects.equals(proposal, a.proposal);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, proposal);
    }

    @Override
    public String toString() {
        return proposal == null ? kind.toString() : "PROPOSE " + proposal.architecture() + " at fidelity "
                + proposal.fidelity() + (proposal.parent().isPresent() ? " with parent trial "
                + proposal.parent().getAsInt() : "");
    }
}
