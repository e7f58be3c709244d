package org.nas4j.spaces.darts;

import java.util.ArrayList;
import java.util.List;

/** Which states a cell concatenates into its output. */
public enum ConcatRule {
    /** Every intermediate node (DARTS and its successors). */
    ALL_INTERMEDIATE,
    /**
     * The intermediate nodes that no other node reads (NASNet, PNAS, AmoebaNet); the last node is always one of
     * them.
     */
    UNUSED_INTERMEDIATE;

    /** The concatenated states of a cell with {@code pairs} (two per node). */
    public List<Integer> concat(List<Genotype.Pair> pairs) {
        int nodes = pairs.size() / 2;
        if (this == ALL_INTERMEDIATE) {
            return Genotype.allIntermediate(nodes);
        }
        boolean[] used = new boolean[nodes + 2];
        for (Genotype.Pair p : pairs) {
            used[p.input()] = true;
        }
        List<Integer> out = new ArrayList<>();
        for (int s = 2; s < nodes + 2; s++) {
            if (!used[s]) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }
}
