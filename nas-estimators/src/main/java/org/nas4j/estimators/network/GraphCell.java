package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.space.Graph;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.GradientSums;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.Concat;
import org.nas4j.estimators.engine.ops.Relu;
import org.nas4j.estimators.engine.ops.Sum;
import org.nas4j.spaces.darts.DartsOps;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Executes any core {@link Graph} as a layer: its input nodes take the cell's inputs, every other node combines
 * ({@link Graph.Combine#SUM SUM} or {@link Graph.Combine#CONCAT CONCAT}) what its incoming edge ops produce and
 * applies its own op if it has one; the last node is the output. Zero ops ({@link OpFactory#isZero}) are skipped;
 * a node with no live incoming edge is zeros (and the ops on its outgoing edges still run on those zeros, as in
 * the reference PyTorch implementations, so the parameters and their gradients are the same). Gradients of nodes
 * with several consumers are accumulated into buffers reused across steps.
 *
 * <p>Memory: a cell built with an {@link ArrayPool} (a supernet's) hands every buffer of its ops and node sums to
 * the pool at the end of its backward pass, and once at construction so that they take their arrays from it from
 * the first pass on: after its backward pass nothing of the cell is alive but the input gradients it returns, so
 * the backward pass of the cell before it and the next step reuse those arrays. Its values (the output included)
 * are then valid until its backward pass, not until its next forward pass. In the forward pass, once a node has
 * summed or concatenated its edges' outputs, the edges hand back the outputs their backward does not read
 * ({@link org.nas4j.estimators.engine.Layer#releaseOutput}). The input gradients it returns go back at its next
 * forward pass.
 *
 * <p>ReLU: an edge that is a {@link ReluReader} (a supernet's) gets the ReLU of its source node, computed once per
 * pass for all such edges leaving the node; the cell sums what they return for it and runs one ReLU backward.
 *
 * <p>Channels: input node {@code k} has {@code inputChannels[k]}; an edge op maps its source's channels to
 * {@code channels} (an {@code identity} edge keeps them); a SUM node has {@code channels}, a CONCAT node the sum
 * of its incoming edges'. In a reduction cell the edges leaving input nodes have stride 2 (DARTS' rule).
 *
 * <pre>{@code
 * Graph g = space.cells(architecture).get(0);
 * GraphCell cell = new GraphCell(params, "stage0.cell0", g, ModuleCatalogue.standard().asOpFactory(),
 *         new int[] {16}, 16, false);
 * INDArray y = cell.forward(x, Mode.TRAINING);
 * }</pre>
 */
public final class GraphCell implements Module {

    private record LiveEdge(int index, int from, Module op) {
    }

    private final String name;
    private final Graph graph;
    private final int[] inputNodes;
    private final int[] nodeChannels;
    private final boolean reduction;
    private final List<List<LiveEdge>> incoming = new ArrayList<>();
    private final Module[] nodeOps;
    private final Sum[] sums;
    private final Concat[] concats;
    private final Buffer[] zeros;
    private final Buffer[] inputZeros;
    private final INDArray[] values;
    private final boolean[] dead;
    private final GradientSums grads;
    private final ArrayPool pool;
    private final Buffer[] inputGradients;
    /** ReLU of each node, computed once per pass for the edges that read it ({@link ReluReader}). */
    private final Relu[] nodeRelus;
    private final INDArray[] reluValues;
    private final GradientSums reluGrads;
    private List<INDArray> lastInputs = List.of();

    /**
     * Builds the ops of every edge (and node) of {@code graph}, declaring their parameters in {@code params} in the
     * order of the graph's edges, then nodes.
     *
     * @param params        where parameters are declared
     * @param name          prefix of parameter and vertex names
     * @param graph         the cell
     * @param ops           makes each op
     * @param inputChannels channels of each input node, in node order
     * @param channels      channels of the cell's intermediate nodes
     * @param reduction     whether edges leaving input nodes have stride 2
     */
    public GraphCell(ParameterSet params, String name, Graph graph, OpFactory ops, int[] inputChannels, int channels,
            boolean reduction) {
        this(params, name, graph, ops, inputChannels, channels, reduction, null, 0);
    }

    /**
     * As {@link #GraphCell(ParameterSet, String, Graph, OpFactory, int[], int, boolean)}, with drop-path after every
     * edge op except a stride-1 identity (the reference DARTS {@code Cell.forward}): in training, each such op's
     * output is dropped per sample with the probability {@code dropPath} holds at that moment.
     *
     * @param dropPath the shared probability, or null for no drop-path
     * @param seed     root of the drop-path masks (each edge derives its own generator from it and its name)
     */
    public GraphCell(ParameterSet params, String name, Graph graph, OpFactory ops, int[] inputChannels, int channels,
            boolean reduction, DropPathRate dropPath, long seed) {
        this(params, name, graph, ops, inputChannels, channels, reduction, dropPath, seed, null);
    }

    /**
     * As {@link #GraphCell(ParameterSet, String, Graph, OpFactory, int[], int, boolean, DropPathRate, long)}, with
     * the buffers of the cell's ops and sums pooled in {@code pool} after each backward pass (see the class
     * documentation); a null pool keeps them.
     */
    public GraphCell(ParameterSet params, String name, Graph graph, OpFactory ops, int[] inputChannels, int channels,
            boolean reduction, DropPathRate dropPath, long seed, ArrayPool pool) {
        this.name = name;
        this.pool = pool;
        this.graph = graph;
        this.reduction = reduction;
        int n = graph.nodes().size();
        List<Integer> ins = new ArrayList<>();
        for (Graph.Node node : graph.nodes()) {
            if (node.combine() == Graph.Combine.INPUT) {
                ins.add(node.id());
            }
        }
        if (ins.isEmpty() || ins.size() != inputChannels.length) {
            throw new IllegalArgumentException("inputChannels must have one entry per input node of cell '"
                    + graph.name() + "' (" + ins.size() + "), but had " + inputChannels.length);
        }
        if (graph.nodes().get(n - 1).combine() == Graph.Combine.INPUT) {
            throw new IllegalArgumentException("the last node of cell '" + graph.name() + "' must not be an input");
        }
        this.inputNodes = ins.stream().mapToInt(Integer::intValue).toArray();
        this.nodeChannels = new int[n];
        this.nodeOps = new Module[n];
        this.sums = new Sum[n];
        this.concats = new Concat[n];
        this.zeros = new Buffer[n];
        this.values = new INDArray[n];
        this.dead = new boolean[n];
        this.grads = new GradientSums(n);
        this.nodeRelus = new Relu[n];
        this.reluValues = new INDArray[n];
        this.reluGrads = new GradientSums(n);
        this.inputZeros = new Buffer[inputNodes.length];
        this.inputGradients = new Buffer[inputNodes.length];
        for (int k = 0; k < inputNodes.length; k++) {
            nodeChannels[inputNodes[k]] = inputChannels[k];
            inputZeros[k] = new Buffer();
            inputGradients[k] = new Buffer();
        }
        for (int j = 0; j < n; j++) {
            incoming.add(new ArrayList<>());
            zeros[j] = new Buffer();
            nodeRelus[j] = new Relu();
        }
        List<Graph.Edge> edges = graph.edges();
        for (Graph.Edge e : edges) {
            if (isInput(e.to())) {
                throw new IllegalArgumentException("edge " + e + " of cell '" + graph.name() + "' ends at an input node");
            }
        }
        for (Graph.Node node : graph.nodes()) {
            int j = node.id();
            if (node.combine() == Graph.Combine.INPUT) {
                continue;
            }
            int concatChannels = 0;
            for (int i = 0; i < edges.size(); i++) {
                Graph.Edge e = edges.get(i);
                if (e.to() != j) {
                    continue;
                }
                int in = nodeChannels[e.from()];
                int out = OpFactory.isIdentity(e.op()) ? in : channels;
                concatChannels += out;
                if (OpFactory.isZero(e.op())) {
                    continue;
                }
                int stride = reduction && isInput(e.from()) ? 2 : 1;
                boolean identity = OpFactory.isIdentity(e.op()) && stride == 1;
                Module op = identity ? Modules.identity()
                        : ops.create(params, name + ".edge" + i, e.op(), in, out, stride);
                // the reference drops every op's output but an Identity's, i.e. a stride-1 skip_connect's
                if (dropPath != null && !identity && DartsOps.isDropPathTarget(e.op(), stride)) {
                    op = new ScheduledDropPath(op, dropPath, Seeds.derive(seed, name + ".edge" + i + ".droppath"));
                }
                incoming.get(j).add(new LiveEdge(i, e.from(), op));
            }
            if (node.combine() == Graph.Combine.CONCAT) {
                nodeChannels[j] = concatChannels;
                concats[j] = new Concat();
            } else {
                nodeChannels[j] = channels;
                sums[j] = new Sum();
            }
            if (!OpFactory.isIdentity(node.op())) {
                nodeOps[j] = ops.create(params, name + ".node" + j, node.op(), nodeChannels[j], nodeChannels[j], 1);
            }
        }
        if (pool != null) {
            releaseBuffers(pool);
        }
    }

    /** Output channels of the cell (those of its last node). */
    public int outputChannels() {
        return nodeChannels[nodeChannels.length - 1];
    }

    /** The graph this cell executes. */
    public Graph graph() {
        return graph;
    }

    private boolean isInput(int node) {
        return graph.nodes().get(node).combine() == Graph.Combine.INPUT;
    }

    @Override
    public INDArray forward(INDArray input, Mode mode) {
        return forward(List.of(input), mode);
    }

    /** Runs the cell on one input per input node (two for DARTS cells); returns the last node's value. */
    public INDArray forward(List<INDArray> inputs, Mode mode) {
        if (inputs.size() != inputNodes.length) {
            throw new IllegalArgumentException("cell '" + graph.name() + "' takes " + inputNodes.length
                    + " inputs, but got " + inputs.size());
        }
        lastInputs = inputs;
        if (pool != null) {
            // the input gradients the last backward pass returned are dead by now
            for (int k = 0; k < inputNodes.length; k++) {
                inputGradients[k].release(pool);
                grads.releaseBuffer(inputNodes[k], pool);
            }
        }
        java.util.Arrays.fill(reluValues, null);
        for (int k = 0; k < inputNodes.length; k++) {
            values[inputNodes[k]] = inputs.get(k);
            dead[inputNodes[k]] = false;
        }
        INDArray first = inputs.get(0);
        for (int j = 0; j < values.length; j++) {
            if (isInput(j)) {
                continue;
            }
            List<LiveEdge> live = incoming.get(j);
            if (live.isEmpty()) {
                long h = reduction ? (first.size(2) + 1) / 2 : first.size(2);
                long w = reduction ? (first.size(3) + 1) / 2 : first.size(3);
                values[j] = zeros[j].get(first.dataType(), first.size(0), nodeChannels[j], h, w);
                dead[j] = true;
                continue;
            }
            dead[j] = false;
            List<INDArray> outs = new ArrayList<>(live.size());
            for (LiveEdge e : live) {
                outs.add(forward(e, mode));
            }
            INDArray combined = concats[j] != null ? concats[j].forward(outs) : sums[j].forward(outs);
            if (pool != null && (concats[j] != null || outs.size() > 1)) {
                // the combination copied the edges' outputs: those their backward does not read are dead
                for (LiveEdge e : live) {
                    e.op().releaseOutput(pool);
                }
            }
            values[j] = nodeOps[j] == null ? combined : nodeOps[j].forward(combined, mode);
        }
        return values[values.length - 1];
    }

    private INDArray forward(LiveEdge e, Mode mode) {
        INDArray x = values[e.from()];
        if (!(e.op() instanceof ReluReader reader)) {
            return e.op().forward(x, mode);
        }
        INDArray relu = null;
        if (reader.needsReluInput()) {
            if (reluValues[e.from()] == null) {
                reluValues[e.from()] = nodeRelus[e.from()].forward(x, mode);
            }
            relu = reluValues[e.from()];
        }
        return reader.forward(x, relu, mode);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        return backwardInputs(gradOutput).get(0);
    }

    /** Back-propagates through the last forward call; returns the gradient for each input, owned by this cell. */
    public List<INDArray> backwardInputs(INDArray gradOutput) {
        grads.clear();
        reluGrads.clear();
        grads.add(grads.size() - 1, gradOutput);
        for (int j = grads.size() - 1; j >= 0; j--) {
            if (reluGrads.get(j) != null) {
                // one ReLU backward for all the edges that read this node's ReLU (exact: the derivative is a mask)
                grads.add(j, nodeRelus[j].backward(reluGrads.get(j)));
            }
            INDArray g = grads.get(j);
            if (g == null || dead[j] || isInput(j)) {
                continue;
            }
            if (nodeOps[j] != null) {
                g = nodeOps[j].backward(g);
            }
            List<LiveEdge> live = incoming.get(j);
            List<INDArray> parts = concats[j] != null ? concats[j].backward(g) : null;
            for (int k = live.size() - 1; k >= 0; k--) {
                LiveEdge e = live.get(k);
                INDArray ge = e.op().backward(parts != null ? parts.get(k) : sums[j].backward(g));
                if (dead[e.from()]) {
                    continue;
                }
                if (ge != null) {
                    grads.add(e.from(), ge);
                }
                if (e.op() instanceof ReluReader reader && reader.reluGradient() != null) {
                    reluGrads.add(e.from(), reader.reluGradient());
                }
            }
        }
        List<INDArray> out = new ArrayList<>(inputNodes.length);
        for (int k = 0; k < inputNodes.length; k++) {
            INDArray g = grads.get(inputNodes[k]);
            if (g == null) {
                g = inputZeros[k].like(lastInputs.get(k));
            } else if (pool != null && !grads.owns(inputNodes[k])) {
                // the gradient is an op's buffer, which goes back to the pool below: the caller gets a copy
                g = inputGradients[k].like(g).assign(g);
            }
            out.add(g);
        }
        if (pool != null) {
            releaseBuffers(pool);
        }
        return out;
    }

    /**
     * Hands the buffers of every op and node sum of the cell to {@code pool} (not those of the input gradients it
     * returned, nor its zero nodes'). Must not be called between a forward pass and its backward pass.
     */
    @Override
    public void releaseBuffers(ArrayPool pool) {
        for (int j = 0; j < values.length; j++) {
            for (LiveEdge e : incoming.get(j)) {
                e.op().releaseBuffers(pool);
            }
            if (nodeOps[j] != null) {
                nodeOps[j].releaseBuffers(pool);
            }
            if (sums[j] != null) {
                sums[j].releaseBuffers(pool);
            }
            nodeRelus[j].releaseBuffers(pool);
            reluGrads.releaseBuffer(j, pool);
            if (!isInput(j)) {
                grads.releaseBuffer(j, pool);
            }
            if (concats[j] != null) {
                concats[j].releaseBuffers(pool);
            }
        }
    }

    @Override
    public String export(GraphSink sink, String input) {
        return export(sink, List.of(input));
    }

    /** Adds the cell to {@code sink}, given the vertex names of its inputs; returns the output vertex name. */
    public String export(GraphSink sink, List<String> inputs) {
        String[] names = new String[values.length];
        for (int k = 0; k < inputNodes.length; k++) {
            names[inputNodes[k]] = inputs.get(k);
        }
        // nodes that do not reach the output contribute nothing: a graph format may refuse dangling vertices
        boolean[] needed = new boolean[values.length];
        needed[values.length - 1] = true;
        for (int j = values.length - 1; j >= 0; j--) {
            if (needed[j]) {
                for (LiveEdge e : incoming.get(j)) {
                    needed[e.from()] = true;
                }
            }
        }
        for (int j = 0; j < names.length; j++) {
            if (isInput(j) || !needed[j]) {
                continue;
            }
            List<LiveEdge> live = incoming.get(j);
            if (live.isEmpty()) {
                if (reduction || nodeChannels[j] != nodeChannels[inputNodes[0]]) {
                    throw new UnsupportedOperationException("cannot export the zero node " + j + " of cell '" + name
                            + "': its shape differs from the cell input's");
                }
                names[j] = sink.zeros(name + ".node" + j + ".zero", inputs.get(0));
                continue;
            }
            List<String> outs = new ArrayList<>(live.size());
            for (LiveEdge e : live) {
                outs.add(e.op().export(sink, names[e.from()]));
            }
            String combined = outs.size() == 1 ? outs.get(0)
                    : concats[j] != null ? sink.concat(name + ".node" + j + ".concat", outs)
                    : sink.add(name + ".node" + j + ".sum", outs);
            names[j] = nodeOps[j] == null ? combined : nodeOps[j].export(sink, combined);
        }
        return names[names.length - 1];
    }
}
