package org.nas4j.estimators.engine.ops;

import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.NativeOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element-wise sum of arrays of the same shape (a node of a cell summing its incoming edges). The gradient with
 * respect to every input is the output gradient itself, so {@link #backward} returns its argument.
 */
public final class Sum {

    private final NativeOp add = NativeOp.named("add");
    private final Buffer output = new Buffer();

    /**
     * Adds the inputs.
     *
     * @param inputs at least one array, all of the same shape; with one input, that input is returned
     * @return the sum, owned by this op (or the single input)
     */
    public INDArray forward(List<INDArray> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("inputs must hold at least one array, but was empty");
        }
        INDArray first = inputs.get(0);
        if (inputs.size() == 1) {
            return first;
        }
        for (INDArray in : inputs) {
            if (!java.util.Arrays.equals(in.shape(), first.shape())) {
                throw new IllegalArgumentException("inputs must all have shape "
                        + java.util.Arrays.toString(first.shape()) + ", but one was "
                        + java.util.Arrays.toString(in.shape()));
            }
        }
        INDArray y = output.like(first);
        add.exec(y, first, inputs.get(1));
        for (int i = 2; i < inputs.size(); i++) {
            add.exec(y, y, inputs.get(i));
        }
        return y;
    }

    /** Hands the output buffer to {@code pool} (the last output is dead); the next sum takes one from it. */
    public void releaseBuffers(ArrayPool pool) {
        output.release(pool);
    }

    /** The gradient with respect to each input: {@code gradOutput} itself. */
    public INDArray backward(INDArray gradOutput) {
        return gradOutput;
    }
}
