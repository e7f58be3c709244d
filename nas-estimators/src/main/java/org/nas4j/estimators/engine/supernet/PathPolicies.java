package org.nas4j.estimators.engine.supernet;

import java.util.function.LongToDoubleFunction;

/**
 * Factories of the built-in {@link PathPolicy} kinds, for network builders that take a {@link PathPolicy.Factory}.
 *
 * <pre>{@code
 * Nb201Network darts = Nb201Network.builder().supernet(PathPolicies.mixed()).build();
 * Nb201Network spos = Nb201Network.builder().supernet(PathPolicies.singlePath(7)).build();
 * }</pre>
 */
public final class PathPolicies {

    private PathPolicies() {
    }

    /** DARTS: softmax-weighted sum of all ops with learnable architecture weights. */
    public static PathPolicy.Factory mixed() {
        return MixedPolicy::new;
    }

    /** SPOS / random search with weight sharing: one uniformly drawn op per edge and pass. */
    public static PathPolicy.Factory singlePath(long seed) {
        return (params, edges, ops) -> new SinglePathPolicy(edges, ops, seed);
    }

    /** A given architecture: one op index per edge. */
    public static PathPolicy.Factory fixed(int[] architecture) {
        int[] arch = architecture.clone();
        return (params, edges, ops) -> {
            if (arch.length != edges) {
                throw new IllegalArgumentException("architecture must have one op per edge (" + edges
                        + "), but had " + arch.length);
            }
            return new FixedPolicy(ops, arch);
        };
    }

    /** GDAS: Gumbel-softmax hard one-hot with a straight-through gradient; tau per training pass. */
    public static PathPolicy.Factory gdas(long seed, LongToDoubleFunction temperature) {
        return (params, edges, ops) -> new GdasPolicy(params, edges, ops, seed, temperature);
    }

    /**
     * ProxylessNAS: two ops sampled from {@code softmax(alpha)} per edge and pass, binary gates, gradient of
     * {@code alpha} through the two gates; call {@link ProxylessPolicy#rescale()} after each architecture update.
     */
    public static PathPolicy.Factory proxyless(long seed) {
        return (params, edges, ops) -> new ProxylessPolicy(params, edges, ops, seed);
    }

    /** One-shot with path dropout: each op dropped with probability {@code rate} in training. */
    public static PathPolicy.Factory pathDropout(double rate, long seed) {
        return (params, edges, ops) -> new PathDropoutPolicy(edges, ops, rate, seed);
    }
}
