package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.core.space.builder.OpCatalogue;
import org.nas4j.estimators.network.SupernetLayout.Candidate;
import org.nas4j.estimators.network.SupernetLayout.Edge;
import org.nas4j.estimators.network.SupernetLayout.Kind;
import org.nas4j.estimators.network.SupernetLayout.Position;

/**
 * The cell nodes that a supernet relaxes as DARTS does (Liu et al., ICLR 2019, {@code model_search.py}'s
 * {@code MixedOp} sum): one edge per candidate state, whose candidates are the zero op ({@code none}) and the
 * node's ops, the node summing all of them; a node reading {@code k} of its states becomes {@code n} mixed ops
 * instead of {@code k} input choices each with an op per candidate state (NNI's relaxation).
 *
 * <p>A node gets it when its {@code k} inputs read {@code k} distinct states among the same {@code n} candidate
 * states (an input choice per input over those states that the space requires distinct, {@code k >= 2}, or all
 * {@code n} states),
 * every input has an op choice over the same ops, none of them a zero op nor one whose name reads a value, the
 * space's catalogue has a zero op, and the cell template has a node of the first kind (a node that picks, {@code k
 * < n}): DARTS' cells, whose first node reads both inputs. Every other node keeps the supernet's general rule.
 * Immutable.
 */
final class SummedNodes {

    /**
     * One relaxed node of a cell template (shared by its placements).
     *
     * @param to           the node's state number
     * @param states       its candidate states; edge {@code firstEdge + i} reads {@code states[i]}
     * @param inputChoices per input, the input choice (option {@code o} reads {@code states[o]}), or -1 for an input
     *                     that reads {@code fixedStates[i]}
     * @param fixedStates  per input, the state it reads when it has no input choice
     * @param opChoices    per input, its op choice (option {@code o} is candidate {@code 1 + o} of the edges)
     * @param firstEdge    the policy edge of {@code states[0]}
     */
    record Node(int to, int[] states, int[] inputChoices, int[] fixedStates, int[] opChoices, int firstEdge) {
        /** The policy edge of candidate state {@code state}. */
        int edge(int state) {
            for (int i = 0; i < states.length; i++) {
                if (states[i] == state) {
                    return firstEdge + i;
                }
            }
            throw new IllegalArgumentException("state must be one of the candidate states "
                    + Arrays.toString(states) + " of node " + to + ", but was " + state);
        }

        /** Whether its inputs are chosen (k of n), not all its candidate states. */
        boolean picks() {
            return inputChoices[0] >= 0;
        }
    }

    private final List<Node> nodes;
    private final List<Edge> edges;
    private final Map<Position, Node> nodeAt;
    private final List<Integer> replacedChoices;

    private SummedNodes(List<Node> nodes, List<Edge> edges, Map<Position, Node> nodeAt,
            List<Integer> replacedChoices) {
        this.nodes = List.copyOf(nodes);
        this.edges = List.copyOf(edges);
        this.nodeAt = Map.copyOf(nodeAt);
        this.replacedChoices = List.copyOf(replacedChoices);
    }

    /**
     * Finds the relaxed nodes of the cells of {@code plan}.
     *
     * @param opEdges    the op edges of the supernet as the general rule lays them out
     * @param inputEdges the input edges likewise
     * @param firstEdge  the policy index the first state edge will have
     */
    static SummedNodes find(ComposedSpace space, Architecture base, NetworkPlan plan, List<Edge> opEdges,
            List<Edge> inputEdges, int firstEdge) {
        String zero = zeroOp(space.catalogue());
        int[] distinctBase = distinctInputs(base, plan, inputEdges);
        Map<Position, Edge> opAt = byPosition(opEdges);
        Map<Position, Edge> inputAt = byPosition(inputEdges);
        List<Node> nodes = new ArrayList<>();
        int stateEdges = 0;
        Map<String, List<Node>> nodesOf = new HashMap<>();
        Map<Position, Node> nodeAt = new HashMap<>();
        List<Integer> replaced = new ArrayList<>();
        for (int step = 0; step < plan.steps().size(); step++) {
            if (!(plan.steps().get(step) instanceof NetworkPlan.CellStep cell)) {
                continue;
            }
            Map<Integer, List<Integer>> inputsOf = inputsByNode(cell);
            List<Node> laid = nodesOf.get(cell.template());
            if (laid == null) {
                laid = zero == null ? List.of()
                        : relaxedNodes(space, distinctBase, step, cell, inputsOf, opAt, inputAt,
                        firstEdge + stateEdges);
                nodesOf.put(cell.template(), laid);
                for (Node node : laid) {
                    nodes.add(node);
                    stateEdges += node.states().length;
                    for (int t = 0; t < node.opChoices().length; t++) {
                        replaced.add(node.opChoices()[t]);
                        if (node.inputChoices()[t] >= 0) {
                            replaced.add(node.inputChoices()[t]);
                        }
                    }
                }
            }
            for (Node node : laid) {
                for (int j : inputsOf.get(node.to())) {
                    nodeAt.put(new Position(step, j), node);
                }
            }
        }
        List<Edge> edges = new ArrayList<>();
        for (Node node : nodes) {
            Edge op = opEdges.stream().filter(e -> e.choice() == node.opChoices()[0]).findFirst().orElseThrow();
            String[] ops = op.ops().get(0);
            String[] candidates = new String[ops.length + 1];
            candidates[0] = zero;
            System.arraycopy(ops, 0, candidates, 1, ops.length);
            List<Candidate> options = new ArrayList<>();
            for (int k = 0; k < candidates.length; k++) {
                options.add(new Candidate(List.<int[]>of(new int[] {k})));
            }
            for (int state : node.states()) {
                List<Position> positions = new ArrayList<>();
                List<String[]> opsAt = new ArrayList<>();
                List<int[]> read = new ArrayList<>();
                for (Map.Entry<Position, Node> at : sorted(nodeAt)) {
                    if (at.getValue() == node && firstInputOf(plan, at.getKey())) {
                        positions.add(at.getKey());
                        opsAt.add(candidates);
                        read.add(new int[] {state});
                    }
                }
                edges.add(new Edge(-1, new int[0], options, positions, opsAt, Kind.STATE, read));
            }
        }
        return new SummedNodes(nodes, edges, nodeAt, replaced);
    }

    private static List<Map.Entry<Position, Node>> sorted(Map<Position, Node> nodeAt) {
        List<Map.Entry<Position, Node>> entries = new ArrayList<>(nodeAt.entrySet());
        entries.sort((a, b) -> a.getKey().step() != b.getKey().step()
                ? Integer.compare(a.getKey().step(), b.getKey().step())
                : Integer.compare(a.getKey().edge(), b.getKey().edge()));
        return entries;
    }

    /** Whether cell edge {@code p} is the first input of its node (where the node's state edges are placed). */
    static boolean firstInputOf(NetworkPlan plan, Position p) {
        NetworkPlan.CellStep cell = (NetworkPlan.CellStep) plan.steps().get(p.step());
        int to = cell.edges().get(p.edge()).to();
        for (int j = 0; j < p.edge(); j++) {
            if (cell.edges().get(j).to() == to) {
                return false;
            }
        }
        return true;
    }

    private static List<Node> relaxedNodes(ComposedSpace space, int[] distinctBase, int step,
            NetworkPlan.CellStep cell, Map<Integer, List<Integer>> inputsOf, Map<Position, Edge> opAt,
            Map<Position, Edge> inputAt, int firstEdge) {
        List<Node> found = new ArrayList<>();
        boolean picks = false;
        int next = firstEdge;
        for (Map.Entry<Integer, List<Integer>> node : inputsOf.entrySet()) {
            Node n = relaxed(space, distinctBase, step, cell, node.getKey(), node.getValue(), opAt, inputAt, next);
            if (n != null) {
                found.add(n);
                picks |= n.picks();
                next += n.states().length;
            }
        }
        return picks ? found : List.of();
    }

    /** The relaxed node {@code to} of {@code cell}, or null if it does not meet the rule of the class. */
    private static Node relaxed(ComposedSpace space, int[] distinctBase, int step, NetworkPlan.CellStep cell, int to,
            List<Integer> inputs, Map<Position, Edge> opAt, Map<Position, Edge> inputAt, int firstEdge) {
        int k = inputs.size();
        int[] opChoices = new int[k];
        int[] inputChoices = new int[k];
        int[] fixed = new int[k];
        String[] ops = null;
        int[] states = null;
        for (int t = 0; t < k; t++) {
            Position p = new Position(step, inputs.get(t));
            Edge op = opAt.get(p);
            if (op == null || op.choice() < 0 || op.values().length > 0) {
                return null;
            }
            String[] here = op.ops().get(op.positions().indexOf(p));
            if (ops != null && !Arrays.equals(ops, here)) {
                return null;
            }
            ops = here;
            opChoices[t] = op.choice();
            Edge input = inputAt.get(p);
            if (t > 0 && (input == null) != (inputChoices[0] < 0)) {
                return null; // some inputs chosen, others fixed
            }
            int[] from = input == null ? null : input.states().get(input.positions().indexOf(p));
            if (from != null && states != null && !Arrays.equals(states, from)) {
                return null;
            }
            inputChoices[t] = input == null ? -1 : input.choice();
            fixed[t] = cell.edges().get(inputs.get(t)).from();
            if (from != null) {
                states = from;
            }
        }
        for (String op : ops) {
            if (space.catalogue().entry(op).kind() == OpCatalogue.Kind.ZERO) {
                return null;
            }
        }
        if (inputChoices[0] < 0) {
            states = fixed.clone();
            if (Arrays.stream(states).distinct().count() != k) {
                return null;
            }
        } else if (states.length <= k || Arrays.stream(states).distinct().count() != states.length
                || !requiresDistinct(space, distinctBase, inputChoices)) {
            return null;
        }
        return new Node(to, states, inputChoices, fixed, opChoices, firstEdge);
    }

    /**
     * Whether the space refuses the node's inputs reading one state twice: an architecture where they read
     * distinct states is valid, the same with its first two inputs on one state is not.
     */
    private static boolean requiresDistinct(ComposedSpace space, int[] distinctBase, int[] inputChoices) {
        int[] v = distinctBase.clone();
        for (int t = 0; t < inputChoices.length; t++) {
            v[inputChoices[t]] = t;
        }
        if (inputChoices.length < 2 || !space.isValid(Architecture.of(space, v))) {
            return false;
        }
        v[inputChoices[1]] = v[inputChoices[0]];
        return !space.isValid(Architecture.of(space, v));
    }

    /**
     * {@code base} with the inputs of every node on distinct options (input {@code t} of a node on option {@code t}),
     * so that the validity of a variant depends on the node the variant changes only.
     */
    private static int[] distinctInputs(Architecture base, NetworkPlan plan, List<Edge> inputEdges) {
        int[] v = base.vector();
        Map<String, Integer> slots = new HashMap<>();
        for (Edge input : inputEdges) {
            if (input.positions().isEmpty()) {
                continue;
            }
            Position p = input.positions().get(0);
            int to = ((NetworkPlan.CellStep) plan.steps().get(p.step())).edges().get(p.edge()).to();
            int slot = slots.merge(p.step() + ":" + to, 1, Integer::sum) - 1;
            v[input.choice()] = Math.min(slot, input.candidates().size() - 1);
        }
        return v;
    }

    /** Per node of the cell (state number), its cell edges (inputs) in order. */
    private static Map<Integer, List<Integer>> inputsByNode(NetworkPlan.CellStep cell) {
        Map<Integer, List<Integer>> out = new LinkedHashMap<>();
        for (int j = 0; j < cell.edges().size(); j++) {
            out.computeIfAbsent(cell.edges().get(j).to(), x -> new ArrayList<>()).add(j);
        }
        return out;
    }

    private static Map<Position, Edge> byPosition(List<Edge> edges) {
        Map<Position, Edge> out = new HashMap<>();
        for (Edge e : edges) {
            for (Position p : e.positions()) {
                out.put(p, e);
            }
        }
        return out;
    }

    private static String zeroOp(OpCatalogue catalogue) {
        for (String name : catalogue.names()) {
            if (catalogue.entry(name).kind() == OpCatalogue.Kind.ZERO) {
                return name;
            }
        }
        return null;
    }

    /** The relaxed nodes, each template's once, in the order of their edges. */
    List<Node> nodes() {
        return nodes;
    }

    /** The state edges, one per candidate state of every relaxed node, in that order. */
    List<Edge> edges() {
        return edges;
    }

    /** The op and input choices the state edges decide instead of their own edges. */
    List<Integer> replacedChoices() {
        return replacedChoices;
    }

    /** The relaxed node that cell edge {@code p} (an input of it) belongs to, or null. */
    Node nodeAt(Position p) {
        return nodeAt.get(p);
    }
}
