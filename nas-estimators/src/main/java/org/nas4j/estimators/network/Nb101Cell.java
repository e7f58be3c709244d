package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.engine.GradientSums;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.Concat;
import org.nas4j.estimators.engine.ops.Sum;
import org.nas4j.spaces.nasbench101.NasBench101Cell;
import org.nas4j.spaces.nasbench101.NasBench101CostModel;
import org.nas4j.spaces.nasbench101.NasBench101Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One NAS-Bench-101 cell (the reference's {@code build_module}) mapping {@code in} to {@code out} channels.
 * Vertex {@code v} has the channels of {@link NasBench101CostModel#vertexChannels}; its input is the sum of the
 * truncations ({@link ChannelTruncation}, first channels kept) of the interior vertices that feed it and of a
 * 1x1 conv-BN-ReLU projection of the cell input when the input feeds it; it applies its op (conv 3x3 or 1x1
 * without bias + BN + ReLU, or 3x3 max pooling with stride 1 and same padding). The output concatenates the
 * interior vertices that feed it, in vertex order, and adds a projection of the cell input to {@code out} channels
 * when the input feeds it directly (only that projection when the cell has no interior vertex).
 *
 * <pre>{@code
 * Nb101Cell cell = new Nb101Cell(params, "stack0.cell0", NasBench101Cell.parse("adjacency=..;ops=.."), 128, 128,
 *         0.003);
 * }</pre>
 */
public final class Nb101Cell implements Module {

    /** What feeds an interior vertex: interior vertex {@code from} (truncated) or the input (projected). */
    private record Inbound(int from, Module op) {
    }

    private final String name;
    private final int vertices;
    private final int[] channels;
    private final List<List<Inbound>> inbound = new ArrayList<>();
    private final Module[] vertexOps;
    private final Sum[] sums;
    private final int[] concatenated;
    private final Concat concat = new Concat();
    private final Module outputProjection;
    private final Sum outputSum = new Sum();
    private final INDArray[] values;
    private final GradientSums grads;

    /**
     * Builds the cell's layers, declaring their parameters in {@code params}.
     *
     * @param params     where parameters are declared
     * @param name       prefix of parameter and vertex names
     * @param cell       the cell (pruned here); its input must reach its output
     * @param in         input channels
     * @param out        output channels
     * @param bnMomentum momentum of every batch norm (PyTorch's convention)
     */
    public Nb101Cell(ParameterSet params, String name, NasBench101Cell cell, int in, int out, double bnMomentum) {
        NasBench101Cell p = cell.pruned().orElseThrow(() -> new IllegalArgumentException(
                "cell must connect its input to its output, but was " + cell));
        this.name = name;
        this.vertices = p.vertexCount();
        this.channels = NasBench101CostModel.vertexChannels(p, in, out);
        int n = vertices;
        this.vertexOps = new Module[n];
        this.sums = new Sum[n];
        this.values = new INDArray[n];
        this.grads = new GradientSums(n);
        List<Integer> toOutput = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            inbound.add(new ArrayList<>());
        }
        for (int v = 1; v < n - 1; v++) {
            String vn = name + ".vertex" + v;
            for (int src = 1; src < v; src++) {
                if (p.hasEdge(src, v)) {
                    if (channels[src] < channels[v]) {
                        throw new IllegalStateException("vertex " + src + " of " + cell + " has " + channels[src]
                                + " channels but feeds vertex " + v + " with " + channels[v]);
                    }
                    Module t = channels[src] == channels[v] ? Modules.identity()
                            : new ChannelTruncation(vn + ".from" + src + ".truncate", channels[v]);
                    inbound.get(v).add(new Inbound(src, t));
                }
            }
            if (p.hasEdge(0, v)) {
                inbound.get(v).add(new Inbound(0, convBnRelu(params, vn + ".projection", in, channels[v], 1,
                        bnMomentum)));
            }
            sums[v] = new Sum();
            vertexOps[v] = vertexOp(params, vn, p.ops().get(v), channels[v], bnMomentum);
            if (p.hasEdge(v, n - 1)) {
                toOutput.add(v);
            }
        }
        this.concatenated = toOutput.stream().mapToInt(Integer::intValue).toArray();
        this.outputProjection = p.hasEdge(0, n - 1)
                ? convBnRelu(params, name + ".output.projection", in, out, 1, bnMomentum) : null;
    }

    private static Module vertexOp(ParameterSet params, String name, String op, int c, double bnMomentum) {
        return switch (op) {
            case NasBench101Ops.CONV3X3 -> convBnRelu(params, name + ".conv3x3", c, c, 3, bnMomentum);
            case NasBench101Ops.CONV1X1 -> convBnRelu(params, name + ".conv1x1", c, c, 1, bnMomentum);
            case NasBench101Ops.MAXPOOL3X3 -> Modules.maxPool(name + ".maxpool3x3", 3, 1, 1);
            default -> throw new IllegalArgumentException("op of vertex '" + name + "' must be one of "
                    + NasBench101Ops.OPERATIONS + ", but was '" + op + "'");
        };
    }

    /** The benchmark's {@code conv_bn_relu}: convolution (same padding, no bias), batch norm, ReLU. */
    static Module convBnRelu(ParameterSet params, String name, int in, int out, int kernel, double bnMomentum) {
        return Modules.sequence(
                Modules.conv(params, name + ".conv", new GraphSink.ConvSpec(in, out, kernel, 1, kernel / 2, 1, 1)),
                Modules.batchNorm(params, name + ".bn", out, true, bnMomentum),
                Modules.relu(name + ".relu"));
    }

    /** Channels of every vertex, input and output included. */
    public int[] vertexChannels() {
        return channels.clone();
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        values[0] = x;
        List<INDArray> parts = new ArrayList<>(vertices);
        for (int v = 1; v < vertices - 1; v++) {
            parts.clear();
            for (Inbound e : inbound.get(v)) {
                parts.add(e.op().forward(values[e.from()], mode));
            }
            values[v] = vertexOps[v].forward(sums[v].forward(parts), mode);
        }
        INDArray y;
        if (concatenated.length == 0) {
            y = outputProjection.forward(x, mode);
        } else {
            y = concatenated.length == 1 ? values[concatenated[0]] : concat.forward(concatList());
            if (outputProjection != null) {
                y = outputSum.forward(List.of(y, outputProjection.forward(x, mode)));
            }
        }
        values[vertices - 1] = y;
        return y;
    }

    private List<INDArray> concatList() {
        List<INDArray> xs = new ArrayList<>(concatenated.length);
        for (int v : concatenated) {
            xs.add(values[v]);
        }
        return xs;
    }

    @Override
    public INDArray backward(INDArray gy) {
        grads.clear();
        if (outputProjection != null) {
            grads.add(0, outputProjection.backward(gy));
        }
        if (concatenated.length == 1) {
            grads.add(concatenated[0], gy);
        } else if (concatenated.length > 1) {
            List<INDArray> parts = concat.backward(gy);
            for (int k = 0; k < concatenated.length; k++) {
                grads.add(concatenated[k], parts.get(k));
            }
        }
        for (int v = vertices - 2; v >= 1; v--) {
            // after pruning every interior vertex reaches the output, so it has a gradient
            INDArray g = sums[v].backward(vertexOps[v].backward(grads.get(v)));
            List<Inbound> ins = inbound.get(v);
            for (int k = ins.size() - 1; k >= 0; k--) {
                grads.add(ins.get(k).from(), ins.get(k).op().backward(g));
            }
        }
        return grads.get(0);
    }

    @Override
    public String export(GraphSink sink, String input) {
        String[] names = new String[vertices];
        names[0] = input;
        for (int v = 1; v < vertices - 1; v++) {
            List<String> parts = new ArrayList<>();
            for (Inbound e : inbound.get(v)) {
                parts.add(e.op().export(sink, names[e.from()]));
            }
            String summed = parts.size() == 1 ? parts.get(0) : sink.add(name + ".vertex" + v + ".sum", parts);
            names[v] = vertexOps[v].export(sink, summed);
        }
        if (concatenated.length == 0) {
            return outputProjection.export(sink, input);
        }
        List<String> cat = new ArrayList<>();
        for (int v : concatenated) {
            cat.add(names[v]);
        }
        String y = cat.size() == 1 ? cat.get(0) : sink.concat(name + ".output.concat", cat);
        if (outputProjection != null) {
            y = sink.add(name + ".output.sum", List.of(y, outputProjection.export(sink, input)));
        }
        return y;
    }
}
