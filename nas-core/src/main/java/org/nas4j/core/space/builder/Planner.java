package org.nas4j.core.space.builder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.Shape;

/**
 * Lays out the {@link NetworkPlan} of one choice vector by walking a {@link Layout}: a layer maps the current
 * shape; a cell reads the outputs of the previous one or two steps. With {@code everyCandidate} (at
 * {@code build()}) it also checks that every candidate op on every candidate input of every node gives the node's
 * shape, so that shapes that cannot meet are found before any architecture is drawn. Shape errors are
 * {@link SpaceDefinitionException}s of {@link DefinitionError#SHAPE_MISMATCH} naming the step.
 */
final class Planner {
    private final Layout layout;
    private final int[] vector;
    private final boolean everyCandidate;
    private final List<NetworkPlan.Step> steps = new ArrayList<>();
    private NetworkPlan.LayerStep auxiliary;
    private int auxiliaryInput = -1;
    private Shape previous;
    private Shape current;
    /** The network state each part's output is (0: the input), for the joins that read them. */
    private final java.util.Map<String, Integer> stateOf = new java.util.HashMap<>();
    /** The shape of each network state. */
    private final List<Shape> stateShapes = new ArrayList<>();

    private Planner(Layout layout, int[] vector, boolean everyCandidate) {
        this.layout = layout;
        this.vector = vector;
        this.everyCandidate = everyCandidate;
    }

    /** The plan of {@code vector} for a network with {@code input} shape. */
    static NetworkPlan plan(Layout layout, Shape input, int[] vector, boolean everyCandidate) {
        Planner p = new Planner(layout, vector, everyCandidate);
        p.previous = input;
        p.current = input;
        p.stateOf.put("input", 0);
        p.stateShapes.add(input);
        p.walk(layout.root());
        return new NetworkPlan(input, p.steps, p.auxiliary, p.auxiliaryInput);
    }

    private void walk(List<Layout.Node> nodes) {
        for (Layout.Node node : nodes) {
            if (node instanceof Layout.LayerNode layer) {
                layer(layer);
            } else if (node instanceof Layout.RepeatNode repeat) {
                int depth = repeat.depthChoice() < 0 ? repeat.min() : repeat.min() + vector[repeat.depthChoice()];
                for (int r = 0; r < depth; r++) {
                    walk(repeat.repetitions().get(r));
                }
            } else if (node instanceof Layout.AuxiliaryNode aux) {
                OpSpec spec = layout.catalogue().spec(aux.op());
                Shape o = output(aux.path(), spec, current, aux.classes(), 1);
                auxiliaryInput = steps.size() - 1;
                auxiliary = new NetworkPlan.LayerStep(aux.path(), aux.op(), current, o, 1,
                        spec.parameters(current.channels(), aux.classes(), 1),
                        spec.multiplyAdds(current, aux.classes(), 1), -1);
            } else if (node instanceof Layout.CellNode cell) {
                cell(cell);
                stepped(cell.path());
            } else if (node instanceof Layout.JoinNode join) {
                join(join);
                stepped(join.path());
            }
        }
    }

    /** Records that the step just added is the output of part {@code path}. */
    private void stepped(String path) {
        stateShapes.add(current);
        stateOf.put(path, steps.size());
    }

    private void layer(Layout.LayerNode layer) {
        String template = layer.choice() < 0 ? layer.ops().get(0) : layer.ops().get(vector[layer.choice()]);
        String op = Layout.resolveOp(template, layer.scope(), vector);
        OpCatalogue.Entry entry = layout.catalogue().entry(op);
        Shape in = current;
        int out = layer.width().resolve(in.channels(), name -> layer.scope().option(name, vector));
        if (entry.kind().keepsChannels() && out != in.channels()) {
            throw mismatch(layer.path(), "op '" + op + "' keeps the channels of its input (" + in.channels()
                    + ") but the layer's width " + layer.width() + " asks for " + out, null);
        }
        Shape o = output(layer.path(), entry.spec(), in, out, layer.stride());
        steps.add(new NetworkPlan.LayerStep(layer.path(), op, in, o, layer.stride(),
                entry.spec().parameters(in.channels(), out, layer.stride()),
                entry.spec().multiplyAdds(in, out, layer.stride()), layer.choice()));
        previous = o;
        current = o;
        stepped(layer.path());
    }

    /**
     * A join: one input node per source, each op into the sum node, then the join's op on the sum. Laid out as a
     * {@link NetworkPlan.CellStep} with {@code sources}, so that it compiles as a small cell.
     */
    private void join(Layout.JoinNode j) {
        String where = j.path();
        int n = j.sources().size();
        List<Integer> sources = new ArrayList<>();
        List<Shape> ins = new ArrayList<>();
        for (String source : j.sources()) {
            Integer state = stateOf.get(source);
            if (state == null) {
                throw mismatch(where, "it reads '" + source + "', which this network does not contain", null);
            }
            sources.add(state);
            ins.add(stateShapes.get(state));
        }
        int c = j.width().resolve(ins.get(0).channels(), name -> j.scope().option(name, vector));
        List<NetworkPlan.EdgeStep> edges = new ArrayList<>();
        List<Graph.Node> nodes = new ArrayList<>();
        List<Graph.Edge> graphEdges = new ArrayList<>();
        Shape shape = null;
        long params = 0;
        long macs = 0;
        for (int i = 0; i < n; i++) {
            nodes.add(Graph.Node.input(i));
            List<String> options = j.ops().get(i);
            String template = j.choices()[i] < 0 ? options.get(0) : options.get(vector[j.choices()[i]]);
            String op = Layout.resolveOp(template, j.scope(), vector);
            Shape o = joinInput(where, j.labels().get(i), op, ins.get(i), c, j.stride());
            if (shape != null && !shape.equals(o)) {
                throw mismatch(where, "input '" + j.labels().get(i) + "' gives " + o + ", the inputs before it "
                        + shape + "; a join sums maps of one shape", null);
            }
            shape = o;
            if (everyCandidate) {
                for (String candidate : options) {
                    String resolved = Layout.resolveOp(candidate, j.scope(), vector);
                    Shape other = joinInput(where, j.labels().get(i), resolved, ins.get(i), c, j.stride());
                    if (!other.equals(o)) {
                        throw mismatch(where, "input '" + j.labels().get(i) + "' could give " + other + " (op '"
                                + resolved + "'), others give " + o, null);
                    }
                }
            }
            OpSpec spec = layout.catalogue().spec(op);
            long p = spec.parameters(ins.get(i).channels(), c, j.stride());
            long m = spec.multiplyAdds(ins.get(i), c, j.stride());
            params += p;
            macs += m;
            edges.add(new NetworkPlan.EdgeStep(i, n, op, j.stride(), ins.get(i), o, p, m, j.choices()[i]));
            graphEdges.add(new Graph.Edge(i, n, op));
        }
        if (!j.op().equals("identity")) {
            OpSpec spec = layout.catalogue().spec(j.op());
            Shape o = output(where, spec, shape, c, 1);
            if (!o.equals(shape)) {
                throw mismatch(where, "the op after the sum, '" + j.op() + "', must keep the shape " + shape
                        + ", but gives " + o, null);
            }
            params += spec.parameters(c, c, 1);
            macs += spec.multiplyAdds(shape, c, 1);
        }
        nodes.add(new Graph.Node(n, j.op(), Graph.Combine.SUM));
        Graph graph = new Graph(where, nodes, graphEdges);
        List<String> preprocess = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            preprocess.add(null);
        }
        steps.add(new NetworkPlan.CellStep(where, where, graph, ins, preprocess, c, j.stride() == 2, edges,
                List.of(n), shape, params, macs, sources));
        previous = current;
        current = shape;
    }

    private Shape joinInput(String where, String label, String op, Shape in, int c, int stride) {
        OpCatalogue.Entry entry = layout.catalogue().entry(op);
        boolean keeps = entry.kind() == OpCatalogue.Kind.IDENTITY
                || entry.kind() == OpCatalogue.Kind.CHANNEL_PRESERVING;
        if (keeps && in.channels() != c) {
            throw mismatch(where, "input '" + label + "': op '" + op + "' keeps the channels of its input ("
                    + in.channels() + ") but the join's width asks for " + c, null);
        }
        return output(where + " input " + label, entry.spec(), in, c, stride);
    }

    private void cell(Layout.CellNode node) {
        CompiledCell cell = node.cell();
        int c = node.width().resolve(current.channels(), name -> node.scope().option(name, vector));
        String where = node.path();
        List<Shape> inputs = cell.inputs() == 1 ? List.of(current) : List.of(previous, current);
        List<String> preprocess = new ArrayList<>();
        Shape[] states = new Shape[cell.inputs() + cell.nodes().size()];
        long params = 0;
        long macs = 0;
        if (cell.inputs() == 1) {
            if (current.channels() != c) {
                throw mismatch(where, "a cell with one input keeps its input's channels, but the input has "
                        + current.channels() + " and the cell's width asks for " + c, null);
            }
            preprocess.add(null);
            states[0] = current;
        } else {
            OpCatalogue.CellInputs ops = layout.catalogue().cellInputs();
            String pre0 = larger(previous, current, where) ? ops.reducing() : ops.sameSize();
            String pre1 = ops.second();
            for (int i = 0; i < 2; i++) {
                String op = i == 0 ? pre0 : pre1;
                OpSpec spec = layout.catalogue().spec(op);
                Shape in = inputs.get(i);
                states[i] = output(where + " input " + i, spec, in, c, 1);
                params += spec.parameters(in.channels(), c, 1);
                macs += spec.multiplyAdds(in, c, 1);
                preprocess.add(op);
            }
            if (!sameSize(states[0], states[1])) {
                throw mismatch(where, "the preprocessed inputs must have the same size, but were " + states[0]
                        + " and " + states[1], null);
            }
        }
        CompiledCell.Resolved r = cell.resolve(vector);
        List<NetworkPlan.EdgeStep> edges = new ArrayList<>();
        for (int j = 0; j < cell.nodes().size(); j++) {
            CompiledCell.NodeLayout n = cell.nodes().get(j);
            int to = n.state();
            Shape shape = null;
            for (int s = 0; s < n.k(); s++) {
                int from = r.inputs().get(j)[s];
                String op = r.ops().get(j)[s];
                int stride = cell.template().reduction() && from < cell.inputs() ? 2 : 1;
                OpSpec spec = layout.catalogue().spec(op);
                Shape o = output(where + " node " + n.name(), spec, states[from], c, stride);
                if (shape != null && !shape.equals(o)) {
                    throw mismatch(where, "node '" + n.name() + "' sums inputs of different shapes, " + shape
                            + " and " + o + " (op '" + op + "' on state " + from + ")", null);
                }
                shape = o;
                long p = spec.parameters(c, c, stride);
                long m = spec.multiplyAdds(states[from], c, stride);
                params += p;
                macs += m;
                edges.add(new NetworkPlan.EdgeStep(from, to, op, stride, states[from], o, p, m, n.opChoice()[s]));
            }
            if (everyCandidate) {
                checkCandidates(cell, n, states, c, shape, where);
            }
            states[to] = shape;
        }
        Shape first = null;
        for (int s : r.concat()) {
            Shape shape = states[s];
            if (cell.reducesInput(s)) {
                OpSpec spec = layout.catalogue().spec(layout.catalogue().cellInputs().unusedInput());
                shape = output(where + " unused input " + s, spec, states[s], c, 2);
                params += spec.parameters(states[s].channels(), c, 2);
                macs += spec.multiplyAdds(states[s], c, 2);
            }
            if (first == null) {
                first = shape;
            } else if (!sameSize(shape, first)) {
                throw mismatch(where, "the output concatenates states of different sizes: state " + s + " is "
                        + shape + ", state " + r.concat().get(0) + " is " + first, null);
            }
        }
        Shape out = first.withChannels(c * r.concat().size());
        if (cell.template().output() == CellOutput.PROJECT_UNUSED_STATES) {
            // ENAS' final_conv: a ReLU-1x1 convolution of each unused state to C, summed, then BN
            OpSpec project = layout.catalogue().spec(EnasOps.RELU_CONV_1X1);
            for (int s : r.concat()) {
                params += project.parameters(c, c, 1);
                macs += project.multiplyAdds(states[s], c, 1);
            }
            OpSpec bn = layout.catalogue().spec(EnasOps.BATCH_NORM);
            out = first.withChannels(c);
            params += bn.parameters(c, c, 1);
            macs += bn.multiplyAdds(out, c, 1);
        }
        steps.add(new NetworkPlan.CellStep(where, cell.name(),
                cell.graph(r, layout.catalogue().cellInputs().unusedInput()), inputs, preprocess, c,
                cell.template().reduction(), edges, r.concat(), out, params, macs));
        previous = current;
        current = out;
    }

    private void checkCandidates(CompiledCell cell, CompiledCell.NodeLayout n, Shape[] states, int c, Shape shape,
            String where) {
        for (int from : n.candidates()) {
            int stride = cell.template().reduction() && from < cell.inputs() ? 2 : 1;
            for (String op : n.ops()) {
                Shape o = output(where + " node " + n.name(), layout.catalogue().spec(op), states[from], c, stride);
                if (!o.equals(shape)) {
                    throw mismatch(where, "node '" + n.name() + "' could sum inputs of different shapes: op '" + op
                            + "' on state " + from + " gives " + o + ", others give " + shape, null);
                }
            }
        }
    }

    private static boolean larger(Shape a, Shape b, String where) {
        if (sameSize(a, b)) {
            return false;
        }
        if (a.height() >= b.height() && a.width() >= b.width()) {
            return true;
        }
        throw mismatch(where, "the cell's first input (" + a + ") is smaller than its second (" + b + ")", null);
    }

    private static boolean sameSize(Shape a, Shape b) {
        return a.height() == b.height() && a.width() == b.width();
    }

    private static Shape output(String where, OpSpec spec, Shape in, int out, int stride) {
        try {
            return spec.output(in, out, stride);
        } catch (IllegalArgumentException e) {
            throw mismatch(where, "op '" + spec.name() + "' cannot map " + in + " to " + out + " channels at stride "
                    + stride + ": " + e.getMessage(), e);
        }
    }

    private static SpaceDefinitionException mismatch(String where, String message, Throwable cause) {
        return new SpaceDefinitionException(DefinitionError.SHAPE_MISMATCH, "'" + where + "': " + message, cause);
    }

    @Override
    public String toString() {
        return "Planner" + Arrays.toString(vector);
    }
}
