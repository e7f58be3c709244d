package org.nas4j.estimators.engine.ops;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nas4j.estimators.engine.HostArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Copies of blocks of channels (axis 1) between arrays of the same batch and inner shape, the moves of
 * concatenation, channel split and channel shuffle. In an array contiguous in 'c' order a block of channels of one
 * item is one contiguous run ({@code count * H * W} elements), so a copy is one memory copy per item: a bulk put
 * between the two native buffers (direct NIO buffers; the JDK copies their memory). libnd4j's {@code assign} of a
 * channel view and its {@code concat} walk strided views element by element, several times slower on the chains'
 * small maps (docs/performance.md, "Channel moves as memory copies"). FLOAT and DOUBLE arrays that are contiguous
 * in 'c' order take the copy; anything else falls back to {@code assign} of views, with the same result.
 */
final class ChannelBlocks {

    private ChannelBlocks() {
    }

    /**
     * Copies channels {@code [fromChannel, fromChannel + count)} of every item of {@code from} into channels
     * {@code [toChannel, toChannel + count)} of the same item of {@code to}.
     *
     * @throws IllegalArgumentException when the arrays differ in rank, data type, batch or inner shape, or a block
     *                                  lies outside its array's channels
     */
    static void copy(INDArray from, long fromChannel, INDArray to, long toChannel, long count) {
        requireCompatible(from, to);
        if (count < 0 || fromChannel < 0 || toChannel < 0 || fromChannel + count > from.size(1)
                || toChannel + count > to.size(1)) {
            throw new IllegalArgumentException("channel blocks must lie inside their arrays, but were [" + fromChannel
                    + ", " + (fromChannel + count) + ") of " + from.size(1) + " and [" + toChannel + ", "
                    + (toChannel + count) + ") of " + to.size(1));
        }
        if (count == 0) {
            return;
        }
        if (!fast(from, to)) {
            channels(to, toChannel, toChannel + count).assign(channels(from, fromChannel, fromChannel + count));
            return;
        }
        int items = (int) from.size(0);
        int inner = (int) (from.length() / (items * from.size(1)));
        int run = (int) count * inner;
        long fromItem = from.size(1) * inner;
        long toItem = to.size(1) * inner;
        Runs runs = runs(from, to);
        for (int b = 0; b < items; b++) {
            runs.move(from.offset() + b * fromItem + fromChannel * inner, to.offset() + b * toItem + toChannel * inner,
                    run);
        }
    }

    /**
     * Writes the channel shuffle of {@code from} into {@code to} (same shape), or with {@code inverse} its inverse:
     * output channel {@code j * C / groups + i} is input channel {@code groups * i + j} ({@link ChannelShuffle}).
     */
    static void shuffle(INDArray from, INDArray to, int groups, boolean inverse) {
        requireCompatible(from, to);
        long c = from.size(1);
        if (to.size(1) != c || c % groups != 0) {
            throw new IllegalArgumentException("a channel shuffle of " + groups + " groups needs two arrays of the"
                    + " same channels, a multiple of " + groups + ", but had " + c + " and " + to.size(1));
        }
        long perGroup = c / groups;
        if (!fast(from, to)) {
            for (long i = 0; i < perGroup; i++) {
                for (long j = 0; j < groups; j++) {
                    long shuffled = j * perGroup + i;
                    long original = groups * i + j;
                    copy(from, inverse ? shuffled : original, to, inverse ? original : shuffled, 1);
                }
            }
            return;
        }
        int items = (int) from.size(0);
        int inner = (int) (from.length() / (items * c));
        Runs runs = runs(from, to);
        for (int b = 0; b < items; b++) {
            long item = b * c * inner;
            for (long i = 0; i < perGroup; i++) {
                for (long j = 0; j < groups; j++) {
                    long shuffled = (j * perGroup + i) * inner;
                    long original = (groups * i + j) * inner;
                    runs.move(from.offset() + item + (inverse ? shuffled : original),
                            to.offset() + item + (inverse ? original : shuffled), inner);
                }
            }
        }
    }

    /** Channels {@code from} (inclusive) to {@code to} (exclusive) of {@code a}: a view. */
    static INDArray channels(INDArray a, long from, long to) {
        INDArrayIndex[] index = new INDArrayIndex[a.rank()];
        Arrays.fill(index, NDArrayIndex.all());
        index[1] = NDArrayIndex.interval(from, to);
        return a.get(index);
    }

    private static void requireCompatible(INDArray from, INDArray to) {
        long[] a = from.shape().clone();
        long[] b = to.shape().clone();
        if (a.length < 2 || a.length != b.length || from.dataType() != to.dataType()) {
            throw new IllegalArgumentException("channel blocks move between arrays of one data type and rank >= 2,"
                    + " but were " + from.dataType() + " " + Arrays.toString(a) + " and " + to.dataType() + " "
                    + Arrays.toString(b));
        }
        a[1] = 0;
        b[1] = 0;
        if (!Arrays.equals(a, b)) {
            throw new IllegalArgumentException("channel blocks move between arrays that agree in all dimensions but"
                    + " 1, but were " + Arrays.toString(from.shape()) + " and " + Arrays.toString(to.shape()));
        }
    }

    private static boolean fast(INDArray from, INDArray to) {
        return HostArrays.hasJavaKernels(from.dataType()) && HostArrays.isDense(from)
                && HostArrays.isDense(to) && from.data().length() <= Integer.MAX_VALUE
                && to.data().length() <= Integer.MAX_VALUE;
    }

    /** Runs of elements from one array's buffer to another's, positions counted in elements. */
    private interface Runs {
        void move(long fromAt, long toAt, int length);
    }

    /**
     * The runs between the native buffers of {@code from} and {@code to}, each taken as an NIO view once per call
     * (a view costs a native call), a run then being a bulk put between them.
     */
    private static Runs runs(INDArray from, INDArray to) {
        if (from.dataType() == DataType.FLOAT) {
            FloatBuffer source = from.data().asNioFloat();
            FloatBuffer target = to.data().asNioFloat();
            return (fromAt, toAt, length) -> {
                source.limit((int) fromAt + length).position((int) fromAt);
                target.position((int) toAt).put(source);
            };
        }
        DoubleBuffer source = from.data().asNioDouble();
        DoubleBuffer target = to.data().asNioDouble();
        return (fromAt, toAt, length) -> {
            source.limit((int) fromAt + length).position((int) fromAt);
            target.position((int) toAt).put(source);
        };
    }
}
