package org.nas4j.estimators.engine.recurrent;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.spaces.recurrent.RecurrentGenotype;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A searched recurrent cell (DARTS' {@code DARTSCell}, ENAS' fixed-architecture cell), unrolled over a sequence with
 * backpropagation through time. With {@code x} the step's input, {@code h} the previous hidden state and the
 * variational masks {@code mx}, {@code mh} (one per sequence, the same at every step; none in inference):
 * <pre>
 * [c0, h0] = [x * mx, h * mh] W0;      s0 = h + sigmoid(c0) * (initial(h0) - h)
 * [ci, hi] = (s_j * mh) W_i;           s_i = s_j + sigmoid(ci) * (act_i(hi) - s_j)     (node i reads state j)
 * h_t = mean of the states in concat
 * </pre>
 * {@code W0 [I + H, 2H]} and {@code W_i [H, 2H]} have no bias, as in the reference; parameter names
 * {@code name.W0}, {@code name.W1} ... {@code name.WN}.
 *
 * <p>{@link #forward} runs a whole sequence from a given state; {@link #backward} takes the gradient with respect to
 * every step's output and returns the one with respect to every step's input, writes (not adds) and marks the
 * gradients of the matrices (summed over the steps), and leaves the gradient with respect to the initial state in
 * {@link #initialStateGradient()}. The weight gradients of all steps are one matmul per matrix. Arrays returned are
 * owned by the cell. Not thread-safe.
 *
 * <pre>{@code
 * GenotypeCell cell = new GenotypeCell(params, "cell", RecurrentGenotypes.DARTS_V2, 32, 32, Initializer.uniform(0.04));
 * params.seal();
 * INDArray h = cell.forward(x, h0, batch, xMask, hMask);   // [T*B, 32] from [T*B, 32]
 * INDArray gx = cell.backward(gradH);
 * }</pre>
 */
public final class GenotypeCell implements RecurrentCell {

    private final RecurrentGenotype genotype;
    private final int inputSize;
    private final int hiddenSize;
    private final int states;
    private final int[] reads;
    private final String[] activations;
    private final boolean[] averaged;
    private final Parameter w0;
    private final Parameter[] w;
    private final NativeOp matmul = NativeOp.named("matmul");
    private final NativeOp matmulAccumulate = NativeOp.named("matmul").floatArgs(1.0, 1.0);
    private final NativeOp matmulTransposeB = NativeOp.named("matmul").intArgs(0, 1, 0);
    private final NativeOp matmulTransposeA = NativeOp.named("matmul").intArgs(1, 0, 0);
    private final NativeOp add = NativeOp.named("add");
    private final NativeOp subtract = NativeOp.named("subtract");
    private final NativeOp multiply = NativeOp.named("multiply");
    private final NativeOp sigmoid = NativeOp.named("sigmoid");
    private final NativeOp tanh = NativeOp.named("tanh");
    private final NativeOp relu = NativeOp.named("relu").floatArgs(0.0);
    private final Map<Long, CellSequence> sequences = new HashMap<>(2);
    private CellSequence seq;
    private INDArray xMask;
    private INDArray hMask;

    /**
     * Declares {@code W0} and one matrix per node.
     *
     * @param params      where they are declared
     * @param name        prefix of the parameter names
     * @param genotype    the cell
     * @param inputSize   input features I, at least 1
     * @param hiddenSize  hidden units H, at least 1
     * @param initializer initial values (the reference: uniform in +-0.04)
     */
    public GenotypeCell(ParameterSet params, String name, RecurrentGenotype genotype, int inputSize, int hiddenSize,
            Initializer initializer) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("inputSize and hiddenSize must be >= 1, but were " + inputSize
                    + " and " + hiddenSize);
        }
        this.genotype = java.util.Objects.requireNonNull(genotype, "genotype");
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.states = genotype.size() + 1;
        this.reads = new int[states];
        this.activations = new String[states];
        this.averaged = new boolean[states];
        activations[0] = genotype.initial();
        List<RecurrentGenotype.Node> nodes = genotype.nodes();
        for (int i = 1; i < states; i++) {
            reads[i] = nodes.get(i - 1).input();
            activations[i] = nodes.get(i - 1).activation();
        }
        for (int k : genotype.concat()) {
            averaged[k] = true;
        }
        this.w0 = params.add(name + ".W0", new long[] {inputSize + hiddenSize, 2L * hiddenSize}, initializer);
        this.w = new Parameter[states];
        for (int i = 1; i < states; i++) {
            w[i] = params.add(name + ".W" + i, new long[] {hiddenSize, 2L * hiddenSize}, initializer);
        }
    }

    /** The cell this network computes. */
    public RecurrentGenotype genotype() {
        return genotype;
    }

    /**
     * The live matrix of state {@code k}: {@code W0 [I + H, 2H]} for {@code k = 0} (rows: input, then hidden state),
     * {@code W_k [H, 2H]} for node {@code k}; columns: the gate's {@code H}, then the activation's {@code H}.
     *
     * @param k a state in {@code [0, genotype().size()]}
     */
    public INDArray matrix(int k) {
        if (k < 0 || k >= states) {
            throw new IllegalArgumentException("k must be in [0, " + (states - 1) + "], but was " + k);
        }
        return k == 0 ? w0.value() : w[k].value();
    }

    /** Input features. */
    @Override
    public int inputSize() {
        return inputSize;
    }

    /** Hidden units. */
    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    /** As {@link #forward(INDArray, INDArray, int, INDArray, INDArray)}: the cell has no mode-dependent part. */
    @Override
    public INDArray forward(INDArray inputs, INDArray initial, int batch, INDArray xMask, INDArray hMask,
            org.nas4j.estimators.engine.Mode mode) {
        return forward(inputs, initial, batch, xMask, hMask);
    }

    /**
     * Runs a sequence.
     *
     * @param inputs  {@code [length * batch, inputSize]}, step-major
     * @param initial the state before the first step, {@code [batch, hiddenSize]} (copied)
     * @param batch   rows per step
     * @param xMask   the input mask {@code [batch, inputSize]} applied at every step, or null for none
     * @param hMask   the hidden mask {@code [batch, hiddenSize]} applied at every step, or null for none
     * @return the outputs {@code [length * batch, hiddenSize]}, owned by the cell
     */
    public INDArray forward(INDArray inputs, INDArray initial, int batch, INDArray xMask, INDArray hMask) {
        if (batch < 1 || inputs.rank() != 2 || inputs.size(1) != inputSize || inputs.size(0) % batch != 0
                || inputs.size(0) == 0) {
            throw new IllegalArgumentException("inputs must be [length * " + batch + ", " + inputSize
                    + "] with length >= 1, but were " + Arrays.toString(inputs.shape()));
        }
        requireShape("initial", initial, batch, hiddenSize);
        if (xMask != null) {
            requireShape("xMask", xMask, batch, inputSize);
        }
        if (hMask != null) {
            requireShape("hMask", hMask, batch, hiddenSize);
        }
        int length = (int) (inputs.size(0) / batch);
        long key = (long) length << 32 | batch;
        seq = sequences.computeIfAbsent(key, k -> new CellSequence(w0.value().dataType(), length, batch, inputSize,
                hiddenSize, states));
        this.xMask = xMask;
        this.hMask = hMask;
        CellSequence s = seq;
        s.initial.assign(initial);
        s.maskedInput.assign(inputs);
        if (xMask != null) {
            perStep(s.maskedInput, length).muliRowVector(xMask.reshape(1, xMask.length()));
        }
        INDArray w0x = inputRows(w0.value());
        INDArray w0h = hiddenRows(w0.value());
        matmul.exec(s.preActivation[0], s.maskedInput, w0x);
        for (int t = 0; t < length; t++) {
            INDArray previous = s.previous(t);
            mask(s.maskedPreviousStep[t], previous, hMask);
            matmulAccumulate.exec(s.preActivationStep[0][t], s.maskedPreviousStep[t], w0h);
            highway(0, t, previous);
            for (int i = 1; i < states; i++) {
                INDArray read = s.state[reads[i]][t];
                mask(s.maskedReadStep[i][t], read, hMask);
                matmul.exec(s.preActivationStep[i][t], s.maskedReadStep[i][t], w[i].value());
                highway(i, t, read);
            }
            INDArray out = s.hiddenStep[t];
            boolean first = true;
            for (int k = 0; k < states; k++) {
                if (averaged[k]) {
                    if (first) {
                        out.assign(s.state[k][t]);
                        first = false;
                    } else {
                        add.exec(out, out, s.state[k][t]);
                    }
                }
            }
            if (genotype.concat().size() > 1) {
                out.muli(1.0 / genotype.concat().size());
            }
        }
        return s.hidden;
    }

    /** {@code s = read + sigmoid(c) * (act(h) - read)} for state {@code k} at step {@code t}. */
    private void highway(int k, int t, INDArray read) {
        CellSequence s = seq;
        INDArray c = s.gate[k][t];
        INDArray g = s.activation[k][t];
        sigmoid.exec(c, s.gateInput[k][t]);
        activate(activations[k], g, s.activationInput[k][t]);
        INDArray out = s.state[k][t];
        subtract.exec(out, g, read);
        multiply.exec(out, out, c);
        add.exec(out, out, read);
    }

    private void activate(String activation, INDArray out, INDArray in) {
        switch (activation) {
            case "tanh" -> tanh.exec(out, in);
            case "relu" -> relu.exec(out, in);
            case "sigmoid" -> sigmoid.exec(out, in);
            case "identity" -> out.assign(in);
            default -> throw new IllegalStateException("unknown activation '" + activation + "'");
        }
    }

    /** {@code out = act'(z)} written from the activation's value {@code g = act(z)}. */
    private void derivative(String activation, INDArray out, INDArray g) {
        switch (activation) {
            case "tanh" -> {
                multiply.exec(out, g, g);
                subtract.exec(out, seq.ones, out);
            }
            case "relu" -> Nd4j.getExecutioner().exec(new Step(g, out, 0.0));
            case "sigmoid" -> {
                multiply.exec(out, g, g);
                subtract.exec(out, g, out);
            }
            case "identity" -> out.assign(1.0);
            default -> throw new IllegalStateException("unknown activation '" + activation + "'");
        }
    }

    private void mask(INDArray out, INDArray in, INDArray m) {
        if (m == null) {
            out.assign(in);
        } else {
            multiply.exec(out, in, m);
        }
    }

    /**
     * Backpropagation through time over the last sequence; writes and marks the gradients of every matrix.
     *
     * @param gradOutputs dL/dh for every step, {@code [length * batch, hiddenSize]}
     * @return dL/dx for every step, {@code [length * batch, inputSize]}, owned by the cell
     */
    @Override
    public INDArray backward(INDArray gradOutputs) {
        CellSequence s = seq;
        if (s == null) {
            throw new IllegalStateException("backward() needs a forward() first");
        }
        if (!Arrays.equals(gradOutputs.shape(), s.hidden.shape())) {
            throw new IllegalArgumentException("gradOutputs must be " + Arrays.toString(s.hidden.shape())
                    + ", but were " + Arrays.toString(gradOutputs.shape()));
        }
        INDArray w0h = hiddenRows(w0.value());
        double share = 1.0 / genotype.concat().size();
        s.outputsGrad.assign(gradOutputs);
        s.carry.assign(0);
        for (int t = s.length - 1; t >= 0; t--) {
            INDArray dh = s.outputGrad;
            add.exec(dh, s.outputsGradStep[t], s.carry);
            dh.muli(share);
            for (int k = 0; k < states; k++) {
                if (averaged[k]) {
                    s.stateGrad[k].assign(dh);
                } else {
                    s.stateGrad[k].assign(0);
                }
            }
            for (int i = states - 1; i >= 1; i--) {
                INDArray read = s.state[reads[i]][t];
                highwayBackward(i, t, read, s.stateGrad[reads[i]]);
                matmulTransposeB.exec(s.scratch, s.preActivationGradStep[i][t], w[i].value());
                maskGradient(s.scratch, hMask);
                add.exec(s.stateGrad[reads[i]], s.stateGrad[reads[i]], s.scratch);
            }
            INDArray previousGrad = t == 0 ? s.initialGrad : s.carry;
            previousGrad.assign(0);
            highwayBackward(0, t, s.previous(t), previousGrad);
            matmulTransposeB.exec(s.scratch, s.preActivationGradStep[0][t], w0h);
            maskGradient(s.scratch, hMask);
            add.exec(previousGrad, previousGrad, s.scratch);
        }
        matmulTransposeA.exec(inputRows(w0.gradient()), s.maskedInput, s.preActivationGrad[0]);
        matmulTransposeA.exec(hiddenRows(w0.gradient()), s.maskedPrevious, s.preActivationGrad[0]);
        w0.markGradient();
        for (int i = 1; i < states; i++) {
            matmulTransposeA.exec(w[i].gradient(), s.maskedRead[i], s.preActivationGrad[i]);
            w[i].markGradient();
        }
        matmulTransposeB.exec(s.inputGrad, s.preActivationGrad[0], inputRows(w0.value()));
        if (xMask != null) {
            perStep(s.inputGrad, s.length).muliRowVector(xMask.reshape(1, xMask.length()));
        }
        return s.inputGrad;
    }

    /**
     * Back through {@code s = read + c * (g - read)} of state {@code k} at step {@code t}, with dL/ds in
     * {@code stateGrad[k]}: writes dL/d[pre-activations] and adds {@code dL/ds * (1 - c)} into {@code readGrad}.
     */
    private void highwayBackward(int k, int t, INDArray read, INDArray readGrad) {
        CellSequence s = seq;
        INDArray ds = s.stateGrad[k];
        INDArray c = s.gate[k][t];
        INDArray g = s.activation[k][t];
        subtract.exec(s.scratch, g, read);
        multiply.exec(s.scratch, s.scratch, ds);
        derivative("sigmoid", s.scratch2, c);
        multiply.exec(s.gateGrad[k][t], s.scratch, s.scratch2);
        multiply.exec(s.scratch, ds, c);
        derivative(activations[k], s.scratch2, g);
        multiply.exec(s.activationGrad[k][t], s.scratch, s.scratch2);
        subtract.exec(s.scratch, s.ones, c);
        multiply.exec(s.scratch, s.scratch, ds);
        add.exec(readGrad, readGrad, s.scratch);
    }

    private void maskGradient(INDArray grad, INDArray m) {
        if (m != null) {
            multiply.exec(grad, grad, m);
        }
    }

    /** dL/d(initial state) of the last backward call, {@code [batch, hiddenSize]}, owned by the cell. */
    @Override
    public INDArray initialStateGradient() {
        if (seq == null) {
            throw new IllegalStateException("initialStateGradient() needs a backward() first");
        }
        return seq.initialGrad;
    }

    private INDArray inputRows(INDArray matrix) {
        return rows(matrix, 0, inputSize);
    }

    private INDArray hiddenRows(INDArray matrix) {
        return rows(matrix, inputSize, hiddenSize);
    }

    /** Rows {@code [first, first + count)} of a 'c'-order matrix as a view (made directly: no index parsing). */
    private static INDArray rows(INDArray matrix, long first, long count) {
        long columns = matrix.size(1);
        return Nd4j.create(matrix.data(), new long[] {count, columns}, new long[] {columns, 1},
                matrix.offset() + first * columns, 'c', matrix.dataType());
    }

    /** {@code [length * batch, n]} viewed as {@code [length, batch * n]}, so a per-sequence mask is a row vector. */
    private static INDArray perStep(INDArray stepMajor, int length) {
        return stepMajor.reshape('c', length, stepMajor.length() / length);
    }

    private static void requireShape(String name, INDArray a, long rows, long columns) {
        if (a.rank() != 2 || a.size(0) != rows || a.size(1) != columns) {
            throw new IllegalArgumentException(name + " must be [" + rows + ", " + columns + "], but was "
                    + Arrays.toString(a.shape()));
        }
    }
}
