package org.nas4j.estimators.network;

import java.util.List;
import org.nas4j.core.space.RestrictedSpace;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.engine.supernet.CandidateMask;

/**
 * A steering restriction as the {@link ComposedSupernet} of the restricted builder space sees it: the
 * {@link CandidateMask} of its policy edges. A candidate is allowed when some decision that gives it (its op
 * choice's option and the options of the values its op name reads) holds allowed options only, so a removed option
 * removes every candidate made of it, and a pinned choice leaves its edge one candidate (per value options).
 * A supernet whose cell nodes are relaxed as DARTS does (state edges: one mixed op per candidate state, shared by
 * the node's op choices) is refused: a restriction of one of a node's op choices has no edge of its own there.
 *
 * <pre>{@code
 * RestrictedSpace round2 = SpaceRestriction.none().remove("cell.n1.op0", "none").applyTo(space);
 * ComposedSupernet net = ComposedSupernet.compile(space, PathPolicies.mixed(SupernetMasks.of(round2)),
 *         ModuleCatalogue.standard(), DataType.FLOAT, 42);
 * }</pre>
 */
public final class SupernetMasks {

    private SupernetMasks() {
    }

    /**
     * The mask of the supernet of {@code space.unrestricted()}.
     *
     * @throws IllegalArgumentException naming the space, if the restricted space is not a builder space's or its
     *                                  supernet relaxes nodes as DARTS does
     */
    public static CandidateMask of(RestrictedSpace space) {
        if (!(space.unrestricted() instanceof ComposedSpace composed)) {
            throw new IllegalArgumentException("space must restrict a builder space (ComposedSpace) to mask its"
                    + " supernet, but restricted " + space.unrestricted().identity());
        }
        boolean[][] options = allowedOptions(space);
        List<SupernetLayout.Edge> edges = SupernetLayout.of(composed).edges();
        for (SupernetLayout.Edge edge : edges) {
            if (edge.state()) {
                throw new IllegalArgumentException("space '" + composed.name() + "' has cell nodes relaxed as DARTS"
                        + " does (state edges, each mixing the ops of all the node's op choices), which a restriction"
                        + " cannot mask; restricted to {" + space.restriction().text() + "}");
            }
        }
        boolean[][] allowed = new boolean[edges.size()][];
        for (int e = 0; e < allowed.length; e++) {
            SupernetLayout.Edge edge = edges.get(e);
            allowed[e] = new boolean[edge.candidates().size()];
            for (int k = 0; k < allowed[e].length; k++) {
                for (int[] combo : edge.candidates().get(k).combos()) {
                    allowed[e][k] |= allows(edge, combo, options);
                }
            }
        }
        return CandidateMask.of(allowed);
    }

    /** Whether every option of {@code combo} ({@code [op option, value options...]}, as the edge reads it) is allowed. */
    private static boolean allows(SupernetLayout.Edge edge, int[] combo, boolean[][] options) {
        if (edge.choice() >= 0 && !options[edge.choice()][combo[0]]) {
            return false;
        }
        for (int s = 0; s < edge.values().length; s++) {
            if (!options[edge.values()[s]][combo[1 + s]]) {
                return false;
            }
        }
        return true;
    }

    /** {@code [choice][option]}: whether the restricted space allows the option. */
    private static boolean[][] allowedOptions(RestrictedSpace space) {
        boolean[][] out = new boolean[space.choices().size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new boolean[space.choices().get(i).size()];
            for (int o = 0; o < out[i].length; o++) {
                out[i][o] = space.allowsOption(i, o);
            }
        }
        return out;
    }
}
