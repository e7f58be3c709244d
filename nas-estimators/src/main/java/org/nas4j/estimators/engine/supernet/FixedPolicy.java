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
        Policies.requireShape(architecture.length, ops);
        paths = new EdgePath[architecture.length];
        for (int e = 0; e < architecture.length; e++) {
            if (architecture[e] < 0 || architecture[e] >= ops) {
                throw new IllegalArgumentException("architecture[" + e + "] must be in [0, " + ops + "), but was "
                        + architecture[e]);
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
