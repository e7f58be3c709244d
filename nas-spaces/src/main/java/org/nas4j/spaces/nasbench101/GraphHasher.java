package org.nas4j.spaces.nasbench101;

import java.nio.charset.StandardCharsets;

/**
 * The benchmark's graph hash on bitmask adjacency, without allocation per graph: the hot path of enumeration.
 * Not thread-safe: one instance per thread. {@link NasBench101Hash} is the public entry point.
 *
 * <p>The rule (NAS-Bench-101's {@code graph_util.hash_module}): every vertex starts with the MD5 hex of the
 * Python text {@code "(out_degree, in_degree, label)"}; then, as many rounds as there are vertices, each vertex
 * takes the MD5 hex of (its in-neighbours' hashes sorted and concatenated) + "|" + (its out-neighbours' hashes
 * sorted and concatenated) + "|" + (its own hash); the graph's hash is the MD5 hex of the Python text of the
 * sorted list of vertex hashes, {@code "['h1', 'h2', ...]"}. Hashes are kept as two big-endian longs, whose
 * unsigned order is the order of their hex strings.
 */
final class GraphHasher {
    /** Most vertices a graph may have here (adjacency rows are int bitmasks). */
    static final int MAX_VERTICES = 31;

    private static final int CACHED_DEGREES = 8;
    private static final int MIN_LABEL = -2;
    private static final int CACHED_LABELS = 5;
    private static final long[] INITIAL_HI = new long[CACHED_DEGREES * CACHED_DEGREES * CACHED_LABELS];
    private static final long[] INITIAL_LO = new long[INITIAL_HI.length];

    static {
        GraphHasher h = new GraphHasher();
        for (int out = 0; out < CACHED_DEGREES; out++) {
            for (int in = 0; in < CACHED_DEGREES; in++) {
                for (int l = 0; l < CACHED_LABELS; l++) {
                    h.initialUncached(out, in, l + MIN_LABEL);
                    int k = (out * CACHED_DEGREES + in) * CACHED_LABELS + l;
                    INITIAL_HI[k] = h.md5.hi();
                    INITIAL_LO[k] = h.md5.lo();
                }
            }
        }
    }

    private final Md5 md5 = new Md5();
    private byte[] buffer = new byte[256];
    private final long[] hi = new long[MAX_VERTICES];
    private final long[] lo = new long[MAX_VERTICES];
    private final long[] nextHi = new long[MAX_VERTICES];
    private final long[] nextLo = new long[MAX_VERTICES];
    private final byte[] hex = new byte[MAX_VERTICES * 32];
    private final int[] order = new int[MAX_VERTICES];
    private long resultHi;
    private long resultLo;

    /** High 8 bytes of the last hash. */
    long hi() {
        return resultHi;
    }

    /** Low 8 bytes of the last hash. */
    long lo() {
        return resultLo;
    }

    /** The last hash as the benchmark's 32-character hex string. */
    String hexString() {
        return Md5.hexString(resultHi, resultLo);
    }

    /**
     * Hashes the graph of {@code n} vertices whose vertex {@code v} has successors {@code successors[v]} and
     * predecessors {@code predecessors[v]} (bitmasks) and label {@code labels[v]}; read the result with
     * {@link #hi()}, {@link #lo()} or {@link #hexString()}.
     */
    void hash(int n, int[] successors, int[] predecessors, int[] labels) {
        for (int v = 0; v < n; v++) {
            int out = Integer.bitCount(successors[v]);
            int in = Integer.bitCount(predecessors[v]);
            int l = labels[v] - MIN_LABEL;
            if (out < CACHED_DEGREES && in < CACHED_DEGREES && l >= 0 && l < CACHED_LABELS) {
                int k = (out * CACHED_DEGREES + in) * CACHED_LABELS + l;
                hi[v] = INITIAL_HI[k];
                lo[v] = INITIAL_LO[k];
            } else {
                initialUncached(out, in, labels[v]);
                hi[v] = md5.hi();
                lo[v] = md5.lo();
            }
        }
        for (int round = 0; round < n; round++) {
            for (int v = 0; v < n; v++) {
                Md5.hex(hi[v], lo[v], hex, 32 * v);
            }
            for (int v = 0; v < n; v++) {
                int len = appendSorted(predecessors[v], 0);
                ensure(len + 1);
                buffer[len++] = '|';
                len = appendSorted(successors[v], len);
                ensure(len + 33);
                buffer[len++] = '|';
                System.arraycopy(hex, 32 * v, buffer, len, 32);
                len += 32;
                md5.digest(buffer, len);
                nextHi[v] = md5.hi();
                nextLo[v] = md5.lo();
            }
            System.arraycopy(nextHi, 0, hi, 0, n);
            System.arraycopy(nextLo, 0, lo, 0, n);
        }
        for (int v = 0; v < n; v++) {
            order[v] = v;
        }
        sort(order, n);
        ensure(4 + 36 * n);
        int len = 0;
        buffer[len++] = '[';
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                buffer[len++] = ',';
                buffer[len++] = ' ';
            }
            buffer[len++] = '\'';
            Md5.hex(hi[order[i]], lo[order[i]], buffer, len);
            len += 32;
            buffer[len++] = '\'';
        }
        buffer[len++] = ']';
        md5.digest(buffer, len);
        resultHi = md5.hi();
        resultLo = md5.lo();
    }

    /** Appends the hex of the vertices in {@code mask}, sorted, at {@code len}; returns the new length. */
    private int appendSorted(int mask, int len) {
        int k = 0;
        for (int m = mask; m != 0; m &= m - 1) {
            order[k++] = Integer.numberOfTrailingZeros(m);
        }
        sort(order, k);
        ensure(len + 32 * k);
        for (int i = 0; i < k; i++) {
            System.arraycopy(hex, 32 * order[i], buffer, len, 32);
            len += 32;
        }
        return len;
    }

    /** Insertion sort of vertex ids by their current hash, unsigned (hex-string) order. */
    private void sort(int[] ids, int k) {
        for (int i = 1; i < k; i++) {
            int id = ids[i];
            int j = i - 1;
            while (j >= 0 && compare(ids[j], id) > 0) {
                ids[j + 1] = ids[j];
                j--;
            }
            ids[j + 1] = id;
        }
    }

    private int compare(int a, int b) {
        int c = Long.compareUnsigned(hi[a], hi[b]);
        return c != 0 ? c : Long.compareUnsigned(lo[a], lo[b]);
    }

    private void initialUncached(int out, int in, int label) {
        byte[] text = ("(" + out + ", " + in + ", " + label + ")").getBytes(StandardCharsets.US_ASCII);
        md5.digest(text, text.length);
    }

    private void ensure(int capacity) {
        if (buffer.length < capacity) {
            buffer = java.util.Arrays.copyOf(buffer, Math.max(capacity, 2 * buffer.length));
        }
    }
}
