package org.nas4j.spaces.darts;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.Shape;

/**
 * One cell of a {@link DartsCostModel} laid out as data: where it sits, its channel counts, the shapes it sees,
 * its preprocessing and every op with its stride, costs and drop-path flag. This is what a training engine needs
 * to instantiate the reference's {@code Cell(genotype, C_prev_prev, C_prev, C, reduction, reduction_prev)}.
 * Immutable and thread-safe.
 *
 * @param index         position among the network's cells, from 0
 * @param type          normal or reduce
 * @param reductionPrev whether the previous cell reduced (then input 0 is preprocessed by a factorized reduce)
 * @param prevPrevChannels channels of input 0 (the output of the cell two back, or of the stem)
 * @param prevChannels  channels of input 1 (the output of the previous cell, or of the stem)
 * @param channels      channels {@code C} of every state inside the cell
 * @param input0        shape of input 0 before preprocessing
 * @param input1        shape of input 1 before preprocessing
 * @param output        shape of the cell output ({@code concat.size() * C} channels)
 * @param preprocess0   {@code "factorized_reduce"} or {@code "relu_conv_bn_1x1"}
 * @param ops           the ops, two per intermediate node, in genotype order
 * @param concat        the states concatenated into the output
 * @param parameters    trainable parameters of the cell (preprocessing included)
 * @param multiplyAdds  multiply-adds of the cell for one sample
 */
public record NetworkCell(int index, CellType type, boolean reductionPrev, int prevPrevChannels, int prevChannels,
                          int channels, Shape input0, Shape input1, Shape output, String preprocess0, List<Op> ops,
                          List<Integer> concat, long parameters, long multiplyAdds) {

    /**
     * One op of a cell.
     *
     * @param node         the intermediate node it feeds (2, 3, ...)
     * @param op           the operation name
     * @param input        the state it reads
     * @param stride       2 for an op of a reduction cell reading a cell input, else 1
     * @param dropPath     whether drop-path applies to its output in training
     * @param parameters   its trainable parameters
     * @param multiplyAdds its multiply-adds for one sample
     */
    public record Op(int node, String op, int input, int stride, boolean dropPath, long parameters,
                     long multiplyAdds) {
    }

    public NetworkCell {
        ops = List.copyOf(ops);
        concat = List.copyOf(concat);
    }

    /** Lays out cell {@code index} of {@code genotype}'s {@code type} with the reference's channel rules. */
    static NetworkCell layout(int index, Genotype genotype, CellType type, boolean reductionPrev, Shape s0, Shape s1,
                              int channels) {
        boolean reduce = type == CellType.REDUCE;
        OpSpec pre0 = reductionPrev ? DartsOps.factorizedReduce() : DartsOps.reluConvBn1x1();
        OpSpec pre1 = DartsOps.reluConvBn1x1();
        Shape p0 = pre0.output(s0, channels, 1);
        Shape p1 = pre1.output(s1, channels, 1);
        if (p0.height() != p1.height() || p0.width() != p1.width()) {
            throw new IllegalArgumentException("cell " + index + ": the preprocessed inputs must have the same size,"
                    + " but were " + p0 + " and " + p1);
        }
        long params = pre0.parameters(s0.channels(), channels, 1) + pre1.parameters(s1.channels(), channels, 1);
        long macs = pre0.multiplyAdds(s0, channels, 1) + pre1.multiplyAdds(s1, channels, 1);

        List<Shape> states = new ArrayList<>(List.of(p0, p1));
        List<Op> ops = new ArrayList<>();
        List<Genotype.Pair> pairs = genotype.pairs(type);
        for (int p = 0; p < pairs.size(); p += 2) {
            int node = 2 + p / 2;
            Shape nodeShape = null;
            for (int k = p; k < p + 2; k++) {
                Genotype.Pair pair = pairs.get(k);
                int stride = reduce && pair.input() < 2 ? 2 : 1;
                OpSpec spec = DartsOps.spec(pair.op());
                Shape in = states.get(pair.input());
                Shape out = spec.output(in, channels, stride);
                if (nodeShape != null && !nodeShape.equals(out)) {
                    throw new IllegalArgumentException("cell " + index + " (" + type.label() + "), node " + node
                            + ": the two ops must give the same shape to be summed, but gave " + nodeShape
                            + " and " + out);
                }
                nodeShape = out;
                long opParams = spec.parameters(channels, channels, stride);
                long opMacs = spec.multiplyAdds(in, channels, stride);
                params += opParams;
                macs += opMacs;
                ops.add(new Op(node, pair.op(), pair.input(), stride, DartsOps.isDropPathTarget(pair.op(), stride),
                        opParams, opMacs));
            }
            states.add(nodeShape);
        }
        List<Integer> concat = genotype.concat(type);
        Shape first = states.get(concat.get(0));
        for (int s : concat) {
            Shape shape = states.get(s);
            if (shape.height() != first.height() || shape.width() != first.width()) {
                throw new IllegalArgumentException("cell " + index + " (" + type.label() + "): the concatenated states "
                        + concat + " must have the same size, but state " + s + " is " + shape + " and state "
                        + concat.get(0) + " is " + first);
            }
        }
        Shape output = first.withChannels(concat.size() * channels);
        return new NetworkCell(index, type, reductionPrev, s0.channels(), s1.channels(), channels, s0, s1, output,
                pre0.name(), ops, concat, params, macs);
    }
}
