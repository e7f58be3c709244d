package org.nas4j.estimators.engine.supernet;

import org.nas4j.estimators.engine.Mode;

/** Every pass takes the same given architecture: one op per edge with weight 1. */
public final class FixedPolicy implements PathPolicy {

    private final EdgePath[] paths;

    /**
     * Creates the policy.
     *
     * @param ops         number of candidate ops per edge
     * @param architecture the op index of every edge, each in [0, ops)
     */
    public FixedPolicy(int ops, int[] architecture) {
        this(Policies.uniform(architecture.length, ops), architecture);
    }

    /**
     * Creates the policy for edges with their own numbers of ops.
     *
     * @param ops          number of candidate ops of each edge
     * @param architecture the op index of every edge, {@code architecture[e]} in [0, ops[e])
     */
    public FixedPolicy(int[] ops, int[] architecture) {
        Policies.requireCounts(ops);
        if (ops.length != architecture.length) {
            throw new IllegalArgumentException("architecture must have one op per edge (" + ops.length
                    + "), but had " + architecture.length);
        }
        paths = new EdgePath[architecture.length];
        for (int e = 0; e < architecture.length; e++) {
            if (architecture[e] < 0 || architecture[e] >= ops[e]) {
                throw new IllegalArgumentException("architecture[" + e + "] must be in [0, " + ops[e]
                        + "), but was " + architecture[e]);
            }
            paths[e] = EdgePath.single(architecture[e]);
        }
    }

    @Override
    public void beginPass(Mode mode) {
    }

    @Override
    public EdgePath path(int edge) {
        Policies.requireEdge(edge, paths.length);
        return paths[edge];
    }
}
