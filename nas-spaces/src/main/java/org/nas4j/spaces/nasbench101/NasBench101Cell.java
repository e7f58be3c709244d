package org.nas4j.spaces.nasbench101;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A NAS-Bench-101 cell (the benchmark's {@code ModelSpec}): an upper-triangular 0/1 adjacency matrix over
 * {@code V} vertices plus one label per vertex, vertex 0 labelled {@value NasBench101Ops#INPUT}, vertex
 * {@code V-1} labelled {@value NasBench101Ops#OUTPUT}, the others one of {@link NasBench101Ops#OPERATIONS}.
 * Immutable and thread-safe, with value equality on (matrix, labels) as given, before pruning.
 *
 * <p>{@link #pruned()} removes the vertices that are not on a path from input to output, as the benchmark does
 * before building or hashing a cell; {@link #isValid()} is the benchmark's {@code is_valid}: input connected
 * to output, and after pruning at most {@value #MAX_VERTICES} vertices and {@value #MAX_EDGES} edges.
 * {@link #hash()} is the benchmark's graph hash, the key of its table.
 *
 * <pre>{@code
 * NasBench101Cell inception = NasBench101Cell.parse(
 *         "adjacency=0111010/0000001/0000001/0000100/0000001/0000001/0000000;"
 *         + "ops=input|conv1x1-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|maxpool3x3|output");
 * inception.hash();   // "28cfc7874f6d200472e1a9dcd8650aa0"
 * }</pre>
 *
 * <p>Text form ({@link #toString()}, read by {@link #parse}): {@code adjacency=} then the matrix rows as 0/1
 * digits separated by {@code /}, then {@code ;ops=} and the labels separated by {@code |}.
 */
public final class NasBench101Cell {
    /** Most vertices of a valid cell after pruning, input and output included. */
    public static final int MAX_VERTICES = 7;
    /** Most edges of a valid cell after pruning. */
    public static final int MAX_EDGES = 9;

    private final int[] successors;
    private final List<String> ops;

    private NasBench101Cell(int[] successors, List<String> ops) {
        this.successors = successors;
        this.ops = ops;
    }

    /**
     * The cell with adjacency {@code matrix} ({@code matrix[i][j] == 1} for an edge {@code i -> j}) and vertex
     * labels {@code ops}.
     *
     * @throws IllegalArgumentException if the matrix is not square, has fewer than 2 or more than
     *                                  {@value GraphHasher#MAX_VERTICES} rows, has entries other than 0 and 1 or
     *                                  any on or below the diagonal, or if {@code ops} does not match its size,
     *                                  does not start with input and end with output, or names an unknown op
     */
    public static NasBench101Cell of(int[][] matrix, List<String> ops) {
        Objects.requireNonNull(matrix, "matrix");
        Objects.requireNonNull(ops, "ops");
        int n = matrix.length;
        if (n < 2 || n > GraphHasher.MAX_VERTICES) {
            throw new IllegalArgumentException("matrix must have between 2 and " + GraphHasher.MAX_VERTICES
                    + " rows, but had " + n);
        }
        int[] successors = new int[n];
        for (int i = 0; i < n; i++) {
            if (matrix[i] == null || matrix[i].length != n) {
                throw new IllegalArgumentException("matrix must be square (" + n + "x" + n + "), but row " + i
                        + " had " + (matrix[i] == null ? "no" : String.valueOf(matrix[i].length)) + " entries");
            }
            for (int j = 0; j < n; j++) {
                int e = matrix[i][j];
                if (e != 0 && e != 1) {
                    throw new IllegalArgumentException("matrix entries must be 0 or 1, but matrix[" + i + "][" + j
                            + "] was " + e);
                }
                if (e == 1 && j <= i) {
                    throw new IllegalArgumentException("matrix must be strictly upper triangular, but matrix[" + i
                            + "][" + j + "] was 1");
                }
                if (e == 1) {
                    successors[i] |= 1 << j;
                }
            }
        }
        return new NasBench101Cell(successors, checkOps(ops, n));
    }

    /** The cell with row bitmasks {@code successors} (bit j of row i: edge i -> j); rows trusted upper-triangular. */
    static NasBench101Cell ofRows(int[] successors, List<String> ops) {
        return new NasBench101Cell(successors.clone(), checkOps(ops, successors.length));
    }

    private static List<String> checkOps(List<String> ops, int n) {
        if (ops.size() != n) {
            throw new IllegalArgumentException("ops must have one label per matrix row (" + n + "), but had "
                    + ops.size() + ": " + ops);
        }
        for (int i = 0; i < n; i++) {
            String op = Objects.requireNonNull(ops.get(i), "ops[" + i + "]");
            String expected = i == 0 ? NasBench101Ops.INPUT : i == n - 1 ? NasBench101Ops.OUTPUT : null;
            if (expected != null && !op.equals(expected)) {
                throw new IllegalArgumentException("ops[" + i + "] must be '" + expected + "', but was '" + op + "'");
            }
            if (expected == null && !NasBench101Ops.OPERATIONS.contains(op)) {
                throw new IllegalArgumentException("ops[" + i + "] must be one of " + NasBench101Ops.OPERATIONS
                        + ", but was '" + op + "'");
            }
        }
        return List.copyOf(ops);
    }

    /**
     * Reads the text form, e.g. {@code adjacency=0110/0001/0001/0000;ops=input|conv3x3-bn-relu|maxpool3x3|output}.
     *
     * @throws IllegalArgumentException naming the bad part for malformed text or an invalid matrix or labels
     */
    public static NasBench101Cell parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.trim().split(";", -1);
        if (parts.length != 2 || !parts[0].trim().startsWith("adjacency=") || !parts[1].trim().startsWith("ops=")) {
            throw new IllegalArgumentException("text must look like 'adjacency=<rows of 0/1 separated by />;"
                    + "ops=<labels separated by |>', but was '" + text + "'");
        }
        String[] rows = parts[0].trim().substring("adjacency=".length()).split("/", -1);
        int[][] matrix = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            String row = rows[i].trim();
            matrix[i] = new int[row.length()];
            for (int j = 0; j < row.length(); j++) {
                char c = row.charAt(j);
                if (c != '0' && c != '1') {
                    throw new IllegalArgumentException("adjacency row " + i + " must hold only 0 and 1, but was '"
                            + row + "' in '" + text + "'");
                }
                matrix[i][j] = c - '0';
            }
        }
        List<String> ops = new ArrayList<>();
        for (String op : parts[1].trim().substring("ops=".length()).split("\\|", -1)) {
            ops.add(op.trim());
        }
        return of(matrix, ops);
    }

    /** The number of vertices, input and output included. */
    public int vertexCount() {
        return successors.length;
    }

    /** The number of edges. */
    public int edgeCount() {
        int e = 0;
        for (int row : successors) {
            e += Integer.bitCount(row);
        }
        return e;
    }

    /** Whether there is an edge {@code from -> to}. */
    public boolean hasEdge(int from, int to) {
        checkVertex("from", from);
        checkVertex("to", to);
        return (successors[from] >>> to & 1) == 1;
    }

    /** The label of every vertex, input first, output last. */
    public List<String> ops() {
        return ops;
    }

    /** A copy of the adjacency matrix. */
    public int[][] matrix() {
        int n = successors.length;
        int[][] m = new int[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = successors[i] >>> j & 1;
            }
        }
        return m;
    }

    /** The successors of every vertex as bitmasks (bit j of entry i: edge i -> j); a copy. */
    int[] rows() {
        return successors.clone();
    }

    /**
     * This cell without the vertices that are not on a path from input to output, the others renumbered in
     * order (the benchmark's {@code ModelSpec} pruning); empty when the input is not connected to the output.
     */
    public Optional<NasBench101Cell> pruned() {
        int n = successors.length;
        int keep = Pruning.keptVertices(successors);
        if (keep == 0) {
            return Optional.empty();
        }
        if (keep == (1 << n) - 1) {
            return Optional.of(this);
        }
        int[] index = new int[n];
        int k = 0;
        for (int v = 0; v < n; v++) {
            index[v] = (keep >>> v & 1) == 1 ? k++ : -1;
        }
        int[] rows = new int[k];
        List<String> prunedOps = new ArrayList<>(k);
        for (int v = 0; v < n; v++) {
            if (index[v] < 0) {
                continue;
            }
            int row = 0;
            for (int m = successors[v] & keep; m != 0; m &= m - 1) {
                row |= 1 << index[Integer.numberOfTrailingZeros(m)];
            }
            rows[index[v]] = row;
            prunedOps.add(ops.get(v));
        }
        return Optional.of(new NasBench101Cell(rows, List.copyOf(prunedOps)));
    }

    /**
     * Whether the benchmark holds this cell: input connected to output and, after pruning, at most
     * {@value #MAX_VERTICES} vertices and {@value #MAX_EDGES} edges.
     */
    public boolean isValid() {
        Optional<NasBench101Cell> p = pruned();
        return p.isPresent() && p.get().vertexCount() <= MAX_VERTICES && p.get().edgeCount() <= MAX_EDGES;
    }

    /**
     * The benchmark's graph hash of the pruned cell (32 lower-case hex digits): the same for isomorphic cells,
     * and the key of the benchmark's table.
     *
     * @throws IllegalStateException if the input is not connected to the output
     */
    public String hash() {
        NasBench101Cell p = pruned().orElseThrow(() -> new IllegalStateException(
                "cell has no path from input to output, so no hash: " + this));
        int n = p.successors.length;
        int[] labels = new int[n];
        for (int v = 0; v < n; v++) {
            labels[v] = NasBench101Ops.label(p.ops.get(v));
        }
        GraphHasher hasher = new GraphHasher();
        hasher.hash(n, p.successors, Pruning.predecessors(p.successors), labels);
        return hasher.hexString();
    }

    private void checkVertex(String name, int v) {
        if (v < 0 || v >= successors.length) {
            throw new IllegalArgumentException(name + " must be in [0, " + successors.length + "), but was " + v);
        }
    }

    /** The text form read by {@link #parse}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("adjacency=");
        int n = successors.length;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('/');
            }
            for (int j = 0; j < n; j++) {
                sb.append((char) ('0' + (successors[i] >>> j & 1)));
            }
        }
        return sb.append(";ops=").append(String.join("|", ops)).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NasBench101Cell other && Arrays.equals(other.successors, successors)
                && other.ops.equals(ops);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(successors) + ops.hashCode();
    }
}
