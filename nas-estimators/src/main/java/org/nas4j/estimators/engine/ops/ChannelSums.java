package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.NativeOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-channel sums of an NCHW array as two matrix products against ones vectors: {@code [B*C, HW] x ones[HW, 1]},
 * then {@code ones[1, B] x [B, C]}. Measured 5-10x faster than a reduction over (0, 2, 3) and more accurate, since
 * the matrix products accumulate in blocks.
 */
final class ChannelSums {

    private final NativeOp matmul = NativeOp.named("matmul");
    private final Buffer onesSpatial = Buffer.constant(1.0);
    private final Buffer onesBatch = Buffer.constant(1.0);
    private final Buffer rowSums = new Buffer();

    /**
     * Writes the sum over batch and space of each channel of {@code x} into {@code out}.
     *
     * @param x   a 'c'-order {@code [B, C, H, W]} array
     * @param out a {@code [1, C]} array
     */
    void sum(INDArray x, INDArray out) {
        long b = x.size(0);
        long c = x.size(1);
        long hw = x.size(2) * x.size(3);
        INDArray ones = onesSpatial.get(x.dataType(), hw, 1);
        INDArray onesB = onesBatch.get(x.dataType(), 1, b);
        INDArray rows = rowSums.get(x.dataType(), b * c, 1);
        matmul.exec(rows, flat(x, b * c, hw), ones);
        matmul.exec(out, onesB, rows.reshape(b, c));
    }

    /** A 'c'-order {@code [rows, cols]} view of {@code x} (a copy only if x is not 'c'-contiguous). */
    static INDArray flat(INDArray x, long rows, long cols) {
        return x.reshape('c', rows, cols);
    }

    /** A {@code [1, C, 1, 1]} view of a per-channel vector, for broadcasting over NCHW arrays. */
    static INDArray broadcastable(INDArray perChannel) {
        return perChannel.reshape(1, perChannel.length(), 1, 1);
    }
}
