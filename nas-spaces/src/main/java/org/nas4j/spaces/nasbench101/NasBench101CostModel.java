package org.nas4j.spaces.nasbench101;

import static org.nas4j.core.config.Require.atLeast;

import org.nas4j.core.space.OpSpec;

/**
 * The cost model of the benchmark's network around a cell (nothing trainable is built), as far as parameter
 * counts go ({@code model_builder.py}): a stem
 * (3x3 conv-BN-ReLU from the RGB image to {@code stemChannels}), {@code stacks} stacks of {@code cellsPerStack}
 * cells, a 2x2 max pool and a doubling of the channels before every stack but the first, global average pooling
 * and a dense layer to {@code classes} logits (with bias). Convolutions have no bias; batch norm counts its two
 * affine parameters per channel (its moving statistics are not trainable). Immutable and thread-safe.
 *
 * <p>Inside a cell of {@code in} input and {@code out} output channels ({@link #vertexChannels}): the output
 * channels are split evenly among the vertices that feed the output (the first ones get one more when it does
 * not divide), every other interior vertex gets the largest channel count of the vertices it feeds; an edge
 * from the cell input to an interior vertex is a 1x1 conv-BN-ReLU projection to that vertex's channels; an
 * interior vertex's op maps its channels to themselves; the output concatenates its interior inputs and adds a
 * projection of the cell input to {@code out} channels when the input feeds it directly.
 *
 * <pre>{@code
 * NasBench101CostModel.benchmark().parameters(cell);   // 2,694,282 for the README's Inception-like cell
 * }</pre>
 *
 * @param stemChannels  channels of the stem, at least 1
 * @param stacks        number of stacks, at least 1
 * @param cellsPerStack cells per stack, at least 1
 * @param imageChannels channels of the input image, at least 1
 * @param classes       number of classes, at least 1
 */
public record NasBench101CostModel(int stemChannels, int stacks, int cellsPerStack, int imageChannels, int classes) {

    public NasBench101CostModel {
        atLeast("stemChannels", stemChannels, 1);
        atLeast("stacks", stacks, 1);
        atLeast("cellsPerStack", cellsPerStack, 1);
        atLeast("imageChannels", imageChannels, 1);
        atLeast("classes", classes, 1);
    }

    /** The benchmark's CIFAR-10 network: stem of 128 channels, 3 stacks of 3 cells, 10 classes. */
    public static NasBench101CostModel benchmark() {
        return new NasBench101CostModel(128, 3, 3, 3, 10);
    }

    /**
     * Trainable parameters of this network built with {@code cell} (pruned first).
     *
     * @throws IllegalArgumentException if the cell's input is not connected to its output
     */
    public long parameters(NasBench101Cell cell) {
        NasBench101Cell p = prunedOrThrow(cell);
        OpSpec conv3 = NasBench101Ops.spec(NasBench101Ops.CONV3X3);
        long total = conv3.parameters(imageChannels, stemChannels, 1);
        int channels = stemChannels;
        for (int s = 0; s < stacks; s++) {
            int in = channels;
            if (s > 0) {
                channels *= 2;
            }
            for (int m = 0; m < cellsPerStack; m++) {
                total += cellParameters(p, m == 0 ? in : channels, channels);
                in = channels;
            }
        }
        return total + (long) channels * classes + classes;
    }

    /** Trainable parameters of one (pruned) cell mapping {@code in} to {@code out} channels. */
    static long cellParameters(NasBench101Cell pruned, int in, int out) {
        int n = pruned.vertexCount();
        int[] ch = vertexChannels(pruned, in, out);
        OpSpec projection = NasBench101Ops.spec(NasBench101Ops.CONV1X1);
        long total = 0;
        for (int v = 1; v < n - 1; v++) {
            if (pruned.hasEdge(0, v)) {
                total += projection.parameters(in, ch[v], 1);
            }
            total += NasBench101Ops.spec(pruned.ops().get(v)).parameters(ch[v], ch[v], 1);
        }
        if (pruned.hasEdge(0, n - 1)) {
            total += projection.parameters(in, out, 1);
        }
        return total;
    }

    /**
     * The channels of every vertex of {@code cell} (pruned first) inside a cell mapping {@code in} to
     * {@code out} channels: the benchmark's {@code compute_vertex_channels}.
     *
     * @throws IllegalArgumentException if the cell's input is not connected to its output, or a channel count
     *                                  is not positive
     */
    public static int[] vertexChannels(NasBench101Cell cell, int in, int out) {
        atLeast("in", in, 1);
        atLeast("out", out, 1);
        NasBench101Cell p = prunedOrThrow(cell);
        int n = p.vertexCount();
        int[] ch = new int[n];
        ch[0] = in;
        ch[n - 1] = out;
        if (n == 2) {
            return ch;
        }
        int fanIn = 0;
        for (int v = 1; v < n - 1; v++) {
            if (p.hasEdge(v, n - 1)) {
                fanIn++;
            }
        }
        int share = out / fanIn;
        int extra = out % fanIn;
        for (int v = 1; v < n - 1; v++) {
            if (p.hasEdge(v, n - 1)) {
                ch[v] = share + (extra > 0 ? 1 : 0);
                extra = Math.max(0, extra - 1);
            }
        }
        for (int v = n - 3; v >= 1; v--) {
            if (!p.hasEdge(v, n - 1)) {
                for (int w = v + 1; w < n - 1; w++) {
                    if (p.hasEdge(v, w)) {
                        ch[v] = Math.max(ch[v], ch[w]);
                    }
                }
            }
        }
        return ch;
    }

    private static NasBench101Cell prunedOrThrow(NasBench101Cell cell) {
        return cell.pruned().orElseThrow(() -> new IllegalArgumentException(
                "cell must connect its input to its output, but was " + cell));
    }
}
