package org.nas4j.estimators.engine.supernet;

import java.util.SplittableRandom;
import org.nas4j.estimators.engine.Mode;

/**
 * One-shot training with path dropout (Bender et al., 2018): in training every candidate op of every edge is
 * dropped independently with probability {@code rate} (at least one op per edge is kept: if all were dropped one
 * is drawn uniformly) and the kept ops are summed with weight 1; only kept ops are computed. In inference every op
 * is kept.
 *
 * <p>Bender et al.'s schedule: {@link #rate(double)} sets the rate as training goes (linearly from 0 to its final
 * value, by the trainer, see {@code SupernetTrainer.Builder#onEpochStart}); with {@link #perEdgeRoot(boolean)} an
 * edge of {@code k} ops drops each with probability {@code rate^(1/k)}, so that all of an edge's ops are dropped
 * with probability {@code rate} whatever {@code k} (the paper's rule for choice blocks with many ops).
 */
public final class PathDropoutPolicy implements PathPolicy {

    private final int[] ops;
    private double rate;
    private boolean perEdgeRoot;
    private SplittableRandom rng;
    private final EdgePath[] paths;
    private final EdgePath[] all;

    /**
     * Creates the policy.
     *
     * @param edges number of edge indices
     * @param ops   number of candidate ops per edge
     * @param rate  probability of dropping an op in training, in [0, 1)
     * @param seed  seed of the policy's generator
     */
    public PathDropoutPolicy(int edges, int ops, double rate, long seed) {
        this(Policies.uniform(edges, ops), rate, seed);
    }

    /**
     * Creates the policy for edges with their own numbers of ops.
     *
     * @param ops  number of candidate ops of each edge, each >= 1
     * @param rate probability of dropping an op in training, in [0, 1)
     * @param seed seed of the policy's generator
     */
    public PathDropoutPolicy(int[] ops, double rate, long seed) {
        Policies.requireCounts(ops);
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("rate must be in [0, 1), but was " + rate);
        }
        this.ops = ops.clone();
        this.rate = rate;
        this.rng = new SplittableRandom(seed);
        this.paths = new EdgePath[ops.length];
        this.all = new EdgePath[ops.length];
        for (int e = 0; e < ops.length; e++) {
            int[] every = new int[ops[e]];
            double[] ones = new double[ops[e]];
            for (int k = 0; k < ops[e]; k++) {
                every[k] = k;
                ones[k] = 1.0;
            }
            all[e] = new EdgePath(every, ones);
        }
    }

    /** Sets the drop rate from the next pass on, in [0, 1). */
    public PathDropoutPolicy rate(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("rate must be in [0, 1), but was " + rate);
        }
        this.rate = rate;
        return this;
    }

    /** The drop rate. */
    public double rate() {
        return rate;
    }

    /** Whether an edge of {@code k} ops drops each with probability {@code rate^(1/k)} (default: {@code rate}). */
    public PathDropoutPolicy perEdgeRoot(boolean on) {
        this.perEdgeRoot = on;
        return this;
    }

    @Override
    public void reseed(long seed) {
        rng = new SplittableRandom(seed);
    }

    @Override
    public void beginPass(Mode mode) {
        for (int e = 0; e < paths.length; e++) {
            paths[e] = mode == Mode.TRAINING ? draw(ops[e]) : all[e];
        }
    }

    private EdgePath draw(int ops) {
        int[] kept = new int[ops];
        int n = 0;
        double drop = perEdgeRoot && rate > 0 ? Math.pow(rate, 1.0 / ops) : rate;
        for (int k = 0; k < ops; k++) {
            if (rng.nextDouble() >= drop) {
                kept[n++] = k;
            }
        }
        if (n == 0) {
            kept[n++] = rng.nextInt(ops);
        }
        double[] weights = new double[n];
        java.util.Arrays.fill(weights, 1.0);
        return new EdgePath(java.util.Arrays.copyOf(kept, n), weights);
    }

    @Override
    public EdgePath path(int edge) {
        return Policies.pathOf(paths, edge);
    }
}
