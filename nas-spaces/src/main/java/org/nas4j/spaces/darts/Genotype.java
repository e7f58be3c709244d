package org.nas4j.spaces.darts;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A NASNet / DARTS cell pair in the form of the DARTS code's {@code genotypes.py}: for each cell type, a list of
 * (operation, input) pairs, two per intermediate node in node order, and the list of states concatenated into the
 * cell output. States are numbered as in the reference: 0 and 1 are the two cell inputs (the outputs of the cell
 * two back and of the previous cell), 2, 3, ... the intermediate nodes; pair {@code p} belongs to node
 * {@code 2 + p/2} and may read any state below it. The two pairs of a node may read the same state (NASNet-A does).
 * Immutable and thread-safe, with value equality.
 *
 * <pre>{@code
 * Genotype g = Genotype.parse("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ...],"
 *         + " normal_concat=[2, 3, 4, 5], reduce=[...], reduce_concat=range(2, 6))");
 * g.toString();   // the same text, with the concat lists written out
 * }</pre>
 *
 * @param normal       the normal cell's pairs, two per node
 * @param normalConcat the states concatenated into the normal cell's output
 * @param reduce       the reduction cell's pairs, two per node
 * @param reduceConcat the states concatenated into the reduction cell's output
 */
public record Genotype(List<Pair> normal, List<Integer> normalConcat, List<Pair> reduce, List<Integer> reduceConcat) {

    /**
     * One input of an intermediate node: the operation applied to a state.
     *
     * @param op    an operation name known to {@link DartsOps}
     * @param input the state it reads (0 and 1: cell inputs; 2 and up: intermediate nodes)
     */
    public record Pair(String op, int input) {
        public Pair {
            Objects.requireNonNull(op, "op");
            if (!DartsOps.isKnown(op)) {
                throw new IllegalArgumentException("unknown operation '" + op + "' in pair ('" + op + "', " + input
                        + "); known operations: " + DartsOps.names());
            }
            if (input < 0) {
                throw new IllegalArgumentException("input of pair ('" + op + "', " + input
                        + ") must be >= 0, but was " + input);
            }
        }

        /** The pair as the reference writes it, e.g. {@code ('sep_conv_3x3', 1)}. */
        @Override
        public String toString() {
            return "('" + op + "', " + input + ")";
        }
    }

    public Genotype {
        normal = checkPairs("normal", normal);
        reduce = checkPairs("reduce", reduce);
        normalConcat = checkConcat("normal_concat", normalConcat, normal.size() / 2);
        reduceConcat = checkConcat("reduce_concat", reduceConcat, reduce.size() / 2);
    }

    private static List<Pair> checkPairs(String name, List<Pair> pairs) {
        Objects.requireNonNull(pairs, name);
        if (pairs.isEmpty() || pairs.size() % 2 != 0) {
            throw new IllegalArgumentException(name + " must hold two pairs per node (a positive even count), but had "
                    + pairs.size());
        }
        for (int p = 0; p < pairs.size(); p++) {
            Pair pair = Objects.requireNonNull(pairs.get(p), name + " pair " + p);
            int node = 2 + p / 2;
            if (pair.input() >= node) {
                throw new IllegalArgumentException("input of " + name + " pair " + p + " " + pair + " (node " + node
                        + ") must be in [0, " + (node - 1) + "], but was " + pair.input());
            }
        }
        return List.copyOf(pairs);
    }

    private static List<Integer> checkConcat(String name, List<Integer> concat, int nodes) {
        Objects.requireNonNull(concat, name);
        if (concat.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer s : concat) {
            if (s == null || s < 0 || s >= nodes + 2) {
                throw new IllegalArgumentException("every state of " + name + " must be in [0, " + (nodes + 1)
                        + "], but " + concat + " has " + s);
            }
            if (!seen.add(s)) {
                throw new IllegalArgumentException("states of " + name + " must be distinct, but " + concat
                        + " repeats " + s);
            }
        }
        return List.copyOf(concat);
    }

    /** A genotype whose two cells concatenate all their intermediate nodes, as DARTS-derived genotypes do. */
    public static Genotype of(List<Pair> normal, List<Pair> reduce) {
        return new Genotype(normal, allIntermediate(normal.size() / 2), reduce, allIntermediate(reduce.size() / 2));
    }

    /** The states {@code 2 .. nodes+1}: every intermediate node. */
    public static List<Integer> allIntermediate(int nodes) {
        Integer[] states = new Integer[nodes];
        for (int i = 0; i < nodes; i++) {
            states[i] = i + 2;
        }
        return List.of(states);
    }

    /** A pair, for building genotypes in code. */
    public static Pair pair(String op, int input) {
        return new Pair(op, input);
    }

    /**
     * Reads the DARTS text {@code Genotype(normal=[...], normal_concat=[...], reduce=[...], reduce_concat=[...])};
     * keyword or positional arguments, single or double quotes, concat lists written as lists or as
     * {@code range(a, b)}. An exception naming the position and the token for malformed text.
     */
    public static Genotype parse(String text) {
        return GenotypeText.parse(text);
    }

    /** The pairs of the cell of {@code type}. */
    public List<Pair> pairs(CellType type) {
        return type == CellType.NORMAL ? normal : reduce;
    }

    /** The concatenated states of the cell of {@code type}. */
    public List<Integer> concat(CellType type) {
        return type == CellType.NORMAL ? normalConcat : reduceConcat;
    }

    /** The number of intermediate nodes of the cell of {@code type}. */
    public int nodes(CellType type) {
        return pairs(type).size() / 2;
    }

    /** The DARTS text of this genotype, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return "Genotype(normal=" + normal + ", normal_concat=" + normalConcat + ", reduce=" + reduce
                + ", reduce_concat=" + reduceConcat + ")";
    }
}
