package org.nas4j.estimators.engine.nb201;

import java.util.Arrays;

/**
 * One NAS-Bench-201 cell: the op of each of its six edges, in the benchmark's order
 * {@code 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2}. Immutable.
 *
 * <pre>{@code
 * Nb201Architecture a = Nb201Architecture.parse(
 *         "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
 * }</pre>
 */
public final class Nb201Architecture {

    /** Number of edges of a cell. */
    public static final int EDGES = 6;

    private final Nb201Op[] ops;

    private Nb201Architecture(Nb201Op[] ops) {
        this.ops = ops;
    }

    /** The architecture with the given op per edge (six ops, benchmark edge order). */
    public static Nb201Architecture of(Nb201Op... ops) {
        if (ops.length != EDGES) {
            throw new IllegalArgumentException("ops must hold " + EDGES + " ops, but held " + ops.length);
        }
        return new Nb201Architecture(ops.clone());
    }

    /** Parses a NAS-Bench-201 architecture string. */
    public static Nb201Architecture parse(String text) {
        String[] nodes = text.strip().replaceAll("^\\||\\|$", "").split("\\|\\+\\|");
        if (nodes.length != 3) {
            throw new IllegalArgumentException("text must describe 3 nodes separated by '+', but was '" + text + "'");
        }
        Nb201Op[] ops = new Nb201Op[EDGES];
        int edge = 0;
        for (int j = 1; j <= 3; j++) {
            String[] tokens = nodes[j - 1].split("\\|");
            if (tokens.length != j) {
                throw new IllegalArgumentException("node " + j + " must have " + j + " inputs, but text was '"
                        + text + "'");
            }
            for (int i = 0; i < j; i++) {
                String[] parts = tokens[i].split("~");
                if (parts.length != 2 || !parts[1].equals(Integer.toString(i))) {
                    throw new IllegalArgumentException("input " + i + " of node " + j + " must read 'op~" + i
                            + "', but was '" + tokens[i] + "'");
                }
                ops[edge++] = Nb201Op.of(parts[0]);
            }
        }
        return new Nb201Architecture(ops);
    }

    /** The op of each edge, in benchmark edge order. */
    public Nb201Op[] ops() {
        return ops.clone();
    }

    /** The op index (ordinal) of each edge. */
    public int[] indices() {
        return Arrays.stream(ops).mapToInt(Enum::ordinal).toArray();
    }

    /** How many edges hold the given op. */
    public long count(Nb201Op op) {
        return Arrays.stream(ops).filter(o -> o == op).count();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Nb201Architecture a && Arrays.equals(a.ops, ops);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ops);
    }

    /** The NAS-Bench-201 string, e.g. {@code |nor_conv_3x3~0|+|...|}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        int edge = 0;
        for (int j = 1; j <= 3; j++) {
            s.append(j > 1 ? "+|" : "|");
            for (int i = 0; i < j; i++) {
                s.append(ops[edge++].label()).append('~').append(i).append('|');
            }
        }
        return s.toString();
    }
}
