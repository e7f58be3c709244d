package org.nas4j.spaces.nasbench101;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The full DAGs of the enumeration (every vertex on an input-output path) grouped into isomorphism classes of
 * unlabelled graphs with input and output fixed: one representative matrix per class, with its automorphisms.
 *
 * @param representatives one matrix per class, the first met in bit-string order
 * @param fullDags        full DAGs with at most the given number of edges, before grouping
 */
record DagClasses(List<Representative> representatives, long fullDags) {

    /**
     * One class: a matrix and the permutations of its interior vertices that map it onto itself.
     *
     * @param successors     successor bitmasks
     * @param predecessors   predecessor bitmasks
     * @param automorphisms  the permutations (vertex v goes to {@code p[v]}) other than the identity
     */
    record Representative(int[] successors, int[] predecessors, int[][] automorphisms) {

        /**
         * Whether labelling {@code ops} (whose code is {@code code}) is the smallest of its images under the
         * automorphisms, so that exactly one labelling per class of labelled graphs is kept.
         */
        boolean isCanonicalLabelling(int[] ops, int code) {
            int n = successors.length;
            for (int[] p : automorphisms) {
                int c = 0;
                for (int v = n - 2; v >= 1; v--) {
                    c = 3 * c + ops[p[v]];
                }
                if (c < code) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The classes of full DAGs of {@code n} vertices with at most {@code maxEdges} edges. */
    static DagClasses of(int n, int maxEdges) {
        List<int[]> perms = interiorPermutations(n);
        Map<Long, Boolean> seen = new HashMap<>();
        List<Representative> reps = new ArrayList<>();
        int[] succ = new int[n];
        int[] pred = new int[n];
        long full = 0;
        long matrices = 1L << (n * (n - 1) / 2);
        for (long bits = 0; bits < matrices; bits++) {
            if (Long.bitCount(bits) > maxEdges || !toMatrix(n, bits, succ, pred)) {
                continue;
            }
            full++;
            long identity = code(succ, null);
            long best = identity;
            List<int[]> autos = new ArrayList<>();
            for (int[] p : perms) {
                long c = code(succ, p);
                if (c < best) {
                    best = c;
                }
                if (c == identity && !isIdentity(p)) {
                    autos.add(p);
                }
            }
            if (seen.putIfAbsent(best, Boolean.TRUE) == null) {
                reps.add(new Representative(succ.clone(), pred.clone(), autos.toArray(new int[0][])));
            }
        }
        return new DagClasses(reps, full);
    }

    /** The edge set after moving vertex v to {@code p[v]} ({@code p == null}: as is), as bits of an n x n grid. */
    private static long code(int[] succ, int[] p) {
        int n = succ.length;
        long c = 0;
        for (int x = 0; x < n; x++) {
            for (int m = succ[x]; m != 0; m &= m - 1) {
                int y = Integer.numberOfTrailingZeros(m);
                int px = p == null ? x : p[x];
                int py = p == null ? y : p[y];
                c |= 1L << (px * n + py);
            }
        }
        return c;
    }

    private static boolean isIdentity(int[] p) {
        for (int v = 0; v < p.length; v++) {
            if (p[v] != v) {
                return false;
            }
        }
        return true;
    }

    /** Every permutation of {@code 0..n-1} that fixes 0 and n - 1. */
    private static List<int[]> interiorPermutations(int n) {
        List<int[]> out = new ArrayList<>();
        int[] p = new int[n];
        for (int v = 0; v < n; v++) {
            p[v] = v;
        }
        permute(p, 1, n - 1, out);
        return out;
    }

    private static void permute(int[] p, int from, int end, List<int[]> out) {
        if (from >= end - 1) {
            out.add(p.clone());
            return;
        }
        for (int i = from; i < end; i++) {
            swap(p, from, i);
            permute(p, from + 1, end, out);
            swap(p, from, i);
        }
    }

    private static void swap(int[] p, int i, int j) {
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
    }

    /**
     * Fills the adjacency of bit string {@code bits} (the benchmark's order: bit {@code x + y(y-1)/2} is the edge
     * x -> y); false if some vertex other than the output has no successor or other than the input has no
     * predecessor (the benchmark's {@code is_full_dag}).
     */
    static boolean toMatrix(int n, long bits, int[] succ, int[] pred) {
        Arrays.fill(succ, 0, n, 0);
        Arrays.fill(pred, 0, n, 0);
        int index = 0;
        for (int y = 1; y < n; y++) {
            for (int x = 0; x < y; x++) {
                if ((bits >>> index & 1) == 1) {
                    succ[x] |= 1 << y;
                    pred[y] |= 1 << x;
                }
                index++;
            }
        }
        for (int v = 0; v < n; v++) {
            if ((v < n - 1 && succ[v] == 0) || (v > 0 && pred[v] == 0)) {
                return false;
            }
        }
        return true;
    }
}
