package org.nas4j.estimators.engine.supernet;

import java.util.Arrays;

/**
 * Which candidates of each supernet edge a learned path policy may use: a steering restriction's removed options
 * and pinned choices, as the supernet's edges see them. A removed candidate's logit reads as minus infinity
 * ({@link #logits}), so its softmax weight is exactly 0, it gets no architecture gradient, no sampling draws it and
 * no derivation picks it; a pinned edge allows one candidate, which runs alone. Immutable and thread-safe.
 *
 * <pre>{@code
 * CandidateMask mask = CandidateMask.of(new boolean[][] {{true, false, true}, {false, true, false}});
 * ComposedSupernet net = ComposedSupernet.compile(space, PathPolicies.mixed(mask), modules, DataType.FLOAT, 42);
 * }</pre>
 */
public final class CandidateMask {

    private final boolean[][] allowed;
    private final int[][] allowedCandidates;

    private CandidateMask(boolean[][] allowed) {
        this.allowed = new boolean[allowed.length][];
        this.allowedCandidates = new int[allowed.length][];
        for (int e = 0; e < allowed.length; e++) {
            this.allowed[e] = allowed[e].clone();
            int n = 0;
            for (boolean a : allowed[e]) {
                n += a ? 1 : 0;
            }
            if (n == 0) {
                throw new IllegalArgumentException("allowed[" + e + "] must allow at least one candidate, but allowed"
                        + " none of " + allowed[e].length);
            }
            allowedCandidates[e] = new int[n];
            for (int k = 0, i = 0; k < allowed[e].length; k++) {
                if (allowed[e][k]) {
                    allowedCandidates[e][i++] = k;
                }
            }
        }
    }

    /**
     * A mask from {@code allowed[edge][candidate]}.
     *
     * @throws IllegalArgumentException naming the edge, if an edge allows no candidate
     */
    public static CandidateMask of(boolean[][] allowed) {
        return new CandidateMask(allowed);
    }

    /** The mask that allows every candidate of edges with {@code ops[e]} candidates (no restriction). */
    public static CandidateMask all(int[] ops) {
        boolean[][] allowed = new boolean[ops.length][];
        for (int e = 0; e < ops.length; e++) {
            allowed[e] = new boolean[ops[e]];
            Arrays.fill(allowed[e], true);
        }
        return new CandidateMask(allowed);
    }

    /** The number of edges. */
    public int edges() {
        return allowed.length;
    }

    /** Whether {@code edge} may use {@code candidate}. */
    public boolean allows(int edge, int candidate) {
        return allowed[edge][candidate];
    }

    /** The candidates {@code edge} may use, ascending. */
    public int[] allowedCandidates(int edge) {
        return allowedCandidates[edge].clone();
    }

    /** The number of candidates {@code edge} may use (1: the edge is pinned, or all but one removed). */
    public int allowedCount(int edge) {
        return allowedCandidates[edge].length;
    }

    /** Whether every candidate of every edge is allowed. */
    public boolean allowsAll() {
        for (boolean[] row : allowed) {
            for (boolean a : row) {
                if (!a) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A copy of {@code logits} (edge {@code edge}'s, one per candidate) with the removed candidates' at minus infinity. */
    public double[] logits(int edge, double[] logits) {
        requireRow(edge, logits.length);
        double[] out = logits.clone();
        for (int k = 0; k < out.length; k++) {
            if (!allowed[edge][k]) {
                out[k] = Double.NEGATIVE_INFINITY;
            }
        }
        return out;
    }

    /** Sets the removed candidates' entries of {@code gradient} (edge {@code edge}'s, padded or not) to 0. */
    public void clearRemoved(int edge, double[] gradient) {
        for (int k = 0; k < allowed[edge].length && k < gradient.length; k++) {
            if (!allowed[edge][k]) {
                gradient[k] = 0;
            }
        }
    }

    /**
     * Checks that this mask fits a policy's edges.
     *
     * @throws IllegalArgumentException naming the edge, if the number of edges or of an edge's candidates differs
     */
    public CandidateMask requireShape(int[] ops) {
        if (ops.length != allowed.length) {
            throw new IllegalArgumentException("mask must have one row per edge, " + ops.length + ", but had "
                    + allowed.length);
        }
        for (int e = 0; e < ops.length; e++) {
            requireRow(e, ops[e]);
        }
        return this;
    }

    private void requireRow(int edge, int candidates) {
        if (allowed[edge].length != candidates) {
            throw new IllegalArgumentException("mask of edge " + edge + " must have " + candidates + " entries (its"
                    + " candidates), but had " + allowed[edge].length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CandidateMask m && Arrays.deepEquals(m.allowed, allowed);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(allowed);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("CandidateMask[");
        for (int e = 0; e < allowedCandidates.length; e++) {
            s.append(e == 0 ? "" : ", ").append(Arrays.toString(allowedCandidates[e]));
        }
        return s.append(']').toString();
    }
}
