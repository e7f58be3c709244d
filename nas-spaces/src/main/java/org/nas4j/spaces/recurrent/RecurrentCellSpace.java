package org.nas4j.spaces.recurrent;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.SearchSpace;

/**
 * The recurrent cell spaces of DARTS and ENAS: {@code N} intermediate nodes, node {@code i} reading one earlier
 * state (the cell's {@code s0} or an earlier node) and applying one activation (tanh, relu, sigmoid, identity)
 * in the highway form {@code s = s_in + c * (act(h) - s_in)}; the cell's output is the average of some states.
 *
 * <ul>
 *   <li>{@link #darts()} ({@code darts-rnn}): 8 nodes, {@code s0} with tanh, the output the average of all 8 nodes
 *       ({@code concat=range(1, 9)}), as {@code rnn/model_search.py} of the DARTS code ({@code STEPS = 8},
 *       {@code CONCAT = 8}).</li>
 *   <li>{@link #enas()} ({@code enas-rnn}): ENAS' cell of 12 nodes ({@code s0} and 11 more), the activation of
 *       {@code s0} chosen as well, the output the average of the loose ends (states no node reads), as
 *       {@code src/ptb/ptb_enas_child.py} of the ENAS code.</li>
 * </ul>
 *
 * <p>The choice vector is {@code [initial activation (ENAS only)], node 1 input, node 1 activation, node 2 input,
 * ...}; node {@code i}'s input choice has the options {@code "0".."i-1"}. The text form is the DARTS code's
 * {@code Genotype(recurrent=[...], concat=...)} ({@link RecurrentGenotype}). {@code none}, an option of the DARTS
 * supernet's mixed activations, is not an option here: the reference never derives it (its {@code genotype()}
 * skips {@code none}). The canonical key is the cell's tree up to the numbering of the nodes
 * ({@link RecurrentGenotype#canonicalKey()}).
 *
 * <p>Why not the space builder: a builder node sums its inputs and its op choices are edge operations with
 * channel shapes, while a recurrent node is one matrix applied to one chosen state followed by a gated
 * (highway) activation, and the cell is unrolled over time with its hidden state fed back; neither the gate nor the
 * recurrence is a builder notion. Immutable and thread-safe.
 */
public final class RecurrentCellSpace implements SearchSpace {

    /** Which states the output averages. */
    public enum Output {
        /** The average of every intermediate node (DARTS). */
        ALL_NODES,
        /** The average of the states no node reads (ENAS' loose ends). */
        LOOSE_ENDS
    }

    private final String name;
    private final int nodes;
    private final Output output;
    private final boolean initialChosen;
    private final List<Choice> choices;

    private RecurrentCellSpace(String name, int nodes, Output output, boolean initialChosen) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be >= 1, but was " + nodes);
        }
        this.name = name;
        this.nodes = nodes;
        this.output = output;
        this.initialChosen = initialChosen;
        List<Choice> c = new ArrayList<>();
        if (initialChosen) {
            c.add(Choice.of("node 0 activation", Choice.Kind.OPERATION, RecurrentGenotype.ACTIVATIONS));
        }
        for (int i = 1; i <= nodes; i++) {
            List<String> inputs = new ArrayList<>();
            for (int s = 0; s < i; s++) {
                inputs.add(Integer.toString(s));
            }
            c.add(Choice.of("node " + i + " input", Choice.Kind.INPUT, inputs));
            c.add(Choice.of("node " + i + " activation", Choice.Kind.OPERATION, RecurrentGenotype.ACTIVATIONS));
        }
        this.choices = List.copyOf(c);
    }

    /** DARTS' recurrent cell space: 8 nodes, the output the average of all of them. */
    public static RecurrentCellSpace darts() {
        return darts(8);
    }

    /** DARTS' recurrent cell space with {@code nodes} nodes (at least 1); 8 in the paper. */
    public static RecurrentCellSpace darts(int nodes) {
        return new RecurrentCellSpace("darts-rnn", nodes, Output.ALL_NODES, false);
    }

    /** ENAS' recurrent cell space: {@code s0} and 11 nodes (12 in all), {@code s0}'s activation chosen. */
    public static RecurrentCellSpace enas() {
        return enas(11);
    }

    /** ENAS' recurrent cell space with {@code s0} and {@code nodes} further nodes (at least 1). */
    public static RecurrentCellSpace enas(int nodes) {
        return new RecurrentCellSpace("enas-rnn", nodes, Output.LOOSE_ENDS, true);
    }

    /** The number of intermediate nodes after {@code s0}. */
    public int nodes() {
        return nodes;
    }

    /** Which states the output averages. */
    public Output output() {
        return output;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String identity() {
        return name + "(nodes=" + nodes + ", output=" + output + ", initial=" + (initialChosen ? "chosen" : "tanh")
                + ")";
    }

    @Override
    public List<Choice> choices() {
        return choices;
    }

    /** The cell of {@code architecture}. */
    public RecurrentGenotype genotype(Architecture architecture) {
        requireOwn(architecture);
        int k = 0;
        String initial = initialChosen ? architecture.option(k++) : "tanh";
        List<RecurrentGenotype.Node> list = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            int input = architecture.index(k++);
            list.add(new RecurrentGenotype.Node(architecture.option(k++), input));
        }
        List<Integer> concat = new ArrayList<>();
        if (output == Output.ALL_NODES) {
            for (int i = 1; i <= nodes; i++) {
                concat.add(i);
            }
            return new RecurrentGenotype(initial, list, concat);
        }
        return new RecurrentGenotype(initial, list, new RecurrentGenotype(initial, list, List.of(0)).looseEnds());
    }

    /**
     * The architecture of {@code genotype}; an exception when it is not a cell of this space (node count, concat
     * rule, or a chosen {@code s0} activation in a space that fixes it).
     */
    public Architecture architecture(RecurrentGenotype genotype) {
        if (genotype.size() != nodes) {
            throw new IllegalArgumentException("genotype of space '" + name + "' must have " + nodes
                    + " nodes, but had " + genotype.size() + ": " + genotype);
        }
        if (!initialChosen && !genotype.initial().equals("tanh")) {
            throw new IllegalArgumentException("space '" + name + "' fixes initial at tanh, but the genotype has '"
                    + genotype.initial() + "'");
        }
        int[] v = new int[choices.size()];
        int k = 0;
        if (initialChosen) {
            v[k++] = RecurrentGenotype.ACTIVATIONS.indexOf(genotype.initial());
        }
        for (RecurrentGenotype.Node n : genotype.nodes()) {
            v[k++] = n.input();
            v[k++] = RecurrentGenotype.ACTIVATIONS.indexOf(n.activation());
        }
        Architecture a = Architecture.of(this, v);
        List<Integer> expected = genotype(a).concat();
        if (!expected.equals(genotype.concat())) {
            throw new IllegalArgumentException("concat of a cell of space '" + name + "' must be " + expected
                    + " (" + output + "), but was " + genotype.concat());
        }
        return a;
    }

    @Override
    public String format(Architecture architecture) {
        return genotype(architecture).toString();
    }

    @Override
    public Architecture parse(String text) {
        return architecture(RecurrentGenotype.parse(text));
    }

    @Override
    public String canonicalKey(Architecture architecture) {
        return genotype(architecture).canonicalKey();
    }

    /**
     * One graph, {@code "recurrent"}: node 0 is {@code s0} (an input), nodes {@code 1..N} the intermediate nodes
     * (each reached by one edge labelled with its activation), node {@code N + 1} the output, an average of the
     * {@code concat} states (identity edges into a sum labelled {@code "average"}).
     */
    @Override
    public List<Graph> cells(Architecture architecture) {
        RecurrentGenotype g = genotype(architecture);
        List<Graph.Node> graphNodes = new ArrayList<>();
        graphNodes.add(Graph.Node.input(0));
        List<Graph.Edge> edges = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            graphNodes.add(Graph.Node.sum(i));
            RecurrentGenotype.Node n = g.nodes().get(i - 1);
            edges.add(new Graph.Edge(n.input(), i, n.activation()));
        }
        graphNodes.add(new Graph.Node(nodes + 1, "average", Graph.Combine.SUM));
        for (int s : g.concat()) {
            edges.add(new Graph.Edge(s, nodes + 1, "identity"));
        }
        return List.of(new Graph("recurrent", graphNodes, edges));
    }

    private void requireOwn(Architecture architecture) {
        if (!architecture.space().identity().equals(identity())) {
            throw new IllegalArgumentException("architecture must belong to space " + identity() + ", but belongs to "
                    + architecture.space().identity());
        }
    }
}
