package org.nas4j.core.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A concrete cell: a DAG of nodes in topological order whose edges (and, for NAS-Bench-101 style cells, nodes)
 * carry operation names. This is what a resolved architecture looks like to the cost models, the network
 * compiler and the pictures. Immutable and thread-safe.
 *
 * <pre>{@code
 * Graph cell = new Graph("cell", List.of(Node.input(0), Node.sum(1), Node.sum(2)),
 *         List.of(new Edge(0, 1, "nor_conv_3x3"), new Edge(0, 2, "skip_connect"), new Edge(1, 2, "none")));
 * }</pre>
 *
 * @param name  the cell's role, e.g. {@code "normal"} or {@code "reduce"}
 * @param nodes the nodes, {@code nodes.get(i).id() == i}; edges only go from lower to higher ids
 * @param edges the edges
 */
public record Graph(String name, List<Node> nodes, List<Edge> edges) {

    /** How a node combines what its incoming edges bring. */
    public enum Combine {
        /** Element-wise sum (NAS-Bench-201, DARTS intermediate nodes). */
        SUM,
        /** Concatenation along channels (DARTS cell output, NAS-Bench-101 output). */
        CONCAT,
        /** A cell input: it has no incoming edges. */
        INPUT
    }

    /**
     * A node.
     *
     * @param id      its index in {@link Graph#nodes()}
     * @param op      the operation applied after combining the inputs ({@code "identity"} for none)
     * @param combine how the inputs are combined
     */
    public record Node(int id, String op, Combine combine) {
        public Node {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(combine, "combine");
        }

        /** A cell input. */
        public static Node input(int id) {
            return new Node(id, "input", Combine.INPUT);
        }

        /** A node that sums its inputs and applies no operation of its own. */
        public static Node sum(int id) {
            return new Node(id, "identity", Combine.SUM);
        }
    }

    /**
     * A directed edge {@code from -> to} with the operation applied on the way.
     *
     * @param from source node id
     * @param to   target node id, greater than {@code from}
     * @param op   operation name ({@code "identity"} for a plain connection)
     */
    public record Edge(int from, int to, String op) {
        public Edge {
            Objects.requireNonNull(op, "op");
            if (from >= to) {
                throw new IllegalArgumentException("edge must go from a lower to a higher node id, but was "
                        + from + " -> " + to);
            }
        }
    }

    public Graph {
        Objects.requireNonNull(name, "name");
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id() != i) {
                throw new IllegalArgumentException("node at position " + i + " must have id " + i + ", but had "
                        + nodes.get(i).id());
            }
        }
        for (Edge e : edges) {
            if (e.to() >= nodes.size()) {
                throw new IllegalArgumentException("edge " + e + " points past the last node " + (nodes.size() - 1));
            }
        }
    }

    /** The edges that end at node {@code id}, in the order given. */
    public List<Edge> inputsOf(int id) {
        List<Edge> in = new ArrayList<>();
        for (Edge e : edges) {
            if (e.to() == id) {
                in.add(e);
            }
        }
        return in;
    }

    /** The edges that start at node {@code id}. */
    public List<Edge> outputsOf(int id) {
        List<Edge> out = new ArrayList<>();
        for (Edge e : edges) {
            if (e.from() == id) {
                out.add(e);
            }
        }
        return out;
    }
}
