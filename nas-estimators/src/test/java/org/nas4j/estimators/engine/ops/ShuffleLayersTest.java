package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nas4j.estimators.engine.GradientCheck.check;
import static org.nas4j.estimators.engine.GradientCheck.random;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pieces of SPOS' ShuffleNetV2 blocks: the channel shuffle, the channel split with its concatenation, and two
 * concatenated branches. Forward and backward on small tensors worked by hand, in FLOAT and DOUBLE (the values are
 * small integers, exact in both); the shuffle against the reference's reshape / permute; backward passes against
 * central finite differences in DOUBLE ({@code GradientCheck}, whose tolerance derives from the precision and the
 * step).
 */
class ShuffleLayersTest {

    private static final List<DataType> TYPES = List.of(DataType.FLOAT, DataType.DOUBLE);

    /** {@code [B, C, 1, P]} with value {@code 100 b + 10 c + p} at batch b, channel c, pixel p. */
    private static INDArray numbered(DataType type, int batch, int channels, int pixels) {
        INDArray x = Nd4j.create(type, batch, channels, 1, pixels);
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < pixels; p++) {
                    x.putScalar(new long[] {b, c, 0, p}, 100 * b + 10 * c + p);
                }
            }
        }
        return x;
    }

    /** {@code numbered} with its channels taken in the order {@code order}. */
    private static INDArray reordered(DataType type, int batch, int pixels, int... order) {
        INDArray x = numbered(type, batch, order.length, pixels);
        INDArray y = Nd4j.create(type, batch, order.length, 1, pixels);
        for (int c = 0; c < order.length; c++) {
            ChannelBlocks.channels(y, c, c + 1).assign(ChannelBlocks.channels(x, order[c], order[c] + 1));
        }
        return y;
    }

    @Test
    void shuffleOfTwoGroupsPutsTheEvenChannelsFirstAndItsBackwardUndoesIt() {
        for (DataType type : TYPES) {
            ChannelShuffle shuffle = new ChannelShuffle(2);
            INDArray x = numbered(type, 2, 6, 2);
            INDArray y = shuffle.forward(x, Mode.TRAINING);
            assertEquals(reordered(type, 2, 2, 0, 2, 4, 1, 3, 5), y, type.toString());
            // the gradient of output channel j goes back to the input channel it came from
            INDArray gx = shuffle.backward(reordered(type, 2, 2, 0, 2, 4, 1, 3, 5));
            assertEquals(x, gx, type.toString());
        }
    }

    @Test
    void shuffleOfThreeGroups() {
        // output channel j * C / g + i is input channel g * i + j: C = 6, g = 3 gives 0 3 1 4 2 5
        for (DataType type : TYPES) {
            INDArray y = new ChannelShuffle(3).forward(numbered(type, 1, 6, 3), Mode.INFERENCE);
            assertEquals(reordered(type, 1, 3, 0, 3, 1, 4, 2, 5), y, type.toString());
        }
    }

    @Test
    void shuffleIsTheReferencesReshapeAndPermute() {
        // OneShot/blocks.py: x.reshape(B * C / 2, 2, H * W).permute(1, 0, 2).reshape(2, B, C / 2, H, W) -> x[0], x[1]
        INDArray x = random(3, 3, 8, 2, 5);
        long b = 3;
        long c = 8;
        INDArray r = x.dup('c').reshape('c', b * c / 2, 2, 10).permute(1, 0, 2).dup('c')
                .reshape('c', 2, b, c / 2, 2, 5);
        INDArray expected = Nd4j.concat(1, r.slice(0), r.slice(1));
        assertEquals(expected, new ChannelShuffle(2).forward(x, Mode.TRAINING));
    }

    @Test
    void shuffleMatchesFiniteDifferences() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 1);
        p.seal();
        check(new ChannelShuffle(2), p, random(1, 2, 8, 3, 3), Mode.TRAINING);
        check(new ChannelShuffle(4), p, random(2, 1, 8, 2, 3), Mode.TRAINING);
    }

    /** A 1x1 convolution from 2 to 3 channels with weights {@code [[1, 0], [0, 1], [1, 1]]}. */
    private static Conv2d sums(ParameterSet p) {
        Conv2d conv = Conv2d.builder(p, "c", 2, 3, 1).build();
        p.seal();
        p.parameters().get(0).value().assign(Nd4j.createFromArray(1.0, 0, 0, 1, 1, 1).reshape(3, 2, 1, 1));
        return conv;
    }

    @Test
    void splitPassesTheFirstChannelsThroughAndTheRestThroughTheBranch() {
        for (DataType type : TYPES) {
            ParameterSet p = new ParameterSet(type, 1);
            ChannelSplit split = new ChannelSplit(2, sums(p));
            INDArray x = Nd4j.createFromArray(1.0, 2, 3, 4).reshape(1, 4, 1, 1).castTo(type);
            INDArray y = split.forward(x, Mode.TRAINING);
            // branch of (3, 4): (3, 4, 3 + 4)
            assertEquals(Nd4j.createFromArray(1.0, 2, 3, 4, 7).reshape(1, 5, 1, 1).castTo(type), y, type.toString());
            INDArray gx = split.backward(Nd4j.createFromArray(1.0, 2, 1, 1, 1).reshape(1, 5, 1, 1).castTo(type));
            // kept: (1, 2); branch: W^T (1, 1, 1) = (1 + 1, 1 + 1)
            assertEquals(Nd4j.createFromArray(1.0, 2, 2, 2).reshape(1, 4, 1, 1).castTo(type), gx, type.toString());
            // dW[o, i] = gy[o] x[i] over the branch's input (3, 4)
            assertEquals(Nd4j.createFromArray(3.0, 4, 3, 4, 3, 4).reshape(3, 2, 1, 1).castTo(type),
                    p.parameters().get(0).gradient(), type.toString());
        }
    }

    @Test
    void concatenatedBranchesSumTheirInputGradients() {
        for (DataType type : TYPES) {
            ParameterSet p = new ParameterSet(type, 1);
            ConcatBranches both = new ConcatBranches(sums(p), new Identity());
            INDArray x = Nd4j.createFromArray(1.0, 2).reshape(1, 2, 1, 1).castTo(type);
            INDArray y = both.forward(x, Mode.TRAINING);
            assertEquals(Nd4j.createFromArray(1.0, 2, 3, 1, 2).reshape(1, 5, 1, 1).castTo(type), y, type.toString());
            INDArray gx = both.backward(Nd4j.createFromArray(1.0, 0, 2, 5, 7).reshape(1, 5, 1, 1).castTo(type));
            // conv: W^T (1, 0, 2) = (1 + 2, 0 + 2); identity: (5, 7)
            assertEquals(Nd4j.createFromArray(8.0, 9).reshape(1, 2, 1, 1).castTo(type), gx, type.toString());
        }
    }

    @Test
    void splitAndBranchesMatchFiniteDifferences() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 7);
        Layer branch = new Sequential(Conv2d.builder(p, "pw", 3, 5, 1).build(), new BatchNorm(p, "bn", 5, true),
                new Relu(), Conv2d.builder(p, "dw", 5, 5, 3).padding(1).groups(5).build());
        Layer block = new Sequential(new ChannelShuffle(2), new ChannelSplit(3, branch));
        p.seal();
        INDArray x = random(4, 2, 6, 4, 4);
        check(block, p, x, Mode.TRAINING);
        assertArrayEquals(new long[] {2, 8, 4, 4}, block.forward(x, Mode.TRAINING).shape());

        ParameterSet q = new ParameterSet(DataType.DOUBLE, 8);
        Layer reduce = new ConcatBranches(
                new Sequential(Conv2d.builder(q, "proj", 3, 3, 3).stride(2).padding(1).groups(3).build(),
                        new BatchNorm(q, "proj_bn", 3, true)),
                new Sequential(Conv2d.builder(q, "main", 3, 4, 3).stride(2).padding(1).build(), new Relu()));
        q.seal();
        INDArray z = random(5, 2, 3, 5, 5);
        check(reduce, q, z, Mode.TRAINING);
        assertArrayEquals(new long[] {2, 7, 3, 3}, reduce.forward(z, Mode.TRAINING).shape());
    }

    @Test
    void floatAndDoubleAgreeOnRandomInputs() {
        INDArray x = random(11, 2, 8, 3, 3);
        INDArray d = new ChannelShuffle(2).forward(x, Mode.TRAINING).dup();
        INDArray f = new ChannelShuffle(2).forward(x.castTo(DataType.FLOAT), Mode.TRAINING);
        // a permutation rounds nothing: the FLOAT result is the DOUBLE one rounded once
        assertEquals(d.castTo(DataType.FLOAT), f);
    }

    @Test
    void badInputIsNamed() {
        assertEquals("groups must be >= 2, but was 1",
                assertThrows(IllegalArgumentException.class, () -> new ChannelShuffle(1)).getMessage());
        assertEquals("input of a channel shuffle of 2 groups must be [B, C, H, W] with C a multiple of 2, but was"
                + " [1, 5, 2, 2]", assertThrows(IllegalArgumentException.class,
                        () -> new ChannelShuffle(2).forward(Nd4j.zeros(1, 5, 2, 2), Mode.TRAINING)).getMessage());
        assertEquals("input of a channel split that keeps 4 channels must be [B, C > 4, H, W], but was"
                + " [1, 4, 2, 2]", assertThrows(IllegalArgumentException.class,
                        () -> new ChannelSplit(4, new Identity()).forward(Nd4j.zeros(1, 4, 2, 2), Mode.TRAINING))
                .getMessage());
        assertEquals("the branch of a channel split must keep batch, height and width [1, 2, 4, 4], but gave"
                + " [1, 2, 2, 2]", assertThrows(IllegalArgumentException.class,
                        () -> new ChannelSplit(2, Pool2d.max(2, 2, 0)).forward(Nd4j.zeros(1, 4, 4, 4),
                                Mode.TRAINING)).getMessage());
        Identity same = new Identity();
        assertThrows(IllegalArgumentException.class, () -> new ConcatBranches(same, same));
    }
}
