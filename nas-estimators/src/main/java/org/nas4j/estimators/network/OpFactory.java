package org.nas4j.estimators.network;

import org.nas4j.estimators.engine.ParameterSet;

/**
 * Makes the layer of one op of a cell: an edge op, or a node op (NAS-Bench-101 style cells). A space's op set
 * (for example {@link ModuleCatalogue#asOpFactory()}) is one factory.
 *
 * <pre>{@code
 * OpFactory ops = ModuleCatalogue.standard().asOpFactory();
 * Module conv = ops.create(params, "cell0.e3", "nor_conv_3x3", 16, 16, 1);
 * }</pre>
 */
@FunctionalInterface
public interface OpFactory {

    /**
     * Creates an op.
     *
     * @param params where the op's parameters are declared
     * @param name   a unique prefix for its parameter and vertex names
     * @param op     the op name, as in the space's {@link org.nas4j.core.space.Graph}
     * @param in     input channels
     * @param out    output channels
     * @param stride 1, or 2 on the edges that reduce
     * @return the op; an exception naming the op if it is unknown
     */
    Module create(ParameterSet params, String name, String op, int in, int out, int stride);

    /**
     * Whether {@code op} is the zero op {@code none}: cells skip such edges. ({@code zero} is not: in the op
     * catalogue it is ProxylessNAS' skipped layer, which passes its input through.)
     */
    static boolean isZero(String op) {
        return op.equals("none");
    }

    /** Whether {@code op} passes its input through unchanged ({@code identity}). */
    static boolean isIdentity(String op) {
        return op.equals("identity");
    }
}
