package org.nas4j.spaces.nasbench101;

import java.util.Objects;

/**
 * The NAS-Bench-101 graph hash ({@code graph_util.hash_module}) of any labelled DAG: an iterated MD5 of
 * (out-degree, in-degree, label) per vertex refined with the neighbours' hashes, invariant under isomorphism.
 * For cells, {@link NasBench101Cell#hash()} prunes first and uses the benchmark's labels (input -1, output -2,
 * the ops by their index in {@link NasBench101Ops#OPERATIONS}), which is what the benchmark's table is keyed by.
 *
 * <pre>{@code
 * NasBench101Hash.hash(new int[][] {{0, 1}, {0, 0}}, new int[] {-1, -2});
 * }</pre>
 */
public final class NasBench101Hash {
    private NasBench101Hash() {
    }

    /**
     * The hash (32 lower-case hex digits) of the graph with adjacency {@code matrix} (upper-triangular 0/1) and
     * integer vertex {@code labels}, computed exactly as the benchmark does, without pruning.
     *
     * @throws IllegalArgumentException if the matrix is not square, not strictly upper triangular with 0/1
     *                                  entries, larger than {@value GraphHasher#MAX_VERTICES} vertices, or if
     *                                  the labels do not match its size
     */
    public static String hash(int[][] matrix, int[] labels) {
        Objects.requireNonNull(matrix, "matrix");
        Objects.requireNonNull(labels, "labels");
        int n = matrix.length;
        if (n < 1 || n > GraphHasher.MAX_VERTICES) {
            throw new IllegalArgumentException("matrix must have between 1 and " + GraphHasher.MAX_VERTICES
                    + " rows, but had " + n);
        }
        if (labels.length != n) {
            throw new IllegalArgumentException("labels must have one entry per matrix row (" + n + "), but had "
                    + labels.length);
        }
        int[] successors = new int[n];
        for (int i = 0; i < n; i++) {
            if (matrix[i] == null || matrix[i].length != n) {
                throw new IllegalArgumentException("matrix must be square (" + n + "x" + n + "), but row " + i
                        + " had " + (matrix[i] == null ? "no" : String.valueOf(matrix[i].length)) + " entries");
            }
            for (int j = 0; j < n; j++) {
                int e = matrix[i][j];
                if (e != 0 && (e != 1 || j <= i)) {
                    throw new IllegalArgumentException("matrix must be strictly upper triangular with 0/1 entries, "
                            + "but matrix[" + i + "][" + j + "] was " + e);
                }
                successors[i] |= e << j;
            }
        }
        GraphHasher hasher = new GraphHasher();
        hasher.hash(n, successors, Pruning.predecessors(successors), labels);
        return hasher.hexString();
    }
}
