package org.nas4j.estimators.engine.recurrent;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.spaces.recurrent.RecurrentGenotype;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The DARTS code's {@code RNNModel} with one searched cell: an embedding {@code encoder.weight [V, E]}, the
 * {@link GenotypeCell}, and a decoder whose weights are the embedding (tied) plus {@code decoder.bias [V]}; the loss
 * is the softmax cross-entropy of the next token at every position, averaged. Initial values as the reference:
 * embedding and cell matrices uniform in +-0.04, bias 0.
 *
 * <p>Truncated backpropagation through time: {@link #forward} runs one segment of {@code length} steps from the
 * hidden state the previous segment ended in (zero at first, or after {@link #resetState()}), and keeps the new
 * end state for the next segment; gradients do not flow across segments (the reference's
 * {@code repackage_hidden}). Dropout masks ({@link LanguageModelDropout}) are drawn per segment from the model's own
 * generator. With {@code slowness > 0} the training loss adds AWD-LSTM's temporal activation regularisation
 * {@code slowness * mean((h_t - h_{t-1})^2)} over the segment's raw outputs (the reference's {@code beta = 1e-3}).
 *
 * <pre>{@code
 * ParameterSet params = new ParameterSet(DataType.FLOAT, seed);
 * RecurrentLanguageModel lm = new RecurrentLanguageModel(params, RecurrentGenotypes.DARTS_V2, 65, 256,
 *         LanguageModelDropout.DARTS_PTB, 1e-3, seed);
 * params.seal();
 * double loss = lm.forward(inputs, targets, batch, Mode.TRAINING);   // step-major ids, length * batch each
 * lm.backward();
 * }</pre>
 *
 * Not thread-safe.
 */
public final class RecurrentLanguageModel {

    private static final double INIT_RANGE = 0.04;

    private final int vocabulary;
    private final int hiddenSize;
    private final LanguageModelDropout dropout;
    private final double slowness;
    private final Parameter embedding;
    private final RecurrentCell cell;
    private final Parameter bias;
    private SplittableRandom rng;
    private final NativeOp gather = NativeOp.named("gather").intArgs(0);
    private final NativeOp scatterAdd = NativeOp.named("scatter_add");
    private final NativeOp matmul = NativeOp.named("matmul");
    private final NativeOp matmulTransposeA = NativeOp.named("matmul").intArgs(1, 0, 0);
    private final NativeOp matmulTransposeB = NativeOp.named("matmul").intArgs(0, 1, 0);
    private final SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy();
    private final Buffer idBuffer = new Buffer();
    private final Buffer embedded = new Buffer();
    private final Buffer outputs = new Buffer();
    private final Buffer logits = new Buffer();
    private final Buffer onesRow = new Buffer();
    private final Buffer outputGrad = new Buffer();
    private final Buffer inputGrad = new Buffer();
    private final Buffer slownessGrad = new Buffer();
    private INDArray ids;
    private INDArray rowScale;
    private INDArray inputMask;
    private INDArray outputMask;
    private INDArray hidden;
    private INDArray state;
    private int length;
    private int batch;
    private double lastCrossEntropy;
    private boolean training;
    private boolean regularized;

    /**
     * Declares the embedding, the cell's matrices and the decoder bias (in this order, as the reference's modules).
     *
     * @param params     where they are declared
     * @param genotype   the cell
     * @param vocabulary tokens V, at least 2
     * @param hiddenSize embedding and hidden size (equal: the decoder is tied), at least 1
     * @param dropout    the dropout rates
     * @param slowness   weight of the temporal activation regularisation, {@code >= 0} (0: none)
     * @param seed       seed of the dropout masks
     */
    public RecurrentLanguageModel(ParameterSet params, RecurrentGenotype genotype, int vocabulary, int hiddenSize,
            LanguageModelDropout dropout, double slowness, long seed) {
        this(params, fixedCell(genotype), vocabulary, hiddenSize, dropout, slowness, seed);
    }

    /**
     * The same model around any cell: {@code cells} declares it (named {@code cell}) between the embedding and the
     * decoder bias, e.g. DARTS' search cell ({@code RNNModelSearch}).
     *
     * @param cells makes the cell, given where to declare it, its name, input and hidden size and initial values
     */
    public RecurrentLanguageModel(ParameterSet params, CellFactory cells, int vocabulary, int hiddenSize,
            LanguageModelDropout dropout, double slowness, long seed) {
        if (vocabulary < 2) {
            throw new IllegalArgumentException("vocabulary must be >= 2, but was " + vocabulary);
        }
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hiddenSize must be >= 1, but was " + hiddenSize);
        }
        if (!(slowness >= 0 && slowness < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("slowness must be finite and >= 0, but was " + slowness);
        }
        this.vocabulary = vocabulary;
        this.hiddenSize = hiddenSize;
        this.dropout = java.util.Objects.requireNonNull(dropout, "dropout");
        this.slowness = slowness;
        this.embedding = params.add("encoder.weight", new long[] {vocabulary, hiddenSize},
                Initializer.uniform(INIT_RANGE));
        this.cell = java.util.Objects.requireNonNull(cells, "cells").create(params, "cell", hiddenSize, hiddenSize,
                Initializer.uniform(INIT_RANGE));
        this.bias = params.add("decoder.bias", new long[] {vocabulary}, Initializer.constant(0));
        this.rng = new SplittableRandom(seed);
    }

    /** Declares a cell of a {@link RecurrentLanguageModel}. */
    @FunctionalInterface
    public interface CellFactory {
        /** Declares the cell's parameters in {@code params} under {@code name} and returns it. */
        RecurrentCell create(ParameterSet params, String name, int inputSize, int hiddenSize, Initializer initializer);
    }

    private static CellFactory fixedCell(RecurrentGenotype genotype) {
        java.util.Objects.requireNonNull(genotype, "genotype");
        return (params, name, inputSize, hiddenSize, init) -> new GenotypeCell(params, name, genotype, inputSize,
                hiddenSize, init);
    }

    /** The cell between the embedding and the decoder. */
    public RecurrentCell cell() {
        return cell;
    }

    /** The embedding {@code encoder.weight [V, H]}, also the decoder's weight (tied): the live array, not a copy. */
    public INDArray embeddingWeights() {
        return embedding.value();
    }

    /** The decoder's bias {@code decoder.bias [V]}: the live array, not a copy. */
    public INDArray decoderBias() {
        return bias.value();
    }

    /** The dropout rates (training only). */
    public LanguageModelDropout dropout() {
        return dropout;
    }

    /** The weight of the slowness term (training only). */
    public double slowness() {
        return slowness;
    }

    /**
     * The decoder's output of the last {@link #forward}, {@code [length * batch, V]} step-major, before the softmax:
     * {@code softmax} of a row is the model's next-token distribution at that position. Owned by the model (the
     * next forward overwrites it).
     */
    public INDArray logits() {
        if (hidden == null) {
            throw new IllegalStateException("logits() needs a forward() first");
        }
        return logits.get(embedding.value().dataType(), (long) length * batch, vocabulary);
    }

    /** Tokens. */
    public int vocabulary() {
        return vocabulary;
    }

    /** Embedding and hidden size. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** Restarts the dropout masks' generator (so that two forward calls can draw the same masks). */
    public void reseed(long seed) {
        rng = new SplittableRandom(seed);
    }

    /** Forgets the hidden state: the next segment starts from zero. */
    public void resetState() {
        state = null;
    }

    /** A copy of the hidden state the next segment starts from, {@code [batch, hidden]}; zeros if none yet. */
    public INDArray state(int rows) {
        if (state == null || state.size(0) != rows) {
            return Nd4j.zeros(embedding.value().dataType(), rows, hiddenSize);
        }
        return state.dup();
    }

    /** Makes the next segment start from {@code newState} {@code [batch, hidden]} (copied). */
    public void restoreState(INDArray newState) {
        if (newState.rank() != 2 || newState.size(1) != hiddenSize) {
            throw new IllegalArgumentException("state must be [batch, " + hiddenSize + "], but was "
                    + Arrays.toString(newState.shape()));
        }
        state = newState.castTo(embedding.value().dataType()).dup();
    }

    /**
     * Runs one segment and returns its loss: the mean cross-entropy of {@code targets} (plus the slowness term in
     * training).
     *
     * @param inputs  token ids, step-major ({@code inputs[t * batch + b]}), length a multiple of {@code batch}
     * @param targets the next token at each position, same layout
     * @param batch   sequences side by side
     * @param mode    training (dropout, slowness) or inference
     * @return the loss
     */
    public double forward(int[] inputs, int[] targets, int batch, Mode mode) {
        return forward(inputs, targets, batch, mode, true);
    }

    /**
     * As {@link #forward(int[], int[], int, Mode)}; with {@code regularized} false the training loss is the
     * cross-entropy alone (DARTS' architecture step, the reference's {@code RNNModelSearch._loss}), and so is the
     * gradient of the following {@link #backward()}.
     */
    public double forward(int[] inputs, int[] targets, int batch, Mode mode, boolean regularized) {
        if (batch < 1 || inputs.length == 0 || inputs.length % batch != 0 || targets.length != inputs.length) {
            throw new IllegalArgumentException("inputs and targets must have the same length, a positive multiple of"
                    + " batch=" + batch + ", but had " + inputs.length + " and " + targets.length);
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] < 0 || inputs[i] >= vocabulary || targets[i] < 0 || targets[i] >= vocabulary) {
                throw new IllegalArgumentException("token ids must be in [0, " + vocabulary + "), but position " + i
                        + " had input " + inputs[i] + " and target " + targets[i]);
            }
        }
        DataType type = embedding.value().dataType();
        training = mode == Mode.TRAINING;
        this.regularized = regularized;
        int n = inputs.length;
        this.length = n / batch;
        this.batch = batch;
        if (state == null || state.size(0) != batch) {
            state = Nd4j.zeros(type, batch, hiddenSize);
        }
        ids = idBuffer.get(DataType.INT, n);
        ids.data().setData(inputs);
        INDArray x = embedded.get(type, n, hiddenSize);
        gather.exec(x, embedding.value(), ids);
        rowScale = null;
        if (training && dropout.embedding() > 0) {
            double[] words = drawMask(vocabulary, dropout.embedding());
            double[] rows = new double[n];
            for (int i = 0; i < n; i++) {
                rows[i] = words[inputs[i]];
            }
            rowScale = Nd4j.createFromArray(rows).castTo(type).reshape(n, 1);
            x.muliColumnVector(rowScale);
        }
        inputMask = training && dropout.input() > 0 ? mask(type, batch, dropout.input()) : null;
        if (inputMask != null) {
            perStep(x).muliRowVector(inputMask);
        }
        INDArray xMask = training && dropout.x() > 0 ? mask(type, batch, dropout.x()).reshape(batch, hiddenSize)
                : null;
        INDArray hMask = training && dropout.hidden() > 0 ? mask(type, batch, dropout.hidden())
                .reshape(batch, hiddenSize) : null;
        hidden = cell.forward(x, state, batch, xMask, hMask, mode);
        state.assign(hidden.get(NDArrayIndex.interval((long) (length - 1) * batch, (long) n), NDArrayIndex.all()));
        INDArray out = outputs.get(type, n, hiddenSize);
        out.assign(hidden);
        outputMask = training && dropout.output() > 0 ? mask(type, batch, dropout.output()) : null;
        if (outputMask != null) {
            perStep(out).muliRowVector(outputMask);
        }
        INDArray z = logits.get(type, n, vocabulary);
        matmulTransposeB.exec(z, out, embedding.value());
        z.addiRowVector(bias.value().reshape(1, vocabulary));
        lastCrossEntropy = crossEntropy.forward(z, SoftmaxCrossEntropy.oneHot(targets, vocabulary, type));
        double loss = lastCrossEntropy;
        if (training && regularized && slowness > 0 && length > 1) {
            INDArray diff = later(hidden).sub(earlier(hidden));
            loss += slowness * diff.mul(diff).sumNumber().doubleValue() / diff.length();
        }
        return loss;
    }

    /** The cross-entropy part of the last {@link #forward} (without the slowness term). */
    public double crossEntropy() {
        return lastCrossEntropy;
    }

    /** Writes and marks the gradients of the last {@link #forward}'s loss for every parameter. */
    public void backward() {
        if (hidden == null) {
            throw new IllegalStateException("backward() needs a forward() first");
        }
        DataType type = embedding.value().dataType();
        int n = length * batch;
        INDArray dz = crossEntropy.backward();
        INDArray ones = onesRow.get(type, 1, n);
        ones.assign(1);
        matmul.exec(bias.gradient().reshape(1, vocabulary), ones, dz);
        INDArray out = outputs.get(type, n, hiddenSize);
        matmulTransposeA.exec(embedding.gradient(), dz, out);
        INDArray dh = outputGrad.get(type, n, hiddenSize);
        matmul.exec(dh, dz, embedding.value());
        if (outputMask != null) {
            perStep(dh).muliRowVector(outputMask);
        }
        if (slowness > 0 && length > 1 && training && regularized) {
            INDArray diff = later(hidden).sub(earlier(hidden)).muli(2 * slowness / ((double) (length - 1) * batch
                    * hiddenSize));
            INDArray g = slownessGrad.get(type, n, hiddenSize);
            g.assign(0);
            later(g).addi(diff);
            earlier(g).subi(diff);
            dh.addi(g);
        }
        INDArray dx = inputGrad.get(type, n, hiddenSize);
        dx.assign(cell.backward(dh));
        if (inputMask != null) {
            perStep(dx).muliRowVector(inputMask);
        }
        if (rowScale != null) {
            dx.muliColumnVector(rowScale);
        }
        scatterAdd.exec(embedding.gradient(), embedding.gradient(), ids, dx);
        embedding.markGradient();
        bias.markGradient();
    }

    private INDArray later(INDArray stepMajor) {
        return stepMajor.get(NDArrayIndex.interval((long) batch, (long) length * batch), NDArrayIndex.all());
    }

    private INDArray earlier(INDArray stepMajor) {
        return stepMajor.get(NDArrayIndex.interval(0, (long) (length - 1) * batch), NDArrayIndex.all());
    }

    /** An inverted-dropout mask of {@code rows * hiddenSize} entries as a row {@code [1, rows * hidden]}. */
    private INDArray mask(DataType type, int rows, double rate) {
        return Nd4j.createFromArray(drawMask(rows * hiddenSize, rate)).castTo(type).reshape(1, (long) rows
                * hiddenSize);
    }

    private double[] drawMask(int size, double rate) {
        double keep = 1.0 / (1.0 - rate);
        double[] m = new double[size];
        for (int i = 0; i < size; i++) {
            m[i] = rng.nextDouble() < rate ? 0.0 : keep;
        }
        return m;
    }

    /** {@code [length * batch, hidden]} as {@code [length, batch * hidden]}: a per-segment mask is a row vector. */
    private INDArray perStep(INDArray stepMajor) {
        return stepMajor.reshape('c', length, (long) batch * hiddenSize);
    }
}
