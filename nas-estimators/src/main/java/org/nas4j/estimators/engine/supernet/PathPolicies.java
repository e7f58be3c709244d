package org.nas4j.estimators.engine.supernet;

import java.util.function.LongToDoubleFunction;
import org.nas4j.estimators.engine.ParameterSet;

/**
 * Factories of the built-in {@link PathPolicy} kinds, for network builders that take a {@link PathPolicy.Factory}.
 * Every factory here also takes edges with different numbers of ops ({@link PathPolicy.Factory#create(ParameterSet,
 * int[])}).
 *
 * <pre>{@code
 * ComposedSpace nb201 = NasBench201Definition.of(NasBench201Space.standard());
 * ComposedSupernet darts = ComposedSupernet.compile(nb201, PathPolicies.mixed(), ModuleCatalogue.standard(),
 *         DataType.FLOAT, 42);
 * ComposedSupernet spos = ComposedSupernet.compile(nb201, PathPolicies.singlePath(7), ModuleCatalogue.standard(),
 *         DataType.FLOAT, 42);
 * }</pre>
 */
public final class PathPolicies {

    private PathPolicies() {
    }

    /** A factory defined on per-edge op counts; equal counts are the special case. */
    @FunctionalInterface
    private interface PerEdge extends PathPolicy.Factory {
        PathPolicy createPerEdge(ParameterSet params, int[] ops);

        @Override
        default PathPolicy create(ParameterSet params, int edges, int ops) {
            return createPerEdge(params, Policies.uniform(edges, ops));
        }

        @Override
        default PathPolicy create(ParameterSet params, int[] ops) {
            return createPerEdge(params, ops);
        }
    }

    /** DARTS: softmax-weighted sum of all ops with learnable architecture weights. */
    public static PathPolicy.Factory mixed() {
        return (PerEdge) MixedPolicy::new;
    }

    /**
     * DARTS restricted to the candidates {@code mask} allows: a removed op's weight is exactly 0 (it is not
     * computed), a pinned edge runs its one op.
     */
    public static PathPolicy.Factory mixed(CandidateMask mask) {
        return (PerEdge) (params, ops) -> new MixedPolicy(params, ops, mask);
    }

    /** SPOS / random search with weight sharing: one uniformly drawn op per edge and pass. */
    public static PathPolicy.Factory singlePath(long seed) {
        return (PerEdge) (params, ops) -> new SinglePathPolicy(ops, seed);
    }

    /** A given architecture: one op index per edge. */
    public static PathPolicy.Factory fixed(int[] architecture) {
        int[] arch = architecture.clone();
        return (PerEdge) (params, ops) -> new FixedPolicy(ops, arch);
    }

    /** GDAS: Gumbel-softmax hard one-hot with a straight-through gradient; tau per training pass. */
    public static PathPolicy.Factory gdas(long seed, LongToDoubleFunction temperature) {
        return (PerEdge) (params, ops) -> new GdasPolicy(params, ops, seed, temperature);
    }

    /** GDAS restricted to the candidates {@code mask} allows: a removed op is never drawn. */
    public static PathPolicy.Factory gdas(long seed, LongToDoubleFunction temperature, CandidateMask mask) {
        return (PerEdge) (params, ops) -> new GdasPolicy(params, ops, mask, seed, temperature);
    }

    /**
     * ProxylessNAS: two ops sampled from {@code softmax(alpha)} per edge and pass, binary gates, gradient of
     * {@code alpha} through the two gates; call {@link ProxylessPolicy#rescale()} after each architecture update.
     * With equal counts every edge needs at least two ops; with per-edge counts an edge of one op always takes it.
     */
    public static PathPolicy.Factory proxyless(long seed) {
        return new PathPolicy.Factory() {
            @Override
            public PathPolicy create(ParameterSet params, int edges, int ops) {
                return new ProxylessPolicy(params, edges, ops, seed);
            }

            @Override
            public PathPolicy create(ParameterSet params, int[] ops) {
                return new ProxylessPolicy(params, ops, seed);
            }
        };
    }

    /**
     * ProxylessNAS restricted to the candidates {@code mask} allows: the two ops are drawn among an edge's allowed
     * ops, and an edge with one allowed op always takes it.
     */
    public static PathPolicy.Factory proxyless(long seed, CandidateMask mask) {
        return (PerEdge) (params, ops) -> new ProxylessPolicy(params, ops, mask, seed);
    }

    /**
     * Bender et al.'s one-shot training: path dropout whose rate starts at 0 and is raised by the trainer (see
     * {@link PathDropoutPolicy#rate(double)}), each of an edge's {@code k} ops dropped with probability
     * {@code rate^(1/k)}.
     */
    public static PathPolicy.Factory scheduledPathDropout(long seed) {
        return (PerEdge) (params, ops) -> new PathDropoutPolicy(ops, 0, seed).perEdgeRoot(true);
    }

    /** One-shot with path dropout: each op dropped with probability {@code rate} in training. */
    public static PathPolicy.Factory pathDropout(double rate, long seed) {
        return (PerEdge) (params, ops) -> new PathDropoutPolicy(ops, rate, seed);
    }
}
