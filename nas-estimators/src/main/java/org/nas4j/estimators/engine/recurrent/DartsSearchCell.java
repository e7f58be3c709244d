package org.nas4j.estimators.engine.recurrent;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.spaces.recurrent.RecurrentCellDerivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DARTS' recurrent search cell (the DARTS code's {@code DARTSCellSearch}): every cell of the {@code darts-rnn}
 * space at once, mixed by the architecture weights, unrolled over a segment with backpropagation through time.
 * With {@code p = softmax(weights)} per row (edge), the rows of node {@code i} being its edges from the states
 * {@code j = 0 .. i-1} and the columns {@link RecurrentCellDerivation#PRIMITIVES} ({@code none} first):
 * <pre>
 * s0 = BN(h + sigmoid(c0) * (tanh(h0) - h)),  [c0, h0] = [x * mx, h * mh] W0          (as DARTSCell)
 * [c_j, h_j] = (s_j * mh) W_i                   for every earlier state j (one matrix per node)
 * s_i = BN(sum_j sum_{k != none} p[j, k] * (s_j + sigmoid(c_j) * (act_k(h_j) - s_j)))
 * h_t = mean(s_1 .. s_steps)
 * </pre>
 * {@code none} contributes zero; {@code BN} is a batch norm without affine parameters shared by every state (the
 * reference's one {@code BatchNorm1d(nhid, affine=False)}): batch statistics in training, running statistics
 * (momentum 0.1, unbiased variance, as PyTorch) in inference; {@link #DartsSearchCell} can leave it out.
 * Parameters {@code name.W0 .. name.W<steps>} (the shapes and names of {@link GenotypeCell}'s), and the
 * architecture weights {@code [steps * (steps + 1) / 2, 5]}, a parameter the caller declares (usually in a
 * parameter set of its own, stepped by its own optimizer). {@link #backward} writes and marks the gradients of
 * both. The arrays of a segment are made once per batch size (and grown for a longer segment) and every
 * operation writes into them through a reused native-op call site, as {@link GenotypeCell}'s: a pass allocates no
 * data buffer. Arrays returned are owned by the cell. Not thread-safe.
 *
 * <pre>{@code
 * ParameterSet arch = new ParameterSet(DataType.FLOAT, seed);
 * Parameter alpha = arch.add("weights", DartsSearchCell.weightsShape(8), Initializer.normal(1e-3));
 * arch.seal();
 * RecurrentLanguageModel lm = new RecurrentLanguageModel(params, DartsSearchCell.factory(alpha, 8, true), 65, 32,
 *         LanguageModelDropout.DARTS_PTB, 1e-3, seed);
 * }</pre>
 */
public final class DartsSearchCell implements RecurrentCell {

    /** The activations of {@link RecurrentCellDerivation#PRIMITIVES} after {@code none}, in that order. */
    private static final List<String> ACTIVATIONS = RecurrentCellDerivation.PRIMITIVES.subList(1,
            RecurrentCellDerivation.PRIMITIVES.size());

    /** The mixture's columns: {@code coefficient[k]} is the activation {@code ACTIVATIONS.get(k)}'s. */
    static final int TANH = 0;
    static final int RELU = 1;
    static final int SIGMOID = 2;
    static final int IDENTITY = 3;

    static {
        if (!ACTIVATIONS.equals(List.of("tanh", "relu", "sigmoid", "identity"))) {
            throw new IllegalStateException("DartsSearchCell expects the primitives tanh, relu, sigmoid, identity"
                    + " after none, but they were " + ACTIVATIONS);
        }
    }

    private final int steps;
    private final int inputSize;
    private final int hiddenSize;
    /** The batch norm every state goes through, or null for none. */
    private final StateBatchNorm norm;
    private final Parameter w0;
    private final Parameter[] w;
    private final Parameter weights;
    private final NativeOp matmul = NativeOp.named("matmul");
    private final NativeOp matmulAccumulate = NativeOp.named("matmul").floatArgs(1.0, 1.0);
    private final NativeOp add = NativeOp.named("add");
    private final NativeOp subtract = NativeOp.named("subtract");
    private final NativeOp multiply = NativeOp.named("multiply");
    private final NativeOp sigmoid = NativeOp.named("sigmoid");
    private final NativeOp tanh = NativeOp.named("tanh");
    private final NativeOp relu = NativeOp.named("relu").floatArgs(0.0);
    /** {@code tile[i]} repeats a {@code [B, H]} block {@code i} times down the rows. */
    private final NativeOp[] tile;
    private final SearchCellBackward backwardPass;
    private final Map<Integer, SearchSequence> sequences = new HashMap<>(2);
    private SearchSequence seq;
    private int length;
    private boolean batchStatistics;
    private INDArray xMask;
    private INDArray hMask;
    private double[][] probs;
    private boolean backwardDone;

    /**
     * Declares {@code W0} and one matrix per node.
     *
     * @param params      where the matrices are declared
     * @param name        prefix of their names
     * @param weights     the architecture weights, {@link #weightsShape(int)}
     * @param steps       nodes after {@code s0}, at least 1 (the reference's {@code STEPS = 8})
     * @param inputSize   input features, at least 1
     * @param hiddenSize  hidden units, at least 1
     * @param initializer initial values of the matrices (the reference: uniform in +-0.04)
     * @param batchNorm   whether every state goes through the batch norm (the reference: yes)
     */
    public DartsSearchCell(ParameterSet params, String name, Parameter weights, int steps, int inputSize,
            int hiddenSize, Initializer initializer, boolean batchNorm) {
        if (steps < 1 || inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("steps, inputSize and hiddenSize must be >= 1, but were " + steps
                    + ", " + inputSize + " and " + hiddenSize);
        }
        this.weights = Objects.requireNonNull(weights, "weights");
        if (!Arrays.equals(weights.shape(), weightsShape(steps))) {
            throw new IllegalArgumentException("weights must be " + Arrays.toString(weightsShape(steps)) + " for "
                    + steps + " steps, but was " + Arrays.toString(weights.shape()));
        }
        this.steps = steps;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.norm = batchNorm ? new StateBatchNorm(params.dataType(), hiddenSize) : null;
        this.w0 = params.add(name + ".W0", new long[] {inputSize + hiddenSize, 2L * hiddenSize}, initializer);
        this.w = new Parameter[steps + 1];
        for (int i = 1; i <= steps; i++) {
            w[i] = params.add(name + ".W" + i, new long[] {hiddenSize, 2L * hiddenSize}, initializer);
        }
        this.tile = new NativeOp[steps + 1];
        for (int i = 1; i <= steps; i++) {
            tile[i] = NativeOp.named("tile").intArgs(i, 1);
        }
        this.backwardPass = new SearchCellBackward(steps, inputSize, hiddenSize, norm, w0, w, weights, tile);
    }

    /** The shape of the architecture weights of a cell of {@code steps} nodes: {@code [edges, 5]}. */
    public static long[] weightsShape(int steps) {
        return new long[] {RecurrentCellDerivation.edges(steps), RecurrentCellDerivation.PRIMITIVES.size()};
    }

    /** Makes search cells over {@code weights} for {@link RecurrentLanguageModel}. */
    public static RecurrentLanguageModel.CellFactory factory(Parameter weights, int steps, boolean batchNorm) {
        return (params, name, in, hidden, init) -> new DartsSearchCell(params, name, weights, steps, in, hidden, init,
                batchNorm);
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    /** Nodes after {@code s0}. */
    public int steps() {
        return steps;
    }

    /**
     * The batch norm's running statistics by name ({@code mean}, {@code variance}, each {@code [1, H]}), live: what
     * a checkpoint saves beside the weights and restores in place; empty without batch norm.
     */
    public Map<String, INDArray> runningStatistics() {
        if (norm == null) {
            return Map.of();
        }
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        out.put("mean", norm.runningMean());
        out.put("variance", norm.runningVariance());
        return out;
    }

    @Override
    public INDArray forward(INDArray inputs, INDArray initial, int batch, INDArray xMask, INDArray hMask, Mode mode) {
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
        int n = (int) (inputs.size(0) / batch);
        SearchSequence s = sequences.get(batch);
        if (s == null || s.capacity < n) {
            s = new SearchSequence(w0.value().dataType(), n, batch, steps, inputSize, hiddenSize);
            sequences.put(batch, s);
        }
        seq = s;
        length = n;
        batchStatistics = mode == Mode.TRAINING;
        this.xMask = xMask;
        this.hMask = hMask;
        backwardDone = false;
        mixture(s);
        if (hMask != null) {
            for (int i = 1; i <= steps; i++) {
                tile[i].exec(s.hMaskTiled[i], hMask);
            }
        }
        s.initial.assign(initial);
        INDArray maskedInput = SearchSequence.prefix(s.maskedInput, n, batch);
        maskedInput.assign(inputs);
        if (xMask != null) {
            maskedInput.reshape('c', n, (long) batch * inputSize).muliRowVector(xMask.reshape(1, xMask.length()));
        }
        matmul.exec(SearchSequence.prefix(s.pre0, n, batch), maskedInput, inputRows(w0.value()));
        INDArray w0h = hiddenRows(w0.value());
        for (int t = 0; t < n; t++) {
            INDArray previous = s.previous(t);
            mask(s.maskedPreviousStep[t], previous, hMask);
            matmulAccumulate.exec(s.pre0Step[t], s.maskedPreviousStep[t], w0h);
            sigmoid.exec(s.gate0[t], s.pre0Left[t]);
            tanh.exec(s.act0[t], s.pre0Right[t]);
            subtract.exec(s.nodeRaw, s.act0[t], previous);
            multiply.exec(s.nodeRaw, s.nodeRaw, s.gate0[t]);
            add.exec(s.nodeRaw, s.nodeRaw, previous);
            normalize(s, t, 0);
            for (int i = 1; i <= steps; i++) {
                node(s, t, i);
            }
            matmul.exec(s.hiddenFlat[t], s.onesEdges[steps], s.averaged[t]);
            s.hiddenFlat[t].muli(1.0 / steps);
        }
        return SearchSequence.prefix(s.hidden, n, batch);
    }

    /** Node {@code i} at step {@code t}: every edge from the states before it, mixed, summed, normalised. */
    private void node(SearchSequence s, int t, int i) {
        INDArray read = s.read[t][i];
        INDArray masked = s.maskedReadStep[i][t];
        if (hMask == null) {
            masked.assign(read);
        } else {
            multiply.exec(masked, read, s.hMaskTiled[i]);
        }
        matmul.exec(s.pre[i][t], masked, w[i].value());
        INDArray h = s.preRight[i][t];
        sigmoid.exec(s.gate[i][t], s.preLeft[i][t]);
        tanh.exec(s.tanh[i][t], h);
        sigmoid.exec(s.sigmoid[i][t], h);
        relu.exec(s.scratch[i], h);
        INDArray mixed = s.mixed[i];
        multiply.exec(mixed, s.tanh[i][t], s.coefficient[i][TANH]);
        multiply.exec(s.scratch[i], s.scratch[i], s.coefficient[i][RELU]);
        add.exec(mixed, mixed, s.scratch[i]);
        multiply.exec(s.scratch[i], s.sigmoid[i][t], s.coefficient[i][SIGMOID]);
        add.exec(mixed, mixed, s.scratch[i]);
        multiply.exec(s.scratch[i], h, s.coefficient[i][IDENTITY]);
        add.exec(mixed, mixed, s.scratch[i]);
        multiply.exec(s.carried[i], read, s.total[i]);
        subtract.exec(s.difference[i][t], mixed, s.carried[i]);
        multiply.exec(s.edgeOut[i], s.difference[i][t], s.gate[i][t]);
        add.exec(s.edgeOut[i], s.edgeOut[i], s.carried[i]);
        matmul.exec(s.nodeRawFlat, s.onesEdges[i], s.edgeOutFlat[i]);
        normalize(s, t, i);
    }

    /** Writes each row's mixture coefficients (per activation and in total) from the softmax of the weights. */
    private void mixture(SearchSequence s) {
        double[][] alpha = weights.value().castTo(DataType.DOUBLE).toDoubleMatrix();
        probs = RecurrentCellDerivation.softmaxRows(alpha);
        int batch = s.batch;
        int edges = probs.length;
        double[] c = new double[5 * edges * batch];
        for (int e = 0; e < edges; e++) {
            double total = 0;
            for (int k = 0; k < 4; k++) {
                double p = probs[e][k + 1];
                total += p;
                Arrays.fill(c, (k * edges + e) * batch, (k * edges + e + 1) * batch, p);
            }
            Arrays.fill(c, (4 * edges + e) * batch, (4 * edges + e + 1) * batch, total);
        }
        s.coefficients.assign(Nd4j.createFromArray(c).reshape(5, (long) edges * batch));
    }

    /** Normalises the raw state in {@code s.nodeRaw} into state {@code k} of step {@code t}. */
    private void normalize(SearchSequence s, int t, int k) {
        if (norm == null) {
            s.block[t][k].assign(s.nodeRaw);
        } else {
            norm.forward(s.nodeRaw, s.block[t][k], s.inverse[t][k], s.onesBatch, s.square, batchStatistics);
        }
    }

    @Override
    public INDArray backward(INDArray gradOutputs) {
        SearchSequence s = seq;
        if (s == null) {
            throw new IllegalStateException("backward() needs a forward() first");
        }
        int batch = s.batch;
        if (gradOutputs.rank() != 2 || gradOutputs.size(0) != (long) length * batch
                || gradOutputs.size(1) != hiddenSize) {
            throw new IllegalArgumentException("gradOutputs must be [" + (long) length * batch + ", " + hiddenSize
                    + "], but were " + Arrays.toString(gradOutputs.shape()));
        }
        INDArray inputGrad = backwardPass.run(s, length, gradOutputs, xMask, hMask, batchStatistics, probs);
        backwardDone = true;
        return inputGrad;
    }

    @Override
    public INDArray initialStateGradient() {
        if (seq == null || !backwardDone) {
            throw new IllegalStateException("initialStateGradient() needs a backward() first");
        }
        return seq.initialGrad;
    }

    private void mask(INDArray out, INDArray in, INDArray m) {
        if (m == null) {
            out.assign(in);
        } else {
            multiply.exec(out, in, m);
        }
    }

    private INDArray inputRows(INDArray matrix) {
        return SearchSequence.view(matrix, 0, inputSize, 2L * hiddenSize);
    }

    private INDArray hiddenRows(INDArray matrix) {
        return SearchSequence.view(matrix, (long) inputSize * 2 * hiddenSize, hiddenSize, 2L * hiddenSize);
    }

    private static void requireShape(String name, INDArray a, long rows, long columns) {
        if (a.rank() != 2 || a.size(0) != rows || a.size(1) != columns) {
            throw new IllegalArgumentException(name + " must be [" + rows + ", " + columns + "], but was "
                    + Arrays.toString(a.shape()));
        }
    }
}
