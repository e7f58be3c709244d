package org.nas4j.estimators.network;

/**
 * How the candidate ops of a {@link ComposedSupernet} share their weights among the architectures that run them.
 *
 * <pre>{@code
 * ComposedSupernet net = ComposedSupernet.compile(space, PathPolicies.singlePath(7), ModuleCatalogue.standard(),
 *         DataType.FLOAT, 42, WeightSharing.CONDITIONAL);
 * }</pre>
 *
 * See {@code docs/supernet.md} (conditional weights).
 */
public enum WeightSharing {

    /** Every candidate op is instantiated once at each place and shared by every architecture that runs it. */
    PLAIN,

    /**
     * Conditional weights (Laube &amp; Zell, "Inter-choice dependent super-network weights", arXiv:2104.11522;
     * UniNAS' {@code SplitWeightsMixedOp} at depth 1): a candidate op with weights (or batch-norm statistics) holds
     * one copy per candidate of the op choice decided just before it in the network (the previous op-choice edge in
     * the order the network runs them, across cells), and a pass runs the copy of the candidate that the path took
     * there. The first op choice of the network and the ops without state (zero, skip, pooling) keep one instance.
     * The copies start equal (one initialisation, copied), as UniNAS' split copies the shared weights;
     * {@link ComposedSupernet#shareConditionalWeights()} and {@link ComposedSupernet#splitConditionalWeights()} give
     * UniNAS' schedule (shared until a milestone epoch, then split). Needs one op per edge and pass (single-path
     * and fixed policies, {@link ComposedSupernet#usePath}) and a space whose choices are op choices.
     */
    CONDITIONAL
}
