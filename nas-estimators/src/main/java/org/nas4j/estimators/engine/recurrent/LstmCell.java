package org.nas4j.estimators.engine.recurrent;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One LSTM layer with PyTorch's parameter layout: {@code weight_ih [4H, I]}, {@code weight_hh [4H, H]},
 * {@code bias_ih [4H]}, {@code bias_hh [4H]}, gates stacked in the order input, forget, cell, output:
 * <pre>
 * i, f, o = sigmoid(z_i), sigmoid(z_f), sigmoid(z_o);  g = tanh(z_g);  z = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
 * c_t = f * c_{t-1} + i * g;  h_t = o * tanh(c_t)
 * </pre>
 * with zero initial state. The {@linkplain #LstmCell(ParameterSet, String, int, int, Initializer, Initializer,
 * Initializer) other constructor} has one bias {@code bias [4H]} in place of the two (Keras' and DL4J's layout,
 * same gate order), so the same function with {@code 4H} fewer parameters.
 *
 * <p>The recurrent API: {@link #begin} starts a sequence of a known length, {@link #step} runs one step (its input
 * may depend on earlier outputs) and keeps what backpropagation through time needs, {@link #backward} takes the
 * gradient with respect to every step's hidden state at once and returns the gradient with respect to every step's
 * input. The parameter gradients (summed over the steps) are written once, by {@link #backward}, and marked: the
 * {@link org.nas4j.estimators.engine.Layer} rule "written, not added" holds per sequence. The recurrent chain is
 * the only per-step part of the backward pass; the weight gradients and input gradients of all steps are one
 * matmul each.
 *
 * <pre>{@code
 * LstmCell lstm = new LstmCell(params, "lstm", 32, 100, Initializer.uniform(0.08));
 * params.seal();
 * lstm.begin(1, 6);
 * for (int t = 0; t < 6; t++) {
 *     INDArray h = lstm.step(x[t]);          // [1, 100]
 * }
 * INDArray gradInputs = lstm.backward(gradHidden);   // [6, 100] -> [6, 32]
 * }</pre>
 *
 * <p>Arrays returned are owned by the cell: a step's hidden state stays valid until a later sequence of the same
 * shape overwrites it. Not thread-safe.
 */
public final class LstmCell implements SequenceCell {

    private final int inputSize;
    private final int hiddenSize;
    private final Parameter weightIh;
    private final Parameter weightHh;
    private final Parameter biasIh;
    /** The second bias of PyTorch's layout; null with one bias. */
    private final Parameter biasHh;
    private final NativeOp inputProjection = NativeOp.named("xw_plus_b").intArgs(1);
    /** {@code z += h W_hh^T}: matmul with alpha 1 and beta 1 accumulates into its output. */
    private final NativeOp recurrentProjection = NativeOp.named("matmul").intArgs(0, 1, 0).floatArgs(1.0, 1.0);
    private final NativeOp add = NativeOp.named("add");
    private final NativeOp multiply = NativeOp.named("multiply");
    private final NativeOp subtract = NativeOp.named("subtract");
    private final NativeOp sigmoid = NativeOp.named("sigmoid");
    private final NativeOp tanh = NativeOp.named("tanh");
    /** {@code dh_{t-1} += dz_t W_hh}, accumulated into the copy of the external hidden-state gradient. */
    private final NativeOp recurrentGrad = NativeOp.named("matmul").floatArgs(1.0, 1.0);
    private final NativeOp weightGrad = NativeOp.named("matmul").intArgs(1, 0, 0);
    private final NativeOp columnSums = NativeOp.named("matmul");
    private final NativeOp inputGrad = NativeOp.named("matmul");
    private final Map<Long, LstmSequence> sequences = new HashMap<>(2);
    private LstmSequence seq;
    private int steps;
    private INDArray biasGradientRow;

    /**
     * Declares the four parameters.
     *
     * @param params      where they are declared
     * @param name        prefix of the parameter names
     * @param inputSize   input features I, at least 1
     * @param hiddenSize  hidden units H, at least 1
     * @param initializer initial values of all four (PyTorch: uniform in {@code +-1/sqrt(H)}; Zoph and Le: 0.08)
     */
    public LstmCell(ParameterSet params, String name, int inputSize, int hiddenSize, Initializer initializer) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("inputSize and hiddenSize must be >= 1, but were " + inputSize
                    + " and " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        long gates = 4L * hiddenSize;
        this.weightIh = params.add(name + ".weight_ih", new long[] {gates, inputSize}, initializer);
        this.weightHh = params.add(name + ".weight_hh", new long[] {gates, hiddenSize}, initializer);
        this.biasIh = params.add(name + ".bias_ih", new long[] {gates}, initializer);
        this.biasHh = params.add(name + ".bias_hh", new long[] {gates}, initializer);
    }

    /**
     * Declares the three parameters of the one-bias layout: {@code weight_ih [4H, I]}, {@code weight_hh [4H, H]},
     * {@code bias [4H]} (gates in the order input, forget, cell, output), as Keras' {@code LSTM} and DL4J's
     * {@code LSTM} have.
     *
     * @param params     where they are declared
     * @param name       prefix of the parameter names
     * @param inputSize  input features I, at least 1
     * @param hiddenSize hidden units H, at least 1
     * @param inputInit  initial values of {@code weight_ih}
     * @param hiddenInit initial values of {@code weight_hh}
     * @param biasInit   initial values of {@code bias}
     */
    public LstmCell(ParameterSet params, String name, int inputSize, int hiddenSize, Initializer inputInit,
            Initializer hiddenInit, Initializer biasInit) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("inputSize and hiddenSize must be >= 1, but were " + inputSize
                    + " and " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        long gates = 4L * hiddenSize;
        this.weightIh = params.add(name + ".weight_ih", new long[] {gates, inputSize}, inputInit);
        this.weightHh = params.add(name + ".weight_hh", new long[] {gates, hiddenSize}, hiddenInit);
        this.biasIh = params.add(name + ".bias", new long[] {gates}, biasInit);
        this.biasHh = null;
    }

    /** {@code weight_ih [4H, I]}, gates in the order input, forget, cell, output. */
    public Parameter inputWeights() {
        return weightIh;
    }

    /** {@code weight_hh [4H, H]}, gates in the order input, forget, cell, output. */
    public Parameter hiddenWeights() {
        return weightHh;
    }

    /** The bias of every gate, {@code [4H]}: the one bias, or PyTorch's {@code bias_ih}. */
    public Parameter bias() {
        return biasIh;
    }

    /** PyTorch's second bias {@code bias_hh [4H]}; empty in the one-bias layout. */
    public java.util.Optional<Parameter> hiddenBias() {
        return java.util.Optional.ofNullable(biasHh);
    }

    /** Input features. */
    public int inputSize() {
        return inputSize;
    }

    /** Hidden units. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /**
     * Starts a sequence from the zero state.
     *
     * @param batch  rows per step, at least 1
     * @param length number of steps the sequence will have, at least 1
     */
    public void begin(int batch, int length) {
        if (batch < 1 || length < 1) {
            throw new IllegalArgumentException("batch and length must be >= 1, but were " + batch + " and "
                    + length);
        }
        long key = (long) length << 32 | batch;
        seq = sequences.computeIfAbsent(key, k -> new LstmSequence(weightIh.value().dataType(), length, batch,
                inputSize, hiddenSize));
        steps = 0;
    }

    /**
     * Runs the next step.
     *
     * @param x the step's input {@code [batch, inputSize]}
     * @return the step's hidden state {@code [batch, hiddenSize]}, owned by the cell
     */
    public INDArray step(INDArray x) {
        if (seq == null || steps == seq.length) {
            throw new IllegalStateException("step() needs begin() first, and at most the length given to begin() ("
                    + (seq == null ? "none" : seq.length) + ") steps");
        }
        if (x.rank() != 2 || x.size(0) != seq.batch || x.size(1) != inputSize) {
            throw new IllegalArgumentException("x must be [" + seq.batch + ", " + inputSize + "], but was "
                    + Arrays.toString(x.shape()));
        }
        int t = steps;
        seq.x[t].assign(x);
        inputProjection.exec(seq.gates[t], seq.x[t], weightIh.value(), biasIh.value());
        if (biasHh != null) {
            add.exec(seq.gates[t], seq.gates[t], biasHh.value());
        }
        return advance();
    }

    /**
     * Runs a whole sequence whose inputs are known in advance: {@link #begin} and every {@link #step} in one call,
     * with the input projection of all steps in one matmul.
     *
     * @param inputs {@code [length, batch, inputSize]}, or {@code [length * batch, inputSize]} step-major
     * @param batch  rows per step
     * @return the hidden states {@code [length * batch, hiddenSize]}, as {@link #hiddenStates()}
     */
    public INDArray forward(INDArray inputs, int batch) {
        long rows = inputs.rank() == 3 ? inputs.size(0) * inputs.size(1) : inputs.size(0);
        if (inputs.rank() < 2 || inputs.rank() > 3 || inputs.size(inputs.rank() - 1) != inputSize || batch < 1
                || rows % batch != 0 || (inputs.rank() == 3 && inputs.size(1) != batch)) {
            throw new IllegalArgumentException("inputs must be [length, batch=" + batch + ", " + inputSize
                    + "] or [length * " + batch + ", " + inputSize + "], but were " + Arrays.toString(inputs.shape()));
        }
        begin(batch, (int) (rows / batch));
        (inputs.rank() == 3 ? seq.inputs : seq.input2d).assign(inputs);
        inputProjection.exec(seq.gates2d, seq.input2d, weightIh.value(), biasIh.value());
        if (biasHh != null) {
            add.exec(seq.gates2d, seq.gates2d, biasHh.value());
        }
        while (steps < seq.length) {
            advance();
        }
        return seq.hidden2d;
    }

    private INDArray advance() {
        int t = steps++;
        LstmSequence s = seq;
        if (t > 0) {
            recurrentProjection.exec(s.gates[t], s.h[t - 1], weightHh.value());
        }
        sigmoid.exec(s.inputForgetGates[t], s.inputForgetGates[t]);
        sigmoid.exec(s.gate(3, t), s.gate(3, t));
        tanh.exec(s.gate(2, t), s.gate(2, t));
        if (t > 0) {
            multiply.exec(s.c[t], s.gate(1, t), s.c[t - 1]);
            multiply.exec(s.scratch, s.gate(0, t), s.gate(2, t));
            add.exec(s.c[t], s.c[t], s.scratch);
        } else {
            multiply.exec(s.c[t], s.gate(0, t), s.gate(2, t));
        }
        tanh.exec(s.tanhC[t], s.c[t]);
        multiply.exec(s.h[t], s.gate(3, t), s.tanhC[t]);
        return s.h[t];
    }

    /**
     * The hidden states of the current sequence as {@code [length * batch, hiddenSize]} (step-major), owned by the
     * cell; rows of steps not yet run are stale.
     */
    public INDArray hiddenStates() {
        if (seq == null) {
            throw new IllegalStateException("hiddenStates() needs begin() first");
        }
        return seq.hidden2d;
    }

    /**
     * Backpropagation through time over the whole sequence; writes and marks the gradients of the
     * parameters (summed over the steps).
     *
     * @param gradHidden dL/dh for every step, {@code [length, batch, hiddenSize]} or
     *                   {@code [length * batch, hiddenSize]}
     * @return dL/dx for every step, {@code [length * batch, inputSize]} (step-major), owned by the cell
     */
    public INDArray backward(INDArray gradHidden) {
        LstmSequence s = seq;
        if (s == null || steps != s.length) {
            throw new IllegalStateException("backward() needs a complete sequence: " + steps + " of "
                    + (s == null ? "?" : s.length) + " steps were run");
        }
        INDArray copy = gradHidden.rank() == 3 ? s.gradHidden : s.gradHidden2d;
        if (!Arrays.equals(gradHidden.shape(), copy.shape())) {
            throw new IllegalArgumentException("gradHidden must be " + Arrays.toString(s.gradHidden.shape()) + " or "
                    + Arrays.toString(s.gradHidden2d.shape()) + ", but was " + Arrays.toString(gradHidden.shape()));
        }
        copy.assign(gradHidden);
        // gate derivatives for all steps at once: s(1 - s) for the sigmoid gates, 1 - g^2 for the cell gate
        multiply.exec(s.gateDerivative, s.gatesAll, s.gatesAll);
        subtract.exec(s.gateDerivative, s.gatesAll, s.gateDerivative);
        multiply.exec(s.cellGateDerivative, s.cellGateAll, s.cellGateAll);
        subtract.exec(s.cellGateDerivative, s.onesHidden, s.cellGateDerivative);
        multiply.exec(s.tanhCDerivative, s.tanhCAll, s.tanhCAll);
        subtract.exec(s.tanhCDerivative, s.onesHidden, s.tanhCDerivative);
        for (int t = s.length - 1; t >= 0; t--) {
            boolean last = t == s.length - 1;
            INDArray dh = s.gradHidden3[t]; // the recurrent part was added by step t + 1
            multiply.exec(s.gradGate(3, t), dh, s.tanhC[t]);
            multiply.exec(s.dc, dh, s.gate(3, t));
            multiply.exec(s.dc, s.dc, s.tanhCDerivative3[t]);
            if (!last) {
                add.exec(s.dc, s.dc, s.carryC);
            }
            multiply.exec(s.gradGate(0, t), s.dc, s.gate(2, t));
            multiply.exec(s.gradGate(2, t), s.dc, s.gate(0, t));
            if (t > 0) {
                multiply.exec(s.gradGate(1, t), s.dc, s.c[t - 1]);
                multiply.exec(s.carryC, s.dc, s.gate(1, t));
            } else {
                s.gradGate(1, t).assign(0);
            }
            multiply.exec(s.gradGates[t], s.gradGates[t], s.gateDerivative3[t]);
            if (t > 0) {
                recurrentGrad.exec(s.gradHidden3[t - 1], s.gradGates[t], weightHh.value());
            }
        }
        weightGrad.exec(weightIh.gradient(), s.gradGates2d, s.input2d);
        if (s.length > 1) {
            weightGrad.exec(weightHh.gradient(), s.gradGatesFrom1, s.hiddenUpToLast);
        } else {
            weightHh.gradient().assign(0);
        }
        if (biasGradientRow == null) {
            biasGradientRow = biasIh.gradient().reshape(1, 4L * hiddenSize);
        }
        columnSums.exec(biasGradientRow, s.onesRow, s.gradGates2d);
        if (biasHh != null) {
            biasHh.gradient().assign(biasIh.gradient());
        }
        inputGrad.exec(s.gradInput2d, s.gradGates2d, weightIh.value());
        weightIh.markGradient();
        weightHh.markGradient();
        biasIh.markGradient();
        if (biasHh != null) {
            biasHh.markGradient();
        }
        return s.gradInput2d;
    }
}
