package org.nas4j.estimators.engine.recurrent;

import java.util.Arrays;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One GRU layer as Keras' {@code GRU} (TensorFlow 2's default {@code reset_after=True}, the cuDNN form, which is
 * also PyTorch's): {@code weight_ih [3H, I]}, {@code weight_hh [3H, H]}, {@code bias_ih [3H]}, {@code bias_hh [3H]},
 * gates stacked in Keras' order update, reset, candidate:
 * <pre>
 * a = W_ih x_t + b_ih;  b = W_hh h_{t-1} + b_hh
 * z = sigmoid(a_z + b_z);  r = sigmoid(a_r + b_r);  n = tanh(a_n + r * b_n)
 * h_t = z * h_{t-1} + (1 - z) * n
 * </pre>
 * with zero initial state, so {@code 3 (H I + H H + 2H)} parameters.
 *
 * <p>{@link #forward} runs a whole sequence (the input projection of all steps in one matmul) and keeps what
 * {@link #backward} needs; {@link #backward} is backpropagation through time, writes and marks the four parameters'
 * gradients (summed over the steps), and returns the gradient with respect to every step's input.
 *
 * <pre>{@code
 * GruCell gru = new GruCell(params, "gru", 8, 16, Initializer.uniform(0.1), Initializer.uniform(0.1),
 *         Initializer.constant(0));
 * params.seal();
 * INDArray h = gru.forward(x, batch);           // [T, B, 8] -> [T * B, 16]
 * INDArray dx = gru.backward(dh);               // [T, B, 16] -> [T * B, 8]
 * }</pre>
 *
 * <p>Arrays returned are owned by the cell and valid until its next call. Not thread-safe.
 */
public final class GruCell implements SequenceCell {
    private final int inputSize;
    private final int hiddenSize;
    private final Parameter weightIh;
    private final Parameter weightHh;
    private final Parameter biasIh;
    private final Parameter biasHh;
    private int length;
    private int batch;
    private INDArray input2d;
    private INDArray[] hiddenPrev;
    private INDArray[] update;
    private INDArray[] reset;
    private INDArray[] candidate;
    private INDArray[] recurrentCandidate;
    private INDArray hidden2d;

    /**
     * Declares the four parameters.
     *
     * @param params     where they are declared
     * @param name       prefix of the parameter names
     * @param inputSize  input features I, at least 1
     * @param hiddenSize hidden units H, at least 1
     * @param inputInit  initial values of {@code weight_ih}
     * @param hiddenInit initial values of {@code weight_hh}
     * @param biasInit   initial values of both biases
     */
    public GruCell(ParameterSet params, String name, int inputSize, int hiddenSize, Initializer inputInit,
            Initializer hiddenInit, Initializer biasInit) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("inputSize and hiddenSize must be >= 1, but were " + inputSize
                    + " and " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        long gates = 3L * hiddenSize;
        this.weightIh = params.add(name + ".weight_ih", new long[] {gates, inputSize}, inputInit);
        this.weightHh = params.add(name + ".weight_hh", new long[] {gates, hiddenSize}, hiddenInit);
        this.biasIh = params.add(name + ".bias_ih", new long[] {gates}, biasInit);
        this.biasHh = params.add(name + ".bias_hh", new long[] {gates}, biasInit);
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    public INDArray forward(INDArray inputs, int batch) {
        long rows = inputs.rank() == 3 ? inputs.size(0) * inputs.size(1) : inputs.size(0);
        if (inputs.rank() < 2 || inputs.rank() > 3 || inputs.size(inputs.rank() - 1) != inputSize || batch < 1
                || rows % batch != 0 || (inputs.rank() == 3 && inputs.size(1) != batch)) {
            throw new IllegalArgumentException("inputs must be [length, batch=" + batch + ", " + inputSize
                    + "] or [length * " + batch + ", " + inputSize + "], but were " + Arrays.toString(inputs.shape()));
        }
        this.batch = batch;
        this.length = (int) (rows / batch);
        int h = hiddenSize;
        input2d = inputs.dup('c').reshape('c', rows, inputSize);
        INDArray projected = input2d.mmul(weightIh.value().transpose()).addiRowVector(biasIh.value());
        INDArray wHhT = weightHh.value().transpose();
        hiddenPrev = new INDArray[length];
        update = new INDArray[length];
        reset = new INDArray[length];
        candidate = new INDArray[length];
        recurrentCandidate = new INDArray[length];
        hidden2d = Nd4j.create(inputs.dataType(), rows, h);
        INDArray previous = Nd4j.zeros(inputs.dataType(), batch, h);
        for (int t = 0; t < length; t++) {
            INDArray a = projected.get(NDArrayIndex.interval((long) t * batch, (long) (t + 1) * batch),
                    NDArrayIndex.all());
            INDArray b = previous.mmul(wHhT).addiRowVector(biasHh.value());
            update[t] = Transforms.sigmoid(gate(a, 0).add(gate(b, 0)), false);
            reset[t] = Transforms.sigmoid(gate(a, 1).add(gate(b, 1)), false);
            recurrentCandidate[t] = gate(b, 2).dup();
            candidate[t] = Transforms.tanh(gate(a, 2).add(reset[t].mul(recurrentCandidate[t])), false);
            hiddenPrev[t] = previous;
            // h = n + z * (h_prev - n)
            INDArray next = candidate[t].add(update[t].mul(previous.sub(candidate[t])));
            hidden2d.get(NDArrayIndex.interval((long) t * batch, (long) (t + 1) * batch), NDArrayIndex.all())
                    .assign(next);
            previous = next;
        }
        return hidden2d;
    }

    @Override
    public INDArray backward(INDArray gradHidden) {
        if (hidden2d == null) {
            throw new IllegalStateException("backward() needs forward() first");
        }
        long rows = (long) length * batch;
        INDArray grad = gradHidden.rank() == 3 ? gradHidden.dup('c').reshape('c', rows, hiddenSize) : gradHidden;
        if (!Arrays.equals(grad.shape(), hidden2d.shape())) {
            throw new IllegalArgumentException("gradHidden must be [" + length + ", " + batch + ", " + hiddenSize
                    + "] or " + Arrays.toString(hidden2d.shape()) + ", but was " + Arrays.toString(gradHidden.shape()));
        }
        int h = hiddenSize;
        INDArray gradA = Nd4j.create(grad.dataType(), rows, 3L * h);
        INDArray gradWeightHh = Nd4j.zeros(grad.dataType(), 3L * h, h);
        INDArray gradBiasHh = Nd4j.zeros(grad.dataType(), 1, 3L * h);
        INDArray carry = Nd4j.zeros(grad.dataType(), batch, h);
        INDArray wHh = weightHh.value();
        for (int t = length - 1; t >= 0; t--) {
            INDArray rowsT = grad.get(NDArrayIndex.interval((long) t * batch, (long) (t + 1) * batch),
                    NDArrayIndex.all());
            INDArray dh = rowsT.add(carry);
            INDArray z = update[t];
            INDArray n = candidate[t];
            INDArray dz = dh.mul(hiddenPrev[t].sub(n));
            INDArray dn = dh.mul(z.rsub(1.0));
            INDArray dnPre = dn.mul(n.mul(n).rsubi(1.0));
            INDArray dr = dnPre.mul(recurrentCandidate[t]);
            INDArray dzPre = dz.mul(z.mul(z.rsub(1.0)));
            INDArray drPre = dr.mul(reset[t].mul(reset[t].rsub(1.0)));
            INDArray a = gradA.get(NDArrayIndex.interval((long) t * batch, (long) (t + 1) * batch),
                    NDArrayIndex.all());
            gate(a, 0).assign(dzPre);
            gate(a, 1).assign(drPre);
            gate(a, 2).assign(dnPre);
            INDArray b = Nd4j.hstack(dzPre, drPre, dnPre.mul(reset[t]));
            gradWeightHh.addi(b.transpose().mmul(hiddenPrev[t]));
            gradBiasHh.addi(b.sum(true, 0));
            carry = dh.mul(z).addi(b.mmul(wHh));
        }
        weightIh.gradient().assign(gradA.transpose().mmul(input2d));
        biasIh.gradient().assign(gradA.sum(0));
        weightHh.gradient().assign(gradWeightHh);
        biasHh.gradient().assign(gradBiasHh.reshape(3L * h));
        weightIh.markGradient();
        weightHh.markGradient();
        biasIh.markGradient();
        biasHh.markGradient();
        return gradA.mmul(weightIh.value());
    }

    /** Gate block {@code k} (0 update, 1 reset, 2 candidate) of {@code [rows, 3H]}, a view. */
    private INDArray gate(INDArray rows, int k) {
        return rows.get(NDArrayIndex.all(), NDArrayIndex.interval((long) k * hiddenSize, (long) (k + 1) * hiddenSize));
    }
}
