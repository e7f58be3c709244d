package org.nas4j.estimators.network;

import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.supernet.EdgePath;
import org.nas4j.estimators.engine.supernet.PathPolicy;

/**
 * The policy the edges of a {@link ComposedSupernet} are compiled with: the supernet's own policy, unless a path is
 * set ({@link ComposedSupernet#usePath}); then every pass takes that path, one candidate per edge with weight 1, as
 * {@link org.nas4j.estimators.engine.supernet.FixedPolicy} does, without drawing from the supernet's policy (its
 * generator is not advanced) and without architecture-weight gradients. A path set or cleared takes effect at the
 * next {@link #beginPass}, so a forward and its backward always see the same policy. Not thread-safe.
 */
final class PathOverride implements PathPolicy {

    private final PathPolicy policy;
    private final int[] sizes;
    private EdgePath[] requested;
    private EdgePath[] current;

    PathOverride(PathPolicy policy, int[] sizes) {
        this.policy = policy;
        this.sizes = sizes.clone();
    }

    /** Sets the path of the following passes, validating it against the edge sizes. */
    void set(int[] path) {
        if (path.length != sizes.length) {
            throw new IllegalArgumentException("path must have one candidate per edge (" + sizes.length
                    + "), but had " + path.length);
        }
        EdgePath[] paths = new EdgePath[path.length];
        for (int e = 0; e < path.length; e++) {
            if (path[e] < 0 || path[e] >= sizes[e]) {
                throw new IllegalArgumentException("path[" + e + "] must be in [0, " + sizes[e] + "), but was "
                        + path[e]);
            }
            paths[e] = EdgePath.single(path[e]);
        }
        requested = paths;
    }

    /** Returns the following passes to the supernet's policy. */
    void clear() {
        requested = null;
    }

    /** The path set for the following passes, or null. */
    int[] requested() {
        if (requested == null) {
            return null;
        }
        int[] path = new int[requested.length];
        for (int e = 0; e < path.length; e++) {
            path[e] = requested[e].op(0);
        }
        return path;
    }

    @Override
    public void beginPass(Mode mode) {
        current = requested;
        if (current == null) {
            policy.beginPass(mode);
        }
    }

    @Override
    public EdgePath path(int edge) {
        if (current == null) {
            return policy.path(edge);
        }
        if (edge < 0 || edge >= current.length) {
            throw new IllegalArgumentException("edge must be in [0, " + current.length + "), but was " + edge);
        }
        return current[edge];
    }

    @Override
    public boolean needsWeightGradients() {
        return current == null && policy.needsWeightGradients();
    }

    @Override
    public boolean needsGradientSums() {
        return current == null && policy.needsGradientSums();
    }

    @Override
    public void addWeightGradients(int edge, double[] gradWeights, double gradOutputSum) {
        if (current == null) {
            policy.addWeightGradients(edge, gradWeights, gradOutputSum);
        }
    }

    @Override
    public void endBackward() {
        if (current == null) {
            policy.endBackward();
        }
    }
}
