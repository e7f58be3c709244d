package org.nas4j.estimators.engine.supernet;

import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;

/**
 * How the edges of a supernet combine their candidate ops in one forward pass; the only thing in which the
 * one-shot strategies (DARTS, GDAS, SPOS, ProxylessNAS, path dropout...) differ.
 *
 * <p>Call order, driven by the network: {@link #beginPass} once per forward pass; {@link #path} by every edge
 * (edges of different cells with the same index share the path, as NAS cells share their architecture); in the
 * backward pass, {@link #addWeightGradients} by every edge if {@link #needsWeightGradients()}; then
 * {@link #endBackward()} once, where a policy with architecture weights writes their gradients.
 *
 * <p>Randomness comes from the policy's own seeded generator, never from global state.
 */
public interface PathPolicy {

    /** Creates a policy for a supernet, declaring its architecture weights (if any) in {@code params}. */
    @FunctionalInterface
    interface Factory {

        /**
         * Creates the policy.
         *
         * @param params where architecture weights are declared
         * @param edges  number of edge indices (6 for a NAS-Bench-201 cell)
         * @param ops    number of candidate ops per edge
         * @return the policy
         */
        PathPolicy create(ParameterSet params, int edges, int ops);

        /**
         * Creates the policy for edges with their own numbers of ops (a supernet whose op choices differ in size).
         * The built-in factories ({@link PathPolicies}) take any counts; this default takes equal counts only.
         *
         * @param params where architecture weights are declared
         * @param ops    the number of candidate ops of each edge
         * @return the policy
         */
        default PathPolicy create(ParameterSet params, int[] ops) {
            Policies.requireCounts(ops);
            for (int e = 1; e < ops.length; e++) {
                if (ops[e] != ops[0]) {
                    throw new IllegalArgumentException("this policy factory takes one number of ops for every edge,"
                            + " but edge " + e + " has " + ops[e] + " and edge 0 has " + ops[0]
                            + "; use a factory of PathPolicies");
                }
            }
            return create(params, ops.length, ops[0]);
        }
    }

    /**
     * Restarts the policy's random generator from {@code seed} (a no-op for policies that draw nothing): a
     * one-shot trainer reseeds at every epoch, so that a search resumed from an epoch's checkpoint draws the same
     * paths as one that was never stopped.
     */
    default void reseed(long seed) {
    }

    /**
     * Tells the policy whether the following training passes serve an architecture step (true) or a weight step
     * (false), as a one-shot trainer alternates them; ProxylessNAS runs two sampled paths only for the former.
     * Default: nothing.
     */
    default void architecturePasses(boolean on) {
    }

    /**
     * Called after the architecture optimizer updated the architecture weights; ProxylessNAS rescales the sampled
     * pair's logits there. Default: nothing.
     */
    default void afterArchitectureUpdate() {
    }

    /** Starts a forward pass and draws its paths. */
    void beginPass(Mode mode);

    /** The path through the edge with the given index in the current pass. */
    EdgePath path(int edge);

    /** Whether edges must report the gradient of the loss with respect to their op weights. */
    default boolean needsWeightGradients() {
        return false;
    }

    /** Whether edges must also report the sum of their output gradient (for straight-through estimators). */
    default boolean needsGradientSums() {
        return false;
    }

    /**
     * Receives one edge's gradients; called once per edge instance (so once per cell for a shared edge index).
     *
     * @param edge          the edge index
     * @param gradWeights   dL/d(weight) of each op of {@code path(edge)}, parallel to its ops
     * @param gradOutputSum sum of dL/d(output) over all elements, if {@link #needsGradientSums()}; else 0
     */
    default void addWeightGradients(int edge, double[] gradWeights, double gradOutputSum) {
    }

    /** Ends a backward pass: writes the gradients of the architecture weights, if any. */
    default void endBackward() {
    }

}
