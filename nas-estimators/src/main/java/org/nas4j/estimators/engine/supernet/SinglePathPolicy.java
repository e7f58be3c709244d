package org.nas4j.estimators.engine.supernet;

import java.util.SplittableRandom;
import org.nas4j.estimators.engine.Mode;

/**
 * One op per edge, drawn uniformly at random at the start of every pass (SPOS; random search with weight sharing).
 * The draw is per edge index, so all cells of a pass share one architecture, as NAS-Bench-201 cells do.
 */
public final class SinglePathPolicy implements PathPolicy {

    private final int[] ops;
    private SplittableRandom rng;
    private final EdgePath[] paths;

    /**
     * Creates the policy.
     *
     * @param edges number of edge indices
     * @param ops   number of candidate ops per edge
     * @param seed  seed of the policy's generator
     */
    public SinglePathPolicy(int edges, int ops, long seed) {
        this(Policies.uniform(edges, ops), seed);
    }

    /**
     * Creates the policy for edges with their own numbers of ops.
     *
     * @param ops  number of candidate ops of each edge, each >= 1
     * @param seed seed of the policy's generator
     */
    public SinglePathPolicy(int[] ops, long seed) {
        this.ops = Policies.requireCounts(ops);
        this.rng = new SplittableRandom(seed);
        this.paths = new EdgePath[ops.length];
    }

    @Override
    public void reseed(long seed) {
        rng = new SplittableRandom(seed);
    }

    @Override
    public void beginPass(Mode mode) {
        for (int e = 0; e < paths.length; e++) {
            paths[e] = EdgePath.single(rng.nextInt(ops[e]));
        }
    }

    @Override
    public EdgePath path(int edge) {
        return Policies.pathOf(paths, edge);
    }

    /** The architecture drawn for the current pass. */
    public int[] current() {
        int[] arch = new int[paths.length];
        for (int e = 0; e < arch.length; e++) {
            arch[e] = path(e).op(0);
        }
        return arch;
    }
}
