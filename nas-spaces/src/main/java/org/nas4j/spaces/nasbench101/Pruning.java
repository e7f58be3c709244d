package org.nas4j.spaces.nasbench101;

/** Reachability on bitmask adjacency (bit j of {@code successors[i]}: edge i -> j, only j > i). */
final class Pruning {
    private Pruning() {
    }

    /**
     * The vertices on some path from vertex 0 to the last vertex, as a bitmask; 0 when there is no such path
     * (then the benchmark calls the spec invalid).
     */
    static int keptVertices(int[] successors) {
        int n = successors.length;
        int fromInput = 1;
        for (int v = 0; v < n; v++) {
            if ((fromInput >>> v & 1) == 1) {
                fromInput |= successors[v];
            }
        }
        int toOutput = 1 << (n - 1);
        for (int v = n - 2; v >= 0; v--) {
            if ((successors[v] & toOutput) != 0) {
                toOutput |= 1 << v;
            }
        }
        int keep = fromInput & toOutput;
        return (keep & 1) == 0 ? 0 : keep;
    }

    /** The predecessor bitmasks of the graph with the given successor bitmasks. */
    static int[] predecessors(int[] successors) {
        int[] pred = new int[successors.length];
        for (int v = 0; v < successors.length; v++) {
            for (int m = successors[v]; m != 0; m &= m - 1) {
                pred[Integer.numberOfTrailingZeros(m)] |= 1 << v;
            }
        }
        return pred;
    }
}
