package org.nas4j.estimators.engine.ops;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code y = sum_k w_k x_k} for same-shaped arrays {@code x_k} and scalar weights {@code w_k} (the DARTS mixed op),
 * differentiable with respect to the inputs and the weights: {@code dL/dx_k = w_k dL/dy} and
 * {@code dL/dw_k = <dL/dy, x_k>}.
 */
public final class WeightedSum {

    private final Buffer output = new Buffer();
    private final List<Buffer> gradInputs = new ArrayList<>();
    private final List<INDArray> inputs = new ArrayList<>();
    private double[] weights;
    private double[] gradWeights;
    private final List<INDArray> inputGradients = new ArrayList<>();

    /**
     * Computes the weighted sum.
     *
     * @param xs      at least one array, all of the same shape and 'c'-contiguous
     * @param weights one weight per array
     * @return the sum, owned by this op
     */
    public INDArray forward(List<INDArray> xs, double[] weights) {
        if (xs.isEmpty() || xs.size() != weights.length) {
            throw new IllegalArgumentException("xs and weights must be non-empty and of equal length, but had "
                    + xs.size() + " and " + weights.length + " elements");
        }
        INDArray first = xs.get(0);
        inputs.clear();
        inputs.addAll(xs);
        this.weights = weights.clone();
        INDArray y = output.like(first);
        Nd4j.getExecutioner().exec(new ScalarMultiplication(first, null, y, weights[0]));
        for (int k = 1; k < xs.size(); k++) {
            INDArray x = xs.get(k);
            if (!java.util.Arrays.equals(x.shape(), first.shape())) {
                throw new IllegalArgumentException("xs must all have shape " + java.util.Arrays.toString(
                        first.shape()) + ", but xs[" + k + "] was " + java.util.Arrays.toString(x.shape()));
            }
            Nd4j.getBlasWrapper().level1().axpy(y.length(), weights[k], x, y);
        }
        return y;
    }

    /**
     * Back-propagates through the last forward call.
     *
     * @param gy          gradient of the loss with respect to the output
     * @param wantWeights whether to compute {@link #weightGradients()} (one dot product per input)
     * @return the gradient with respect to each input, owned by this op
     */
    public List<INDArray> backward(INDArray gy, boolean wantWeights) {
        gradWeights = new double[inputs.size()];
        inputGradients.clear();
        for (int k = 0; k < inputs.size(); k++) {
            if (gradInputs.size() <= k) {
                gradInputs.add(new Buffer());
            }
            INDArray gx = gradInputs.get(k).like(gy);
            Nd4j.getExecutioner().exec(new ScalarMultiplication(gy, null, gx, weights[k]));
            inputGradients.add(gx);
            if (wantWeights) {
                gradWeights[k] = Nd4j.getBlasWrapper().level1().dot(gy.length(), 1.0, gy, inputs.get(k));
            }
        }
        return inputGradients;
    }

    /** Hands the output buffer to {@code pool} (the caller consumed the output; backward does not read it). */
    public void releaseOutput(ArrayPool pool) {
        output.release(pool);
    }

    /** Hands the output and input-gradient buffers to {@code pool}; the next calls take buffers from it again. */
    public void releaseBuffers(ArrayPool pool) {
        output.release(pool);
        for (Buffer b : gradInputs) {
            b.release(pool);
        }
    }

    /** The gradient with respect to each weight, from the last {@code backward(gy, true)}. */
    public double[] weightGradients() {
        return gradWeights.clone();
    }
}
