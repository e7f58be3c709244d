package org.nas4j.estimators.engine.recurrent;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * {@link #backward} needs, in arrays made once per sequence shape; {@link #backward} is backpropagation through time, writes and marks the four parameters'
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
    private final Map<Long, GruSequence> sequences = new HashMap<>(2);
    private GruSequence seq;
    private INDArray biasIhRow;
    private INDArray biasHhRow;

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

    /** {@code weight_ih [3H, I]}, gate blocks update, reset, candidate. */
    public Parameter inputWeights() {
        return weightIh;
    }

    /** {@code weight_hh [3H, H]}, same order. */
    public Parameter hiddenWeights() {
        return weightHh;
    }

    /** {@code bias_ih [3H]}, same order. */
    public Parameter inputBias() {
        return biasIh;
    }

    /** {@code bias_hh [3H]}, same order (inside the reset product for the candidate). */
    public Parameter hiddenBias() {
        return biasHh;
    }

    @Override
    public INDArray forward(INDArray inputs, int batch) {
        long rows = inputs.rank() == 3 ? inputs.size(0) * inputs.size(1) : inputs.size(0);
        if (inputs.rank() < 2 || inputs.rank() > 3 || inputs.size(inputs.rank() - 1) != inputSize || batch < 1
                || rows % batch != 0 || (inputs.rank() == 3 && inputs.size(1) != batch)) {
            throw new IllegalArgumentException("inputs must be [length, batch=" + batch + ", " + inputSize
                    + "] or [length * " + batch + ", " + inputSize + "], but were " + Arrays.toString(inputs.shape()));
        }
        int length = (int) (rows / batch);
        long key = (long) length << 32 | batch;
        GruSequence q = sequences.computeIfAbsent(key, k -> new GruSequence(weightIh.value().dataType(), length,
                batch, inputSize, hiddenSize));
        seq = q;
        (inputs.rank() == 3 ? q.inputSteps : q.input2d).assign(inputs);
        q.input2d.mmul(weightIh.value().transpose(), q.projected);
        q.projected.addiRowVector(biasIh.value());
        INDArray wHhT = weightHh.value().transpose();
        for (int t = 0; t < length; t++) {
            if (t == 0) {
                q.hiddenPrev[0].assign(0);
                q.recurrentRows[0].assign(0);
            } else {
                q.hiddenPrev[t].assign(q.hidden[t - 1]);
                q.hidden[t - 1].mmul(wHhT, q.recurrentRows[t]);
            }
            q.recurrentRows[t].addiRowVector(biasHh.value());
            q.projectedGate(0, t).add(q.recurrentGate(0, t), q.update[t]);
            Transforms.sigmoid(q.update[t], false);
            q.projectedGate(1, t).add(q.recurrentGate(1, t), q.reset[t]);
            Transforms.sigmoid(q.reset[t], false);
            q.reset[t].mul(q.recurrentGate(2, t), q.candidate[t]);
            q.candidate[t].addi(q.projectedGate(2, t));
            Transforms.tanh(q.candidate[t], false);
            // h = n + z * (h_prev - n)
            q.hiddenPrev[t].sub(q.candidate[t], q.scratch);
            q.scratch.muli(q.update[t]);
            q.candidate[t].add(q.scratch, q.hidden[t]);
        }
        return q.hidden2d;
    }

    @Override
    public INDArray backward(INDArray gradHidden) {
        GruSequence q = seq;
        if (q == null) {
            throw new IllegalStateException("backward() needs forward() first");
        }
        INDArray copy = gradHidden.rank() == 3 ? q.gradHiddenSteps : q.gradHidden2d;
        if (!Arrays.equals(gradHidden.shape(), copy.shape())) {
            throw new IllegalArgumentException("gradHidden must be " + Arrays.toString(q.gradHiddenSteps.shape())
                    + " or " + Arrays.toString(q.gradHidden2d.shape()) + ", but was "
                    + Arrays.toString(gradHidden.shape()));
        }
        copy.assign(gradHidden);
        INDArray wHh = weightHh.value();
        for (int t = q.length - 1; t >= 0; t--) {
            if (t == q.length - 1) {
                q.dh.assign(q.gradHidden[t]);
            } else {
                q.gradHidden[t].add(q.carry, q.dh);
            }
            INDArray z = q.update[t];
            INDArray r = q.reset[t];
            INDArray n = q.candidate[t];
            // update gate: dh (h_prev - n) z (1 - z)
            q.hiddenPrev[t].sub(n, q.scratch).muli(q.dh);
            z.rsub(1.0, q.scratch2).muli(z);
            q.scratch.mul(q.scratch2, q.gradProjectedGate(0, t));
            // candidate: dh (1 - z) (1 - n^2)
            z.rsub(1.0, q.scratch).muli(q.dh);
            n.mul(n, q.scratch2).rsubi(1.0);
            q.scratch.mul(q.scratch2, q.gradProjectedGate(2, t));
            // reset gate: (candidate pre-activation gradient) b_n r (1 - r)
            q.gradProjectedGate(2, t).mul(q.recurrentGate(2, t), q.scratch);
            r.rsub(1.0, q.scratch2).muli(r);
            q.scratch.mul(q.scratch2, q.gradProjectedGate(1, t));
            q.gradRecurrentGate(0, t).assign(q.gradProjectedGate(0, t));
            q.gradRecurrentGate(1, t).assign(q.gradProjectedGate(1, t));
            q.gradProjectedGate(2, t).mul(r, q.gradRecurrentGate(2, t));
            if (t > 0) {
                // dh_{t-1} = dh z + (d b) W_hh
                q.dh.mul(z, q.carry);
                q.gradRecurrentRows[t].mmul(wHh, q.scratch);
                q.carry.addi(q.scratch);
            }
        }
        q.gradProjected.transpose().mmul(q.input2d, weightIh.gradient());
        q.gradRecurrent.transpose().mmul(q.hiddenPrev2d, weightHh.gradient());
        if (biasIhRow == null) {
            biasIhRow = biasIh.gradient().reshape(1, 3L * hiddenSize);
            biasHhRow = biasHh.gradient().reshape(1, 3L * hiddenSize);
        }
        q.onesRow.mmul(q.gradProjected, biasIhRow);
        q.onesRow.mmul(q.gradRecurrent, biasHhRow);
        q.gradProjected.mmul(weightIh.value(), q.gradInput2d);
        weightIh.markGradient();
        weightHh.markGradient();
        biasIh.markGradient();
        biasHh.markGradient();
        return q.gradInput2d;
    }
}
