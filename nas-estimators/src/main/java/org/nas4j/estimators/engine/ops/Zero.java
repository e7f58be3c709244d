package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Outputs zeros (the {@code none} op of NAS cells); its input gradient is zero too. With a stride, the output's
 * height and width are {@code ceil(size / stride)}, as DARTS' {@code Zero(stride)}.
 *
 * <p>Edges of a supernet skip a zero op instead of adding its zeros, which gives the same result. Its output and
 * gradient are {@link Buffer#sharedZeros}: read-only zero arrays shared by all zero ops (a supernet has one per
 * edge), so it holds no memory of its own.
 */
public final class Zero implements Layer {

    private final int stride;
    private INDArray input;

    /** A zero op that keeps the input's shape. */
    public Zero() {
        this(1);
    }

    /**
     * A zero op with a spatial stride.
     *
     * @param stride 1 keeps height and width, 2 halves them (rounding up)
     */
    public Zero(int stride) {
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, but was " + stride);
        }
        this.stride = stride;
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        input = x;
        if (stride == 1) {
            return Buffer.sharedZeros(x.dataType(), x.shape());
        }
        long[] shape = x.shape().clone(); // shape() exposes the array's own metadata
        for (int d = 2; d < shape.length; d++) {
            shape[d] = (shape[d] + stride - 1) / stride;
        }
        return Buffer.sharedZeros(x.dataType(), shape);
    }

    @Override
    public INDArray backward(INDArray gy) {
        return Buffer.sharedZeros(input.dataType(), input.shape());
    }

}
