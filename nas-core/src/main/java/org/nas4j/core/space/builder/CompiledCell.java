package org.nas4j.core.space.builder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Graph;

/**
 * A {@link CellTemplate} checked and laid out: its states in order (inputs, then nodes so that each comes after the
 * states it reads), each node's candidate states and its choices in the space's vector. Immutable after
 * {@code build()}.
 */
final class CompiledCell {

    /**
     * A node laid out.
     *
     * @param candidates  the states it may read
     * @param k           how many it reads
     * @param inputChoice per input, the choice index of the input choice, or -1 when it reads {@code candidates[i]}
     * @param opChoice    per input, the choice index of the op choice, or -1 when {@code ops} has one op
     */
    record NodeLayout(String name, int state, int[] candidates, int k, List<String> ops, boolean distinct,
                      int[] inputChoice, int[] opChoice) {
        /** Whether the node has any choice. */
        boolean hasChoice() {
            for (int s = 0; s < k; s++) {
                if (inputChoice[s] >= 0 || opChoice[s] >= 0) {
                    return true;
                }
            }
            return false;
        }

        int input(int slot, int[] vector) {
            return inputChoice[slot] < 0 ? candidates[slot] : candidates[vector[inputChoice[slot]]];
        }

        String op(int slot, int[] vector) {
            return opChoice[slot] < 0 ? ops.get(0) : ops.get(vector[opChoice[slot]]);
        }
    }

    /**
     * One resolution of the cell.
     *
     * @param inputs per node (in state order), the states its inputs read
     * @param ops    per node, the op on each input
     * @param concat the states the output concatenates (one, the last node, for {@link CellOutput#LAST_NODE})
     */
    record Resolved(List<int[]> inputs, List<String[]> ops, List<Integer> concat) {
    }

    private final CellTemplate template;
    private final List<NodeLayout> nodes;

    private CompiledCell(CellTemplate template, List<NodeLayout> nodes) {
        this.template = template;
        this.nodes = List.copyOf(nodes);
    }

    CellTemplate template() {
        return template;
    }

    String name() {
        return template.name();
    }

    int inputs() {
        return template.inputs();
    }

    List<NodeLayout> nodes() {
        return nodes;
    }

    /** Checks {@code template} against {@code catalogue} and adds its choices to {@code choices}. */
    static CompiledCell compile(CellTemplate template, OpCatalogue catalogue, ChoiceList choices) {
        String cell = "cell '" + template.name() + "'";
        if (template.nodes().isEmpty()) {
            throw new SpaceDefinitionException(DefinitionError.MISSING_PART, cell + " has no node");
        }
        List<String> declared = new ArrayList<>();
        for (int i = 0; i < template.inputs(); i++) {
            declared.add(CellTemplate.inputName(i));
        }
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < declared.size(); i++) {
            position.put(declared.get(i), i);
        }
        for (CellTemplate.Node n : template.nodes()) {
            if (position.put(n.name(), declared.size()) != null) {
                throw new SpaceDefinitionException(DefinitionError.DUPLICATE_NAME, cell + " has two states named '"
                        + n.name() + "' (inputs are named 0" + (template.inputs() > 1 ? " and 1" : "") + ")");
            }
            declared.add(n.name());
        }
        // candidate states by declaration position
        List<int[]> reads = new ArrayList<>();
        for (int j = 0; j < template.nodes().size(); j++) {
            CellTemplate.Node n = template.nodes().get(j);
            int self = template.inputs() + j;
            int[] from;
            if (n.from() == null) {
                from = new int[self];
                for (int i = 0; i < self; i++) {
                    from[i] = i;
                }
            } else {
                if (n.from().isEmpty()) {
                    throw new SpaceDefinitionException(DefinitionError.EMPTY_CHOICE, cell + ", node '" + n.name()
                            + "': from() lists no state");
                }
                from = new int[n.from().size()];
                for (int i = 0; i < from.length; i++) {
                    Integer p = position.get(n.from().get(i));
                    if (p == null) {
                        throw new SpaceDefinitionException(DefinitionError.UNKNOWN_INPUT, cell + ", node '" + n.name()
                                + "' reads unknown state '" + n.from().get(i) + "'; states: " + declared);
                    }
                    from[i] = p;
                }
            }
            reads.add(from);
        }
        int[] order = topologicalOrder(template, reads, cell);
        int[] stateOf = new int[declared.size()];
        for (int i = 0; i < template.inputs(); i++) {
            stateOf[i] = i;
        }
        for (int s = 0; s < order.length; s++) {
            stateOf[template.inputs() + order[s]] = template.inputs() + s;
        }
        List<NodeLayout> laid = new ArrayList<>();
        for (int s = 0; s < order.length; s++) {
            CellTemplate.Node n = template.nodes().get(order[s]);
            int[] candidates = reads.get(order[s]).clone();
            for (int i = 0; i < candidates.length; i++) {
                candidates[i] = stateOf[candidates[i]];
            }
            int k = n.pick() == 0 ? candidates.length : n.pick();
            String where = cell + ", node '" + n.name() + "'";
            if (k < 1 || k > candidates.length) {
                throw new SpaceDefinitionException(DefinitionError.BAD_INPUT_CHOICE, where + ": pick must be in [1, "
                        + candidates.length + "] (the number of candidate states), but was " + n.pick());
            }
            if (n.ops().isEmpty()) {
                throw new SpaceDefinitionException(DefinitionError.EMPTY_CHOICE, where + " has no op to choose");
            }
            if (java.util.Set.copyOf(n.ops()).size() != n.ops().size()) {
                throw new SpaceDefinitionException(DefinitionError.DUPLICATE_NAME, where + " lists an op twice: "
                        + n.ops());
            }
            for (String op : n.ops()) {
                if (!catalogue.contains(op)) {
                    throw new SpaceDefinitionException(DefinitionError.UNKNOWN_OP, where + ": unknown op '" + op
                            + "'; known ops: " + catalogue.names());
                }
            }
            int[] inputChoice = new int[k];
            int[] opChoice = new int[k];
            List<String> options = new ArrayList<>();
            for (int c : candidates) {
                options.add(Integer.toString(c));
            }
            // all candidates, each once, need no input choice; a node that may read a state twice always has one
            boolean chooseInputs = k < candidates.length || !n.distinct();
            for (int slot = 0; slot < k; slot++) {
                String prefix = template.name() + "." + n.name() + ".";
                inputChoice[slot] = chooseInputs
                        ? choices.add(Choice.of(prefix + "in" + slot, Choice.Kind.INPUT, options), new int[0]) : -1;
                opChoice[slot] = n.ops().size() > 1
                        ? choices.add(Choice.of(prefix + "op" + slot, Choice.Kind.OPERATION, n.ops()), new int[0]) : -1;
            }
            laid.add(new NodeLayout(n.name(), template.inputs() + s, candidates, k, n.ops(), n.distinct(),
                    inputChoice, opChoice));
        }
        return new CompiledCell(template, laid);
    }

    /** Node indices (declaration order) so that each node comes after what it reads; CYCLE otherwise. */
    private static int[] topologicalOrder(CellTemplate template, List<int[]> reads, String cell) {
        int n = reads.size();
        int inputs = template.inputs();
        boolean[] placed = new boolean[n];
        int[] order = new int[n];
        for (int s = 0; s < n; s++) {
            int next = -1;
            for (int j = 0; j < n && next < 0; j++) {
                if (!placed[j] && ready(reads.get(j), placed, inputs)) {
                    next = j;
                }
            }
            if (next < 0) {
                List<String> stuck = new ArrayList<>();
                for (int j = 0; j < n; j++) {
                    if (!placed[j]) {
                        stuck.add(template.nodes().get(j).name());
                    }
                }
                throw new SpaceDefinitionException(DefinitionError.CYCLE, cell + ": nodes " + stuck
                        + " read each other in a cycle (a node may read only states computed before it)");
            }
            placed[next] = true;
            order[s] = next;
        }
        return order;
    }

    private static boolean ready(int[] reads, boolean[] placed, int inputs) {
        for (int r : reads) {
            if (r >= inputs && !placed[r - inputs]) {
                return false;
            }
        }
        return true;
    }

    /** The cell of {@code vector}. */
    Resolved resolve(int[] vector) {
        List<int[]> inputs = new ArrayList<>();
        List<String[]> ops = new ArrayList<>();
        boolean[] read = new boolean[inputs() + nodes.size()];
        for (NodeLayout n : nodes) {
            int[] in = new int[n.k()];
            String[] op = new String[n.k()];
            for (int s = 0; s < n.k(); s++) {
                in[s] = n.input(s, vector);
                op[s] = n.op(s, vector);
                read[in[s]] = true;
            }
            inputs.add(in);
            ops.add(op);
        }
        List<Integer> concat = new ArrayList<>();
        int last = inputs() + nodes.size() - 1;
        switch (template.output()) {
            case LAST_NODE -> concat.add(last);
            case CONCAT_ALL -> {
                for (int s = inputs(); s <= last; s++) {
                    concat.add(s);
                }
            }
            case CONCAT_UNUSED, CONCAT_UNUSED_STATES, PROJECT_UNUSED_STATES -> {
                int first = template.output() == CellOutput.CONCAT_UNUSED ? inputs() : 0;
                for (int s = first; s <= last; s++) {
                    if (!read[s]) {
                        concat.add(s);
                    }
                }
            }
        }
        return new Resolved(inputs, ops, concat);
    }

    /** Whether every node with distinct inputs reads different states in {@code vector}. */
    boolean distinctInputs(int[] vector) {
        for (NodeLayout n : nodes) {
            if (n.distinct() && n.k() > 1) {
                for (int a = 0; a < n.k(); a++) {
                    for (int b = a + 1; b < n.k(); b++) {
                        if (n.input(a, vector) == n.input(b, vector)) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    /**
     * The cell as a graph: inputs, nodes (sum), and for a concatenating cell an output node (concat) fed by
     * {@code identity} edges (by {@code unusedInput} from an input of a reduction cell), for a projecting cell an
     * output node (sum, then batch norm) fed by a ReLU-1x1 convolution from each unused state; a
     * {@link CellOutput#LAST_NODE} cell's output is its last node.
     */
    Graph graph(Resolved r, String unusedInput) {
        List<Graph.Node> gn = new ArrayList<>();
        List<Graph.Edge> ge = new ArrayList<>();
        for (int i = 0; i < inputs(); i++) {
            gn.add(Graph.Node.input(i));
        }
        for (int j = 0; j < nodes.size(); j++) {
            int state = inputs() + j;
            gn.add(Graph.Node.sum(state));
            for (int s = 0; s < r.inputs().get(j).length; s++) {
                ge.add(new Graph.Edge(r.inputs().get(j)[s], state, r.ops().get(j)[s]));
            }
        }
        if (template.output() == CellOutput.PROJECT_UNUSED_STATES) {
            int out = gn.size();
            gn.add(new Graph.Node(out, EnasOps.BATCH_NORM, Graph.Combine.SUM));
            for (int s : r.concat()) {
                ge.add(new Graph.Edge(s, out, EnasOps.RELU_CONV_1X1));
            }
        } else if (template.output() != CellOutput.LAST_NODE) {
            int out = gn.size();
            gn.add(new Graph.Node(out, "identity", Graph.Combine.CONCAT));
            for (int s : r.concat()) {
                ge.add(new Graph.Edge(s, out, reducesInput(s) ? unusedInput : "identity"));
            }
        }
        return new Graph(template.name(), gn, ge);
    }

    /** Whether concatenated state {@code s} is an input of a reduction cell, halved before the concatenation. */
    boolean reducesInput(int s) {
        return template.reduction() && s < inputs();
    }

    /**
     * The cell's computation as a normalised expression: per input a term ({@code #} for a zero op or a zero
     * state, the state's expression for an identity op at stride 1, {@code (state)@op} otherwise, {@code /2} when
     * strided), a node the sorted {@code +}-join of its terms (sums commute); the output is the last node or the
     * concatenated states in order. Only a node with a single zero term counts as zero downstream, NAS-Bench-201's
     * rule for its 6,466 unique cells.
     */
    String key(Resolved r, OpCatalogue catalogue) {
        String[] expr = new String[inputs() + nodes.size()];
        for (int i = 0; i < inputs(); i++) {
            expr[i] = "in" + i;
        }
        for (int j = 0; j < nodes.size(); j++) {
            List<String> terms = new ArrayList<>();
            for (int s = 0; s < r.inputs().get(j).length; s++) {
                int from = r.inputs().get(j)[s];
                String op = r.ops().get(j)[s];
                boolean strided = template.reduction() && from < inputs();
                OpCatalogue.Kind kind = catalogue.entry(op).kind();
                if (kind == OpCatalogue.Kind.ZERO || expr[from].equals("#")) {
                    terms.add("#");
                } else if (kind == OpCatalogue.Kind.IDENTITY && !strided) {
                    terms.add(expr[from]);
                } else {
                    terms.add("(" + expr[from] + ")@" + op + (strided ? "/2" : ""));
                }
            }
            terms.sort(null);
            expr[inputs() + j] = String.join("+", terms);
        }
        if (template.output() == CellOutput.LAST_NODE) {
            return expr[expr.length - 1];
        }
        List<String> parts = new ArrayList<>();
        for (int s : r.concat()) {
            parts.add("[" + expr[s] + (reducesInput(s) ? "/2" : "") + "]");
        }
        String key = String.join(",", parts);
        return template.output() == CellOutput.PROJECT_UNUSED_STATES ? "project(" + key + ")" : key;
    }
}
