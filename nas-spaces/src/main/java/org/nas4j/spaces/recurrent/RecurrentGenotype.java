package org.nas4j.spaces.recurrent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recurrent cell in the form of the DARTS code's {@code rnn/genotypes.py}: one (activation, input) pair per
 * intermediate node in node order, and the states averaged into the cell's output. States are numbered as in the
 * reference: 0 is {@code s0 = h + c0 * (initial(h0) - h)} with {@code [c0, h0]} from the step's input and the
 * previous hidden state {@code h}; node {@code i} ({@code 1 <= i <= N}) is state {@code i} and reads one state below
 * it. DARTS fixes {@code initial} at tanh (its text has no field for it); ENAS chooses it, and its text carries
 * {@code initial='relu'} after {@code concat} when it is not tanh. Immutable, with value equality.
 *
 * <pre>{@code
 * RecurrentGenotype g = RecurrentGenotype.parse("Genotype(recurrent=[('sigmoid', 0), ('relu', 1), ('relu', 1),"
 *         + " ('identity', 1), ('tanh', 2), ('sigmoid', 5), ('tanh', 3), ('relu', 5)], concat=range(1, 9))");
 * g.nodes().get(0).activation();   // "sigmoid"
 * }</pre>
 *
 * @param initial the activation of {@code s0}, one of {@link #ACTIVATIONS}
 * @param nodes   the intermediate nodes, at least one
 * @param concat  the states averaged into the output: distinct, ascending, each in {@code [0, nodes.size()]}
 */
public record RecurrentGenotype(String initial, List<Node> nodes, List<Integer> concat) {

    /** The activations a node of a derived cell applies, in the order of the reference's PRIMITIVES (less none). */
    public static final List<String> ACTIVATIONS = List.of("tanh", "relu", "sigmoid", "identity");

    private static final Pattern WHOLE = Pattern.compile(
            "Genotype\\(recurrent=\\[(.*)\\],concat=(?:range\\((\\d+),(\\d+)\\)|\\[([0-9,]*)\\])"
                    + "(?:,initial='([^']*)')?\\)");
    private static final Pattern PAIR = Pattern.compile("\\('([^']*)',(-?\\d+)\\)");

    /**
     * One intermediate node: {@code s = s_in + c * (activation(h) - s_in)} with {@code [c, h]} from the node's own
     * matrix applied to state {@code input}.
     *
     * @param activation one of {@link #ACTIVATIONS}
     * @param input      the state read, below this node's own number
     */
    public record Node(String activation, int input) {
        public Node {
            Objects.requireNonNull(activation, "activation");
            if (!ACTIVATIONS.contains(activation)) {
                throw new IllegalArgumentException("activation must be one of " + ACTIVATIONS + ", but was '"
                        + activation + "'");
            }
            if (input < 0) {
                throw new IllegalArgumentException("input of node ('" + activation + "', " + input
                        + ") must be >= 0, but was " + input);
            }
        }

        @Override
        public String toString() {
            return "('" + activation + "', " + input + ")";
        }
    }

    public RecurrentGenotype {
        Objects.requireNonNull(initial, "initial");
        if (!ACTIVATIONS.contains(initial)) {
            throw new IllegalArgumentException("initial must be one of " + ACTIVATIONS + ", but was '" + initial + "'");
        }
        nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
        concat = List.copyOf(Objects.requireNonNull(concat, "concat"));
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("recurrent must have at least one node, but was empty");
        }
        for (int i = 0; i < nodes.size(); i++) {
            int state = i + 1;
            if (nodes.get(i).input() >= state) {
                throw new IllegalArgumentException("node " + state + " " + nodes.get(i) + " must read a state in [0, "
                        + (state - 1) + "], but read " + nodes.get(i).input());
            }
        }
        if (concat.isEmpty()) {
            throw new IllegalArgumentException("concat must name at least one state, but was empty");
        }
        for (int k = 0; k < concat.size(); k++) {
            int s = concat.get(k);
            if (s < 0 || s > nodes.size() || (k > 0 && s <= concat.get(k - 1))) {
                throw new IllegalArgumentException("concat must be ascending distinct states in [0, " + nodes.size()
                        + "], but was " + concat);
            }
        }
    }

    /** A DARTS cell: {@code s0} with tanh. */
    public RecurrentGenotype(List<Node> nodes, List<Integer> concat) {
        this("tanh", nodes, concat);
    }

    /** The number of intermediate nodes. */
    public int size() {
        return nodes.size();
    }

    /**
     * Reads the reference's text, e.g. {@code Genotype(recurrent=[('relu', 0), ('tanh', 1)], concat=range(1, 3))};
     * {@code concat} may also be a list {@code [1, 2]}. Blanks are ignored.
     *
     * @throws IllegalArgumentException naming the part that does not parse
     */
    public static RecurrentGenotype parse(String text) {
        Objects.requireNonNull(text, "text");
        String compact = text.replaceAll("\\s+", "").replace('"', '\'');
        Matcher m = WHOLE.matcher(compact);
        if (!m.matches()) {
            throw new IllegalArgumentException("recurrent genotype must read Genotype(recurrent=[('act', input), ...],"
                    + " concat=range(a, b) or [..]), but was '" + text + "'");
        }
        List<Node> nodes = new ArrayList<>();
        String pairs = m.group(1);
        Matcher p = PAIR.matcher(pairs);
        int at = 0;
        while (p.find()) {
            if (p.start() != at) {
                throw new IllegalArgumentException("recurrent genotype has a malformed pair at '"
                        + pairs.substring(at) + "' in '" + text + "'");
            }
            nodes.add(new Node(p.group(1), Integer.parseInt(p.group(2))));
            at = p.end();
            if (at < pairs.length() && pairs.charAt(at) == ',') {
                at++;
            }
        }
        if (at != pairs.length()) {
            throw new IllegalArgumentException("recurrent genotype has a malformed pair at '" + pairs.substring(at)
                    + "' in '" + text + "'");
        }
        List<Integer> concat = new ArrayList<>();
        if (m.group(2) != null) {
            int from = Integer.parseInt(m.group(2));
            int to = Integer.parseInt(m.group(3));
            for (int s = from; s < to; s++) {
                concat.add(s);
            }
        } else {
            for (String s : m.group(4).split(",")) {
                if (!s.isEmpty()) {
                    concat.add(Integer.parseInt(s));
                }
            }
        }
        return new RecurrentGenotype(m.group(5) == null ? "tanh" : m.group(5), nodes, concat);
    }

    /** The states that no node reads (ENAS' "loose ends"), ascending; state 0 counts when no node reads it. */
    public List<Integer> looseEnds() {
        Set<Integer> read = new HashSet<>();
        for (Node n : nodes) {
            read.add(n.input());
        }
        List<Integer> out = new ArrayList<>();
        for (int s = 0; s <= nodes.size(); s++) {
            if (!read.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * A key equal for cells that compute the same family of functions: every node has its own matrix, so renumbering
     * the nodes (keeping each node after the state it reads) changes nothing. The cell is a tree rooted at state 0
     * (each node reads exactly one state); the key is the tree's canonical form, children sorted, with the averaged
     * states marked.
     */
    public String canonicalKey() {
        List<List<Integer>> children = new ArrayList<>();
        for (int s = 0; s <= nodes.size(); s++) {
            children.add(new ArrayList<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            children.get(nodes.get(i).input()).add(i + 1);
        }
        return subtree(0, children);
    }

    private String subtree(int state, List<List<Integer>> children) {
        List<String> parts = new ArrayList<>();
        for (int c : children.get(state)) {
            parts.add(subtree(c, children));
        }
        Collections.sort(parts);
        String label = state == 0 ? "x:" + initial : nodes.get(state - 1).activation();
        return (concat.contains(state) ? "*" : "") + label + "(" + String.join(",", parts) + ")";
    }

    /** The reference's text; {@code concat} as {@code range(a, b)} when it is a run of consecutive states. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Genotype(recurrent=[");
        for (int i = 0; i < nodes.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(nodes.get(i));
        }
        b.append("], concat=");
        int first = concat.get(0);
        int last = concat.get(concat.size() - 1);
        if (last - first + 1 == concat.size() && concat.size() > 1) {
            b.append("range(").append(first).append(", ").append(last + 1).append(')');
        } else {
            b.append(concat);
        }
        if (!initial.equals("tanh")) {
            b.append(", initial='").append(initial).append('\'');
        }
        return b.append(')').toString();
    }
}
