package org.nas4j.estimators.engine.ops;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.engine.Buffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Concatenation of NCHW arrays along the channel axis (as in DARTS cells and factorized reduce). The backward
 * pass copies each input's channel slice of the gradient into a contiguous buffer. Both move channel blocks as
 * one memory copy per image ({@link ChannelBlocks}).
 */
public final class Concat {

    private final Buffer output = new Buffer();
    private final List<Buffer> gradInputs = new ArrayList<>();
    private final List<INDArray> gradients = new ArrayList<>();
    private long[] channels = new long[0];
    private INDArray[] inputs = new INDArray[0];

    /**
     * Concatenates along axis 1.
     *
     * @param xs at least one array; all dimensions but 1 equal
     * @return the concatenation, owned by this op
     */
    public INDArray forward(List<INDArray> xs) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("xs must hold at least one array, but was empty");
        }
        long[] shape = xs.get(0).shape().clone(); // shape() exposes the array's own metadata
        inputs = xs.toArray(new INDArray[0]);
        channels = new long[inputs.length];
        long total = 0;
        for (int k = 0; k < inputs.length; k++) {
            long[] s = inputs[k].shape().clone();
            s[1] = shape[1];
            if (!java.util.Arrays.equals(s, shape)) {
                throw new IllegalArgumentException("xs must agree in all dimensions but 1, but xs[0] was "
                        + java.util.Arrays.toString(shape) + " and xs[" + k + "] was "
                        + java.util.Arrays.toString(inputs[k].shape()));
            }
            channels[k] = inputs[k].size(1);
            total += channels[k];
        }
        shape[1] = total;
        INDArray y = output.get(inputs[0].dataType(), shape);
        long start = 0;
        for (int k = 0; k < inputs.length; k++) {
            ChannelBlocks.copy(inputs[k], 0, y, start, channels[k]);
            start += channels[k];
        }
        return y;
    }

    /**
     * Hands the output buffer and the input-gradient buffers to {@code pool} (the caller knows they are dead); the
     * next calls take theirs from it.
     */
    public void releaseBuffers(org.nas4j.estimators.engine.ArrayPool pool) {
        output.release(pool);
        for (Buffer b : gradInputs) {
            b.release(pool);
        }
    }

    /** The gradient with respect to each input of the last forward call, owned by this op. */
    public List<INDArray> backward(INDArray gy) {
        gradients.clear();
        long start = 0;
        for (int k = 0; k < inputs.length; k++) {
            if (gradInputs.size() <= k) {
                gradInputs.add(new Buffer());
            }
            INDArray gx = gradInputs.get(k).like(inputs[k]);
            ChannelBlocks.copy(gy, start, gx, 0, channels[k]);
            gradients.add(gx);
            start += channels[k];
        }
        return gradients;
    }
}
