package org.nas4j.core.space.builder;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A cell of B nodes that a space places at several points of its skeleton (as the normal and reduction cells of
 * DARTS); every placement of one template shares its choices. A cell has 1 or 2 inputs (the previous layer's
 * output, or the outputs of the two previous layers, each brought to the cell's channels by
 * {@code relu_conv_bn_1x1}, or by {@code factorized_reduce} when it is larger than the other, as in DARTS; other
 * preprocessing, as ENAS' micro cells', is the catalogue's {@link OpCatalogue.CellInputs}); each
 * node sums one op applied to each of its inputs, which are {@code k} of its {@code n} candidate states (an input
 * choice) or all of them; each input's op is an op choice. In a reduction cell the ops that read the cell inputs
 * have stride 2. Immutable; checked when the space is built.
 *
 * <pre>{@code
 * CellTemplate nb201 = CellTemplate.builder("cell").inputs(1)
 *         .nodes(3, node -> node.ops("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"))
 *         .build();                                          // every node reads every earlier state
 * CellTemplate darts = CellTemplate.builder("normal").inputs(2).output(CellOutput.CONCAT_ALL)
 *         .nodes(4, node -> node.pick(2).ops(DARTS_OPS))     // 2 of the earlier states
 *         .build();
 * }</pre>
 *
 * <p>States are numbered as in the papers: inputs first ({@code 0}, or {@code 0, 1}), then nodes in order; nodes
 * added by {@link Builder#nodes} are named {@code n<state>} ({@code n1, n2, n3} in NAS-Bench-201). Nodes may also be
 * named and wired by hand ({@link Builder#node}), then they are ordered so that each comes after the states it reads.
 *
 * @param name      the cell's name, used in choice names and the text form
 * @param inputs    1 or 2
 * @param nodes     its nodes, in the order given
 * @param output    what it outputs
 * @param reduction whether the ops reading its inputs have stride 2
 */
public record CellTemplate(String name, int inputs, List<Node> nodes, CellOutput output, boolean reduction) {

    public CellTemplate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(output, "output");
        nodes = List.copyOf(nodes);
    }

    /** A builder of a template named {@code name}: 1 input, output {@link CellOutput#LAST_NODE}, not reducing. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** This template as a reduction cell named {@code newName} (the same nodes, stride 2 on the inputs' ops). */
    public CellTemplate reducing(String newName) {
        return new CellTemplate(newName, inputs, nodes, output, true);
    }

    /** The name of cell input {@code i}: its state number. */
    static String inputName(int i) {
        return Integer.toString(i);
    }

    /**
     * A node of a cell.
     *
     * @param name     its name, unique in the cell
     * @param from     the names of its candidate input states, or null for every state declared before it
     * @param pick     how many of the candidates it reads (k of n), or 0 for all of them
     * @param ops      the op choice on each input (one op: a fixed op)
     * @param distinct whether the k inputs must be different states
     */
    public record Node(String name, List<String> from, int pick, List<String> ops, boolean distinct) {
        public Node {
            Objects.requireNonNull(name, "name");
            from = from == null ? null : List.copyOf(from);
            ops = List.copyOf(ops);
        }
    }

    /** Builds a node: which states it may read, how many, and the ops on its inputs. */
    public static final class NodeBuilder {
        private List<String> from;
        private int pick;
        private List<String> ops = List.of();
        private boolean distinct = true;

        private NodeBuilder() {
        }

        /** The candidate input states by name (state numbers for inputs and numbered nodes). Default: every earlier state. */
        public NodeBuilder from(String... states) {
            this.from = List.of(states);
            return this;
        }

        /** The node reads {@code k} of its candidates (an input choice per input). Default: all of them. */
        public NodeBuilder pick(int k) {
            this.pick = k;
            return this;
        }

        /** The ops to choose from on each input. Required. */
        public NodeBuilder ops(String... ops) {
            this.ops = List.of(ops);
            return this;
        }

        /** The ops to choose from on each input. Required. */
        public NodeBuilder ops(List<String> ops) {
            this.ops = List.copyOf(ops);
            return this;
        }

        /** Whether the picked inputs must differ (default true; NASNet lets a node read one state twice). */
        public NodeBuilder distinct(boolean distinct) {
            this.distinct = distinct;
            return this;
        }

        Node build(String name) {
            return new Node(name, from, pick, ops, distinct);
        }
    }

    /** Builds a {@link CellTemplate}; the definition is checked when the space that places it is built. */
    public static final class Builder {
        private final String name;
        private int inputs = 1;
        private final List<String> names = new ArrayList<>();
        private final List<NodeBuilder> nodes = new ArrayList<>();
        private CellOutput output = CellOutput.LAST_NODE;
        private boolean reduction;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The number of cell inputs, 1 or 2. Default 1. */
        public Builder inputs(int inputs) {
            if (inputs != 1 && inputs != 2) {
                throw new IllegalArgumentException("inputs of cell '" + name + "' must be 1 or 2, but was " + inputs);
            }
            this.inputs = inputs;
            return this;
        }

        /**
         * Adds {@code count} nodes named {@code n<state>} (numbered after the inputs, whenever {@link #inputs} is
         * called), each defined by {@code node}.
         */
        public Builder nodes(int count, UnaryOperator<NodeBuilder> node) {
            if (count < 1) {
                throw new IllegalArgumentException("count of nodes of cell '" + name + "' must be >= 1, but was "
                        + count);
            }
            for (int i = 0; i < count; i++) {
                names.add(null);
                nodes.add(node.apply(new NodeBuilder()));
            }
            return this;
        }

        /** Adds a node named {@code nodeName}. */
        public Builder node(String nodeName, UnaryOperator<NodeBuilder> node) {
            names.add(Objects.requireNonNull(nodeName, "nodeName"));
            nodes.add(node.apply(new NodeBuilder()));
            return this;
        }

        /** What the cell outputs. Default {@link CellOutput#LAST_NODE}. */
        public Builder output(CellOutput output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /** Whether it is a reduction cell (stride 2 on the ops that read its inputs). Default false. */
        public Builder reduction(boolean reduction) {
            this.reduction = reduction;
            return this;
        }

        /** The template. */
        public CellTemplate build() {
            if (output == CellOutput.PROJECT_UNUSED_STATES && reduction) {
                throw new IllegalArgumentException("cell '" + name + "': output PROJECT_UNUSED_STATES needs"
                        + " reduction(false) (ENAS' search child reduces before its cell), but reduction was true");
            }
            List<Node> built = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                built.add(nodes.get(i).build(names.get(i) != null ? names.get(i) : "n" + (inputs + i)));
            }
            return new CellTemplate(name, inputs, built, output, reduction);
        }
    }
}
