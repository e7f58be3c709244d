package org.nas4j.spaces.nasbench201;

import java.util.Map;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.OpSpecs;
import org.nas4j.core.space.Shape;

/**
 * The cost model of the NAS-Bench-201 network around a cell (nothing trainable is built), for counting parameters
 * and multiply-adds from op specifications:
 * stem (conv 3x3 to C + BN); 3 stages of {@code cellsPerStage} cells at C, 2C, 4C channels; between stages a
 * residual reduction block (ReLU-conv3x3 stride 2-BN, ReLU-conv3x3-BN, shortcut avg-pool 2x2 + conv 1x1);
 * head BN-ReLU, global average pooling, linear classifier with bias. Immutable.
 *
 * @param channels      C
 * @param cellsPerStage N
 * @param classes       output classes
 * @param inputChannels image channels
 * @param imageSize     image height and width
 */
public record NasBench201CostModel(int channels, int cellsPerStage, int classes, int inputChannels, int imageSize) {

    /** Specifications of the five cell ops (batch norm with affine parameters, as the benchmark counts). */
    public static final Map<String, OpSpec> OP_SPECS = Map.of(
            "none", OpSpecs.zero("none"),
            "skip_connect", OpSpecs.identity("skip_connect"),
            "nor_conv_1x1", OpSpecs.reluConvBn("nor_conv_1x1", 1, true),
            "nor_conv_3x3", OpSpecs.reluConvBn("nor_conv_3x3", 3, true),
            "avg_pool_3x3", OpSpecs.pool("avg_pool_3x3", 3));

    /** Trainable parameters of the network built with {@code architecture}'s cell. */
    public long parameters(Architecture architecture) {
        Graph cell = architecture.space().cells(architecture).get(0);
        long p = conv(inputChannels, channels, 3) + OpSpecs.bn(channels, true);
        int c = channels;
        for (int stage = 0; stage < 3; stage++) {
            if (stage > 0) {
                p += reductionParameters(c, 2 * c);
                c *= 2;
            }
            p += cellsPerStage * cellParameters(cell, c);
        }
        return p + OpSpecs.bn(c, true) + (long) c * classes + classes;
    }

    /** Multiply-adds of one forward pass of one image. */
    public long multiplyAdds(Architecture architecture) {
        Graph cell = architecture.space().cells(architecture).get(0);
        Shape s = new Shape(channels, imageSize, imageSize);
        long m = (long) imageSize * imageSize * channels * inputChannels * 9;
        for (int stage = 0; stage < 3; stage++) {
            if (stage > 0) {
                int out = 2 * s.channels();
                Shape half = new Shape(out, (s.height() + 1) / 2, (s.width() + 1) / 2);
                long hw = (long) half.height() * half.width();
                m += hw * out * s.channels() * 9 + hw * out * out * 9 + hw * out * s.channels();
                s = half;
            }
            m += cellsPerStage * cellMultiplyAdds(cell, s);
        }
        return m + (long) s.channels() * classes;
    }

    /** Parameters of one cell at {@code c} channels. */
    public static long cellParameters(Graph cell, int c) {
        long p = 0;
        for (Graph.Edge e : cell.edges()) {
            p += spec(e.op()).parameters(c, c, 1);
        }
        return p;
    }

    private static long cellMultiplyAdds(Graph cell, Shape s) {
        long m = 0;
        for (Graph.Edge e : cell.edges()) {
            m += spec(e.op()).multiplyAdds(s, s.channels(), 1);
        }
        return m;
    }

    private static long reductionParameters(int in, int out) {
        return conv(in, out, 3) + OpSpecs.bn(out, true) + conv(out, out, 3) + OpSpecs.bn(out, true) + conv(in, out, 1);
    }

    private static long conv(int in, int out, int k) {
        return (long) in * out * k * k;
    }

    private static OpSpec spec(String op) {
        OpSpec s = OP_SPECS.get(op);
        if (s == null) {
            throw new IllegalArgumentException("unknown NAS-Bench-201 op '" + op + "'; known ops: "
                    + NasBench201Space.OPS);
        }
        return s;
    }
}
