package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.HostArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Channel-block copies as memory copies against {@code assign} of channel views (which they replace) on dense
 * arrays, on views with an offset, on strided views and in HALF (both of which take the {@code assign} path), and
 * the shuffle against the reference's reshape and permute. Copies are exact, so results must be equal.
 */
class ChannelBlocksTest {

    private static final List<DataType> TYPES = List.of(DataType.FLOAT, DataType.DOUBLE, DataType.HALF);

    private static INDArray random(DataType type, long... shape) {
        Nd4j.getRandom().setSeed(shape.length * 31L + shape[1]);
        return Nd4j.rand(DataType.DOUBLE, shape).subi(0.5).castTo(type);
    }

    @Test
    void copyEqualsAssignOfChannelViews() {
        for (DataType type : TYPES) {
            INDArray from = random(type, 3, 7, 4, 5);
            INDArray to = random(type, 3, 9, 4, 5);
            INDArray expected = to.dup();
            ChannelBlocks.channels(expected, 2, 6).assign(ChannelBlocks.channels(from, 3, 7));
            ChannelBlocks.copy(from, 3, to, 2, 4);
            assertEquals(expected, to, type.toString());
        }
    }

    @Test
    void copyOfRankTwoAndRankThreeArrays() {
        for (DataType type : TYPES) {
            INDArray from = random(type, 4, 6);
            INDArray to = Nd4j.zeros(type, 4, 3);
            ChannelBlocks.copy(from, 1, to, 0, 3);
            assertEquals(from.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4)), to, type.toString());
            INDArray seq = random(type, 2, 5, 7);
            INDArray tail = Nd4j.zeros(type, 2, 2, 7);
            ChannelBlocks.copy(seq, 3, tail, 0, 2);
            assertEquals(ChannelBlocks.channels(seq, 3, 5), tail, type.toString());
        }
    }

    @Test
    void viewsWithAnOffsetAndStridedViewsCopyTheirOwnElements() {
        for (DataType type : TYPES) {
            // a dense view that starts inside its buffer: the copy must start at its offset
            INDArray whole = random(type, 4, 6, 3, 3);
            INDArray items = whole.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
            assertTrue(HostArrays.isDense(items) && items.offset() > 0, "a dense view with an offset");
            INDArray to = Nd4j.zeros(type, 2, 4, 3, 3);
            ChannelBlocks.copy(items, 2, to, 1, 3);
            INDArray expected = Nd4j.zeros(type, 2, 4, 3, 3);
            ChannelBlocks.channels(expected, 1, 4).assign(ChannelBlocks.channels(items.dup(), 2, 5));
            assertEquals(expected, to, type.toString());
            // a strided view (every other column) is not dense: it takes the assign path, with the same result
            INDArray strided = whole.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(0, 2, 3));
            assertFalse(HostArrays.isDense(strided));
            INDArray out = Nd4j.zeros(type, 4, 2, 3, 2);
            ChannelBlocks.copy(strided, 4, out, 0, 2);
            assertEquals(ChannelBlocks.channels(strided.dup(), 4, 6), out, type.toString());
            // writing into a view with an offset leaves the rest of its buffer alone
            INDArray target = Nd4j.zeros(type, 4, 6, 3, 3);
            INDArray lastItems = target.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
            ChannelBlocks.copy(items, 0, lastItems, 0, 6);
            assertEquals(0.0, target.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).sumNumber().doubleValue(), type.toString());
            assertEquals(items, lastItems, type.toString());
        }
    }

    @Test
    void shuffleIsTheReferencesPermutationAndItsInverseUndoesIt() {
        for (DataType type : TYPES) {
            for (int groups : new int[] {2, 3}) {
                INDArray x = random(type, 2, 6, 3, 4);
                INDArray y = Nd4j.zeros(type, 2, 6, 3, 4);
                ChannelBlocks.shuffle(x, y, groups, false);
                // [B, C / g, g, P] with its middle axes swapped
                INDArray expected = x.dup('c').reshape('c', 2, 6 / groups, groups, 12).permute(0, 2, 1, 3).dup('c')
                        .reshape('c', 2, 6, 3, 4);
                assertEquals(expected, y, type + " groups " + groups);
                assertNotEquals(x, y);
                INDArray back = Nd4j.zeros(type, 2, 6, 3, 4);
                ChannelBlocks.shuffle(y, back, groups, true);
                assertEquals(x, back, type + " groups " + groups);
            }
        }
    }

    @Test
    void badBlocksAndArraysAreNamed() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 2, 4, 3, 3);
        var outside = assertThrows(IllegalArgumentException.class,
                () -> ChannelBlocks.copy(a, 2, Nd4j.zeros(DataType.FLOAT, 2, 4, 3, 3), 0, 3));
        assertTrue(outside.getMessage().contains("[2, 5) of 4"), outside.getMessage());
        var shape = assertThrows(IllegalArgumentException.class,
                () -> ChannelBlocks.copy(a, 0, Nd4j.zeros(DataType.FLOAT, 2, 4, 3, 2), 0, 1));
        assertTrue(shape.getMessage().contains("[2, 4, 3, 2]"), shape.getMessage());
        var type = assertThrows(IllegalArgumentException.class,
                () -> ChannelBlocks.copy(a, 0, Nd4j.zeros(DataType.DOUBLE, 2, 4, 3, 3), 0, 1));
        assertTrue(type.getMessage().contains("DOUBLE"), type.getMessage());
        var groups = assertThrows(IllegalArgumentException.class,
                () -> ChannelBlocks.shuffle(a, Nd4j.zeros(DataType.FLOAT, 2, 4, 3, 3), 3, false));
        assertTrue(groups.getMessage().contains("multiple of 3"), groups.getMessage());
    }
}
