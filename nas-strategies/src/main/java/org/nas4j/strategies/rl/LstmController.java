package org.nas4j.strategies.rl;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.nas4j.estimators.engine.HostArrays;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.Dense;
import org.nas4j.estimators.engine.ops.Embedding;
import org.nas4j.estimators.engine.ops.PolicyGradientLoss;
import org.nas4j.estimators.engine.recurrent.LstmCell;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The recurrent controller of Zoph and Le (ICLR 2017) and NASNet (Zoph et al., CVPR 2018), on the engine: a
 * one-layer {@link LstmCell} that emits the choice vector step by step, one softmax head per choice; the first input
 * is a learned start vector, every later input the embedding of the option chosen at the previous step.
 *
 * <p>Parameters, in order: one {@link Embedding} table whose row 0 is the start vector and whose other rows embed
 * the options of every choice but the last, the LSTM's four (PyTorch layout), and all heads stacked in one
 * {@link Dense} layer {@code [sum k_i, H]} (choice {@code i}'s head is its rows {@code [o_i, o_i + k_i)}). All are
 * initialised uniformly in {@code [-initRange, initRange]} (Zoph and Le: 0.08). The embedding size is {@code H}.
 *
 * <p>{@link #objective} runs the whole trajectory at once: one lookup for all inputs, the LSTM over the sequence,
 * one matmul for every step's heads (each step reads its own segment), the engine's {@link PolicyGradientLoss},
 * and backpropagation through time. Not thread-safe.
 */
public final class LstmController implements Policy {
    private final int[] sizes;
    private final int hidden;
    private final int[] headFrom;
    private final int[] embeddingFrom;
    private final int totalOptions;
    private final ParameterSet params;
    private final Embedding inputs;
    private final LstmCell lstm;
    private final Dense heads;
    private final PolicyGradientLoss loss = new PolicyGradientLoss();
    private final int[] segmentFrom;
    private final double[] probs;
    /** Per flat option: 0, or minus infinity for an option the mask removes. */
    private final double[] mask;
    private final INDArray maskRow;

    /**
     * A controller for choices with {@code sizes[i]} options, with {@code hidden} LSTM units, initialised from
     * {@code seed}.
     */
    public LstmController(int[] sizes, int hidden, double initRange, long seed) {
        this(sizes, hidden, initRange, seed, null);
    }

    /**
     * A controller that draws only the options {@code allowed[i][o]} allows: a removed option's logit reads as
     * minus infinity in every head, so it is never drawn, never fed back as the next step's input, and its logit
     * gets no gradient.
     *
     * @param allowed per choice and option, whether it may be drawn; null: every option
     */
    public LstmController(int[] sizes, int hidden, double initRange, long seed, boolean[][] allowed) {
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden must be >= 1, but was " + hidden);
        }
        this.sizes = Policy.checkSizes(sizes);
        this.hidden = hidden;
        int n = sizes.length;
        this.headFrom = Policy.offsets(sizes);
        this.totalOptions = Arrays.stream(sizes).sum();
        this.embeddingFrom = new int[n];
        for (int t = 0; t < n; t++) {
            embeddingFrom[t] = 1 + headFrom[t]; // row 0 is the start vector
        }
        int vocabulary = 1 + totalOptions - sizes[n - 1];
        Initializer init = Initializer.uniform(initRange);
        this.params = new ParameterSet(DataType.DOUBLE, seed);
        this.inputs = new Embedding(params, "input", vocabulary, hidden, init);
        this.lstm = new LstmCell(params, "lstm", hidden, hidden, init);
        this.heads = new Dense(params, "heads", hidden, totalOptions, init);
        params.seal();
        this.segmentFrom = new int[n];
        for (int t = 0; t < n; t++) {
            segmentFrom[t] = t * totalOptions + headFrom[t];
        }
        this.probs = new double[Arrays.stream(sizes).max().orElseThrow()];
        this.mask = Policy.maskOffsets(this.sizes, allowed);
        this.maskRow = Nd4j.createFromArray(mask).reshape(1, totalOptions);
    }

    @Override
    public ParameterSet parameters() {
        return params;
    }

    /** The number of LSTM units. */
    public int hidden() {
        return hidden;
    }

    @Override
    public int[] sample(RandomGenerator rng) {
        return sample(rng, 1)[0];
    }

    /** 8: a batched pass of 8 costs about as much as one vector (the native calls' overhead dominates). */
    @Override
    public int samplesPerPass() {
        return 8;
    }

    /** {@code count} vectors drawn in one batched pass: each native call serves all of them. */
    @Override
    public int[][] sample(RandomGenerator rng, int count) {
        int n = sizes.length;
        int[][] a = new int[count][n];
        int[] rows = new int[count];
        lstm.begin(count, n);
        for (int t = 0; t < n; t++) {
            for (int b = 0; b < count; b++) {
                rows[b] = t == 0 ? 0 : embeddingFrom[t - 1] + a[b][t - 1];
            }
            INDArray h = lstm.step(inputs.forward(rows));
            double[] logits = HostArrays.read(heads.forward(h, Mode.INFERENCE));
            int width = logits.length / count;
            for (int b = 0; b < count; b++) {
                for (int j = 0; j < sizes[t]; j++) {
                    logits[b * width + headFrom[t] + j] += mask[headFrom[t] + j];
                }
                PolicyGradientLoss.softmax(logits, b * width + headFrom[t], sizes[t], probs);
                a[b][t] = Policy.draw(probs, sizes[t], rng);
            }
        }
        return a;
    }

    @Override
    public double objective(int[] actions, double logProbWeight, double entropyWeight, boolean gradient) {
        int n = sizes.length;
        if (actions.length != n) {
            throw new IllegalArgumentException("actions must have " + n + " entries, but had " + actions.length);
        }
        int[] rows = new int[n];
        for (int t = 1; t < n; t++) {
            rows[t] = embeddingFrom[t - 1] + actions[t - 1];
        }
        INDArray x = inputs.forward(rows);
        INDArray logits = heads.forward(lstm.forward(x, 1), Mode.TRAINING).addRowVector(maskRow);
        double value = loss.forward(logits, segmentFrom, sizes, actions, logProbWeight, entropyWeight);
        if (gradient) {
            INDArray gradHidden = heads.backward(loss.backward());
            inputs.backward(lstm.backward(gradHidden));
        }
        return value;
    }
}
