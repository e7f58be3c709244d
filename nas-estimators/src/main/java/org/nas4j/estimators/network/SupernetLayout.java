package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.NetworkPlan;

/**
 * Which decisions of a {@link ComposedSpace} govern which op of its supernet, found from the space's plans: the
 * supernet's edges, each with its candidates (the cross product of an op choice's options and the options of the
 * value choices its op names read, such as a kernel {@code k} in {@code nor_conv_{k}x{k}}, with equal op names
 * merged), channel choices (values read by widths: one edge each, whose candidates are the widths, the layers
 * they size holding their widest weights once), and the way back from edge weights to an architecture. Immutable.
 */
final class SupernetLayout {

    /** A place of the network that runs an op: a layer step ({@code edge = -1}) or an edge of a cell step. */
    record Position(int step, int edge) {
    }

    /**
     * A candidate of an edge.
     *
     * @param combos every decision that gives it: {@code [op option, value option...]} parallel to the edge's
     *               {@code values}
     */
    record Candidate(List<int[]> combos) {
        boolean allows(int valueSlot, int option) {
            for (int[] combo : combos) {
                if (combo[1 + valueSlot] == option) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * One edge of the supernet, i.e. one index of the path policy.
     *
     * @param choice     the op choice it decides, or -1 (a fixed op whose name reads a value); for a channel
     *                   edge, the value choice
     * @param values     the value choices its op names read (kernel choices)
     * @param candidates its candidates
     * @param positions  where it runs (one layer, or one edge of every placement of a cell template); for a
     *                   channel edge, the layers whose input or output channels it sets
     * @param ops        per position, the op of each candidate (empty for channel and input edges)
     * @param kind       what it decides; the candidates of channel and input edges are the choice's options
     * @param states     for an input edge, per position, the state each option reads; for a depth edge, per
     *                   option, {@code {n}}: it runs the first {@code n} of its positions; for a state edge, per
     *                   position (the node's first input in each placement of its cell), {@code {state}} (else
     *                   empty)
     */
    record Edge(int choice, int[] values, List<Candidate> candidates, List<Position> positions, List<String[]> ops,
                Kind kind, List<int[]> states) {
        boolean channel() {
            return kind == Kind.CHANNEL;
        }

        boolean input() {
            return kind == Kind.INPUT;
        }

        boolean depth() {
            return kind == Kind.DEPTH;
        }

        boolean state() {
            return kind == Kind.STATE;
        }
    }

    /** What an edge decides. */
    enum Kind {
        /** An op choice (with the kernels its op names read), or a fixed op reading a kernel. */
        OP,
        /** A value read by widths: the layers it sizes are sliced. */
        CHANNEL,
        /** A cell node's input: each candidate state gated by its weight (DARTS' mixed input), or one sampled. */
        INPUT,
        /** A depth (a repeat): the deepest stack is built, an option runs its first blocks. */
        DEPTH,
        /**
         * A candidate state of a node relaxed as DARTS does ({@link SummedNodes}): the zero op and the node's ops on
         * that state, summed with the node's other states' edges.
         */
        STATE
    }

    /**
     * The channels of a layer for some options of the channel edges that size it.
     *
     * @param options per channel edge of {@link #channelEdges(Position)}, its option
     */
    record Variant(int[] options, int in, int out) {
    }

    private final ComposedSpace space;
    private final Architecture base;
    private final NetworkPlan plan;
    private final List<Edge> edges;
    private final Map<Position, Integer> edgeOf;
    private final Map<Position, int[]> channelEdges;
    private final Map<Position, Integer> inputEdgeOf;
    private final Map<Integer, Integer> depthEdgeOf = new HashMap<>();
    private final Map<Position, List<Variant>> variants;
    private final SummedNodes summed;

    private SupernetLayout(ComposedSpace space, Architecture base, NetworkPlan plan, List<Edge> edges,
            Map<Position, List<Variant>> variants, Map<Position, int[]> sizing, SummedNodes summed) {
        this.summed = summed;
        this.space = space;
        this.base = base;
        this.plan = plan;
        this.edges = List.copyOf(edges);
        this.edgeOf = new HashMap<>();
        this.channelEdges = new HashMap<>();
        this.inputEdgeOf = new HashMap<>();
        this.variants = Map.copyOf(variants);
        this.channelEdges.putAll(sizing);
        for (int e = 0; e < edges.size(); e++) {
            for (Position p : edges.get(e).positions()) {
                if (edges.get(e).depth()) {
                    depthEdgeOf.put(p.step(), e);
                } else if (edges.get(e).channel() || edges.get(e).state()) {
                    continue;
                } else if (edges.get(e).input()) {
                    inputEdgeOf.put(p, e);
                } else {
                    edgeOf.put(p, e);
                }
            }
        }
    }

    /** Lays out the supernet of {@code space}; an exception naming the first choice it cannot share weights for. */
    static SupernetLayout of(ComposedSpace space) {
        List<Choice> choices = space.choices();
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("space '" + space.name() + "' has no choice: it has no supernet");
        }
        for (Choice choice : choices) {
            if (choice.kind() == Choice.Kind.VALUE
                    && choice.options().stream().allMatch(o -> o.matches("\\d+\\+\\d+"))) {
                throw new IllegalArgumentException("choice '" + choice.name() + "' of space '" + space.name()
                        + "' is a channel range (ENAS' whole_channels=False), which slices a layer's weights at a"
                        + " chosen start: compile EnasChannelSupernet for it");
            }
        }
        Plans plans = new Plans(space);
        List<Integer> depthValues = new ArrayList<>();
        Architecture deepest = ChoiceAnalysis.deepest(space, plans, depthValues);
        NetworkPlan first = plans.of(deepest);
        List<Integer> kernelValues = new ArrayList<>();
        List<Integer> channelValues = new ArrayList<>();
        for (int c = 0; c < choices.size(); c++) {
            Choice choice = choices.get(c);
            if (choice.kind() != Choice.Kind.VALUE || depthValues.contains(c)) {
                continue;
            }
            boolean channels = false;
            for (int j = 0; j < choice.size(); j++) {
                channels |= !sameShapes(first, plans.of(deepest.with(c, j)));
            }
            (channels ? channelValues : kernelValues).add(c);
        }
        Architecture base = ChoiceAnalysis.widest(space, plans, deepest, channelValues);
        NetworkPlan plan = plans.of(base);
        for (int v : channelValues) {
            ChoiceAnalysis.checkChannelsOutsideCells(space, plans, base, plan, v);
        }
        // group the positions by the decisions that govern their op
        Map<String, List<Position>> groups = new LinkedHashMap<>();
        Map<String, int[]> groupChoice = new HashMap<>();
        Map<String, int[]> groupValues = new HashMap<>();
        for (Position p : positions(plan)) {
            int c = choiceAt(plan, p);
            int[] values = governingValues(space, plans, base, p, c, kernelValues);
            if (c < 0 && values.length == 0) {
                continue;
            }
            String key = c + ":" + Arrays.toString(values);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
            groupChoice.put(key, new int[] {c});
            groupValues.put(key, values);
        }
        List<String> keys = new ArrayList<>(groups.keySet());
        keys.sort((a, b) -> {
            int ca = groupChoice.get(a)[0];
            int cb = groupChoice.get(b)[0];
            return Integer.compare(ca < 0 ? Integer.MAX_VALUE : ca, cb < 0 ? Integer.MAX_VALUE : cb);
        });
        List<Edge> opEdges = new ArrayList<>();
        Map<Integer, String> choiceKey = new HashMap<>();
        for (String key : keys) {
            int c = groupChoice.get(key)[0];
            if (c >= 0 && choiceKey.put(c, key) != null) {
                throw refused(space, choices.get(c), "an op choice whose ops read different value choices at"
                        + " different places");
            }
            opEdges.add(edge(space, plans, base, c, groupValues.get(key), groups.get(key)));
        }
        List<Edge> inputEdges = new ArrayList<>();
        for (int c = 0; c < choices.size(); c++) {
            if (choices.get(c).kind() == Choice.Kind.INPUT) {
                inputEdges.add(ChoiceAnalysis.inputEdge(space, plans, base, plan, c));
            }
        }
        // nodes relaxed as DARTS does come first: their state edges replace their op and input edges
        SummedNodes summed = SummedNodes.find(space, base, plan, opEdges, inputEdges, 0);
        List<Edge> edges = new ArrayList<>(summed.edges());
        opEdges.stream().filter(e -> !summed.replacedChoices().contains(e.choice())).forEach(edges::add);
        inputEdges.removeIf(e -> summed.replacedChoices().contains(e.choice()));
        List<Edge> depthEdges = new ArrayList<>();
        List<Architecture> depths = new ArrayList<>(List.of(base));
        for (int v : depthValues) {
            depthEdges.add(ChoiceAnalysis.depthEdge(space, plans, base, plan, v));
            for (int o = 0; o < choices.get(v).size(); o++) {
                depths.add(base.with(v, o));
            }
        }
        int firstDepth = edges.size() + channelValues.size() + inputEdges.size();
        Map<Position, List<Integer>> sizedBy = new LinkedHashMap<>();
        for (int v : channelValues) {
            List<Position> sized = new ArrayList<>();
            for (Position p : positions(plan)) {
                if (p.edge() < 0 && ChoiceAnalysis.sizes(plan, p, space, plans, depths, v)) {
                    sized.add(p);
                    sizedBy.computeIfAbsent(p, k -> new ArrayList<>()).add(edges.size());
                }
            }
            List<Candidate> widths = new ArrayList<>();
            for (int j = 0; j < choices.get(v).size(); j++) {
                widths.add(new Candidate(List.<int[]>of(new int[] {j})));
            }
            edges.add(new Edge(v, new int[0], widths, sized, List.of(), Kind.CHANNEL, List.of()));
        }
        edges.addAll(inputEdges);
        edges.addAll(depthEdges);
        // a sliced layer after a repeat reads the width of the repeat's last block that runs: the depth sizes it too
        for (int k = 0; k < depthEdges.size(); k++) {
            List<Position> group = depthEdges.get(k).positions();
            int last = group.isEmpty() ? Integer.MAX_VALUE : group.get(group.size() - 1).step();
            for (Map.Entry<Position, List<Integer>> sized : sizedBy.entrySet()) {
                if (sized.getKey().step() > last) {
                    sized.getValue().add(firstDepth + k);
                }
            }
        }
        Map<Position, List<Variant>> variants = new HashMap<>();
        Map<Position, int[]> sizing = new HashMap<>();
        sizedBy.forEach((p, by) -> {
            variants.put(p, ChoiceAnalysis.variants(space, plans, base, plan, edges, p, by));
            sizing.put(p, by.stream().mapToInt(Integer::intValue).toArray());
        });
        return new SupernetLayout(space, base, plan, edges, variants, sizing, summed);
    }

    private static Edge edge(ComposedSpace space, Plans plans, Architecture base, int c, int[] values,
            List<Position> positions) {
        List<int[]> combos = combos(space, c, values);
        Map<String, List<int[]>> byName = new LinkedHashMap<>();
        for (int[] combo : combos) {
            String op = opAt(plans.of(apply(base, c, values, combo)), positions.get(0));
            byName.computeIfAbsent(op, k -> new ArrayList<>()).add(combo);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (List<int[]> list : byName.values()) {
            candidates.add(new Candidate(List.copyOf(list)));
        }
        List<String[]> ops = new ArrayList<>();
        for (Position p : positions) {
            String[] names = new String[candidates.size()];
            for (int k = 0; k < names.length; k++) {
                names[k] = opAt(plans.of(apply(base, c, values, candidates.get(k).combos().get(0))), p);
            }
            ops.add(names);
        }
        return new Edge(c, values, candidates, positions, ops, Kind.OP, List.of());
    }

    /** Every {@code [op option, value options...]}, the op option varying slowest. */
    private static List<int[]> combos(ComposedSpace space, int c, int[] values) {
        List<int[]> out = new ArrayList<>();
        out.add(new int[1 + values.length]);
        int[] sizes = new int[1 + values.length];
        sizes[0] = c < 0 ? 1 : space.choices().get(c).size();
        for (int v = 0; v < values.length; v++) {
            sizes[1 + v] = space.choices().get(values[v]).size();
        }
        for (int slot = sizes.length - 1; slot >= 0; slot--) {
            List<int[]> next = new ArrayList<>();
            for (int[] combo : out) {
                for (int o = 0; o < sizes[slot]; o++) {
                    int[] copy = combo.clone();
                    copy[slot] = o;
                    next.add(copy);
                }
            }
            out = next;
        }
        out.sort((a, b) -> Arrays.compare(a, b));
        return out;
    }

    private static Architecture apply(Architecture base, int c, int[] values, int[] combo) {
        Architecture a = c < 0 ? base : base.with(c, combo[0]);
        for (int v = 0; v < values.length; v++) {
            a = a.with(values[v], combo[1 + v]);
        }
        return a;
    }

    /** The value choices whose options change the op at {@code p}, for some option of its op choice. */
    private static int[] governingValues(ComposedSpace space, Plans plans, Architecture base, Position p, int c,
            List<Integer> kernelValues) {
        List<Integer> out = new ArrayList<>();
        int options = c < 0 ? 1 : space.choices().get(c).size();
        for (int v : kernelValues) {
            search:
            for (int o = 0; o < options; o++) {
                Architecture a = c < 0 ? base : base.with(c, o);
                String op = opAt(plans.of(a), p);
                for (int j = 1; j < space.choices().get(v).size(); j++) {
                    if (!op.equals(opAt(plans.of(a.with(v, j)), p))) {
                        out.add(v);
                        break search;
                    }
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static List<Position> positions(NetworkPlan plan) {
        List<Position> out = new ArrayList<>();
        for (int i = 0; i < plan.steps().size(); i++) {
            if (plan.steps().get(i) instanceof NetworkPlan.CellStep cell) {
                for (int j = 0; j < cell.edges().size(); j++) {
                    out.add(new Position(i, j));
                }
            } else {
                out.add(new Position(i, -1));
            }
        }
        return out;
    }

    private static int choiceAt(NetworkPlan plan, Position p) {
        NetworkPlan.Step s = plan.steps().get(p.step());
        return p.edge() < 0 ? ((NetworkPlan.LayerStep) s).choice()
                : ((NetworkPlan.CellStep) s).edges().get(p.edge()).choice();
    }

    static String opAt(NetworkPlan plan, Position p) {
        NetworkPlan.Step s = plan.steps().get(p.step());
        return p.edge() < 0 ? ((NetworkPlan.LayerStep) s).op() : ((NetworkPlan.CellStep) s).edges().get(p.edge()).op();
    }

    private static boolean sameShapes(NetworkPlan a, NetworkPlan b) {
        for (int i = 0; i < a.steps().size(); i++) {
            NetworkPlan.Step x = a.steps().get(i);
            NetworkPlan.Step y = b.steps().get(i);
            if (!x.output().equals(y.output())) {
                return false;
            }
            if (x instanceof NetworkPlan.LayerStep l && y instanceof NetworkPlan.LayerStep m
                    && !l.input().equals(m.input())) {
                return false;
            }
            if (x instanceof NetworkPlan.CellStep l && y instanceof NetworkPlan.CellStep m
                    && (l.channels() != m.channels() || !l.inputs().equals(m.inputs()))) {
                return false;
            }
        }
        return true;
    }

    static IllegalArgumentException refused(ComposedSpace space, Choice choice, String what) {
        return new IllegalArgumentException("choice '" + choice.name() + "' of space '" + space.name() + "' is "
                + what);
    }

    /** The plan of the base architecture (option 0 everywhere): the supernet's shapes and fixed ops. */
    NetworkPlan plan() {
        return plan;
    }

    List<Edge> edges() {
        return edges;
    }

    /** The channel edges that size layer {@code p} (none: its channels are fixed). */
    int[] channelEdges(Position p) {
        return channelEdges.getOrDefault(p, new int[0]).clone();
    }

    /** The channels of layer {@code p} for each option combination of its {@link #channelEdges}. */
    List<Variant> variants(Position p) {
        return variants.getOrDefault(p, List.of());
    }

    /** The input edge that picks the state read at cell edge {@code p}, or -1. */
    int inputEdgeAt(Position p) {
        return inputEdgeOf.getOrDefault(p, -1);
    }

    /** The depth edge whose repeated layers include step {@code step}, or -1. */
    int depthEdgeAt(int step) {
        return depthEdgeOf.getOrDefault(step, -1);
    }

    /** Whether some edge is a channel choice. */
    boolean hasChannels() {
        return edges.stream().anyMatch(Edge::channel);
    }

    /** The edge running at {@code p}, or -1 for a fixed op. */
    int edgeAt(Position p) {
        return edgeOf.getOrDefault(p, -1);
    }

    /** The number of candidates of every edge. */
    int[] counts() {
        return edges.stream().mapToInt(e -> e.candidates().size()).toArray();
    }

    /** The candidate of every edge that {@code architecture} takes. */
    int[] path(Architecture architecture) {
        if (architecture.space() != space && !space.equals(architecture.space())) {
            throw new IllegalArgumentException("architecture must be of space '" + space.name() + "', but was of "
                    + architecture.space());
        }
        int[] v = architecture.vector();
        int[] path = new int[edges.size()];
        for (int e = 0; e < path.length; e++) {
            Edge edge = edges.get(e);
            if (edge.state()) {
                continue; // none unless the architecture reads the state (below)
            }
            int[] combo = new int[1 + edge.values().length];
            combo[0] = edge.choice() < 0 ? 0 : v[edge.choice()];
            for (int s = 0; s < edge.values().length; s++) {
                combo[1 + s] = v[edge.values()[s]];
            }
            path[e] = candidateOf(edge, combo);
        }
        for (SummedNodes.Node node : summed.nodes()) {
            for (int t = 0; t < node.opChoices().length; t++) {
                int state = node.inputChoices()[t] < 0 ? node.fixedStates()[t]
                        : node.states()[v[node.inputChoices()[t]]];
                int e = node.edge(state);
                if (path[e] != 0) {
                    throw new IllegalArgumentException("architecture must read distinct states at node " + node.to()
                            + " (relaxed as DARTS does), but read state " + state + " twice: "
                            + space.format(architecture));
                }
                path[e] = 1 + v[node.opChoices()[t]];
            }
        }
        return path;
    }

    /** The nodes relaxed as DARTS does and their state edges. */
    SummedNodes summed() {
        return summed;
    }

    private static int candidateOf(Edge edge, int[] combo) {
        for (int k = 0; k < edge.candidates().size(); k++) {
            for (int[] c : edge.candidates().get(k).combos()) {
                if (Arrays.equals(c, combo)) {
                    return k;
                }
            }
        }
        throw new IllegalStateException("no candidate for " + Arrays.toString(combo));
    }

    /**
     * The architecture of the strongest candidates: each value choice read by op names takes the option with the
     * largest summed weight over the edges reading it (a candidate counts for every option that gives it), so a
     * value shared by several layers gets one consistent option; then every op choice takes the strongest
     * candidate among those the chosen values allow. Choices the supernet does not decide keep option 0.
     *
     * @param weights per edge, the weight of each candidate (softmax of its architecture weights)
     */
    Architecture derive(double[][] weights) {
        return SupernetDerivation.derive(this, weights);
    }

    ComposedSpace space() {
        return space;
    }

    /** The plans of architectures, each computed once. */
    static final class Plans {
        private final ComposedSpace space;
        private final Map<String, NetworkPlan> cache = new HashMap<>();

        Plans(ComposedSpace space) {
            this.space = space;
        }

        NetworkPlan of(Architecture a) {
            return cache.computeIfAbsent(Arrays.toString(a.vector()), k -> space.plan(a));
        }
    }
}
