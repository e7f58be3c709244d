package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Global average pooling, {@code [B, C, H, W] -> [B, C]}: a matrix product of {@code [B*C, HW]} with a constant
 * {@code 1/HW} column; the backward pass is the outer product of the gradient with a {@code 1/HW} row.
 */
public final class GlobalAveragePool implements Layer {

    private final NativeOp matmul = NativeOp.named("matmul");
    private final Buffer output = new Buffer();
    private final Buffer gradInput = new Buffer();
    private final Buffer column = new Buffer();
    private final Buffer row = new Buffer();
    private final java.util.Set<INDArray> filled = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private INDArray input;

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("input must be [batch, C, H, W], but had rank " + x.rank());
        }
        input = x;
        long bc = x.size(0) * x.size(1);
        long hw = x.size(2) * x.size(3);
        INDArray y = output.get(x.dataType(), x.size(0), x.size(1));
        matmul.exec(y.reshape(bc, 1), ChannelSums.flat(x, bc, hw), averaging(column, x, hw, 1));
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray gx = gradInput.like(input);
        long bc = input.size(0) * input.size(1);
        long hw = input.size(2) * input.size(3);
        matmul.exec(gx.reshape(bc, hw), gy.reshape('c', bc, 1), averaging(row, input, 1, hw));
        return gx;
    }

    private INDArray averaging(Buffer slot, INDArray like, long rows, long cols) {
        INDArray a = slot.get(like.dataType(), rows, cols);
        if (!filled.contains(a)) {
            a.assign(1.0 / (rows * cols));
            filled.add(a);
        }
        return a;
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        output.release(pool);
        gradInput.release(pool);
    }
}
