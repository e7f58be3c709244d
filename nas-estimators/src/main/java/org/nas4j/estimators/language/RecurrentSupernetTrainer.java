package org.nas4j.estimators.language;

import java.util.Objects;
import org.nas4j.estimators.backend.NativeThreads;
import org.nas4j.estimators.data.CharacterCorpus;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.MemoryScope;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.GradientClipping;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Optimizer;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.engine.recurrent.DartsSearchCell;
import org.nas4j.estimators.engine.recurrent.LanguageModelDropout;
import org.nas4j.estimators.engine.recurrent.RecurrentLanguageModel;
import org.nas4j.spaces.recurrent.RecurrentCellDerivation;
import org.nas4j.spaces.recurrent.RecurrentGenotype;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * First-order DARTS over the recurrent cell (the DARTS code's {@code rnn/train_search.py} without {@code
 * --unrolled}, with {@code rnn/architect.py}): the language model around a {@link DartsSearchCell} on a character
 * corpus, alternating per segment an architecture step and a weight step. The architecture step runs a segment of
 * the validation split (its own carried hidden state, the model in training mode with its dropouts) and moves the
 * architecture weights by Adam (learning rate 3e-3, weight decay 1e-3, betas 0.9 and 0.999) on the cross-entropy
 * alone; the weight step runs a segment of the training split (cross-entropy plus slowness) and moves the weights by
 * SGD with gradient-norm clipping. At the end the cell is derived by {@link RecurrentCellDerivation#derive}.
 * Architecture weights start as {@code 1e-3 * N(0, 1)}, as the reference's.
 *
 * <p>The reference's defaults, and what a default run here scales down: {@code emsize = nhid = 300} (here 32),
 * {@code batch_size=256} (32), 50 epochs (a number of segments, 100), {@code bptt=35} drawn around 35 with the
 * learning rate scaled by the length (fixed 35), SGD at 20 with clipping 0.25 and weight decay 5e-7, dropouts
 * {@link LanguageModelDropout#DARTS_PTB}, {@code beta=1e-3}, 8 nodes, batch norm on every state: all as the
 * reference.
 *
 * <pre>{@code
 * RecurrentSupernetTrainer.Result r = RecurrentSupernetTrainer.builder(corpus).segments(200).build().search(seed);
 * r.genotype();   // Genotype(recurrent=[...], concat=range(1, 9))
 * }</pre>
 *
 * Immutable; each {@link #search} builds its own model.
 */
public final class RecurrentSupernetTrainer {

    /**
     * What a search found and how it went.
     *
     * @param genotype         the derived cell
     * @param weights          the architecture weights at the end (before the softmax), {@code [edges][5]}
     * @param trainingLosses   the cross-entropy of every weight step's training segment
     * @param validationLosses the cross-entropy of every architecture step's validation segment
     * @param seconds          wall-clock seconds of the search
     */
    public record Result(RecurrentGenotype genotype, double[][] weights, double[] trainingLosses,
            double[] validationLosses, double seconds) {

        /** The derived cell in the DARTS code's text, {@code Genotype(recurrent=[...], concat=range(1, 9))}. */
        public String genotypeText() {
            return genotype.toString();
        }
    }

    private final CharacterCorpus corpus;
    private final int hiddenSize;
    private final int batch;
    private final int bptt;
    private final int segments;
    private final int nodes;
    private final double learningRate;
    private final double clip;
    private final double weightDecay;
    private final double architectureLearningRate;
    private final double architectureWeightDecay;
    private final LanguageModelDropout dropout;
    private final double slowness;
    private final boolean batchNorm;
    private final int nativeThreads;

    private RecurrentSupernetTrainer(Builder b) {
        this.corpus = b.corpus;
        this.hiddenSize = b.hiddenSize;
        this.batch = b.batch;
        this.bptt = b.bptt;
        this.segments = b.segments;
        this.nodes = b.nodes;
        this.learningRate = b.learningRate;
        this.clip = b.clip;
        this.weightDecay = b.weightDecay;
        this.architectureLearningRate = b.architectureLearningRate;
        this.architectureWeightDecay = b.architectureWeightDecay;
        this.dropout = b.dropout;
        this.slowness = b.slowness;
        this.batchNorm = b.batchNorm;
        this.nativeThreads = b.nativeThreads;
    }

    /** A builder over {@code corpus}. */
    public static Builder builder(CharacterCorpus corpus) {
        return new Builder(Objects.requireNonNull(corpus, "corpus"));
    }

    /** The options, for provenance. */
    public String description() {
        return "darts-rnn-search(corpus=" + corpus.name() + ", hidden=" + hiddenSize + ", batch=" + batch + ", bptt="
                + bptt + ", segments=" + segments + ", nodes=" + nodes + ", lr=" + learningRate + ", clip=" + clip
                + ", wd=" + weightDecay + ", archLr=" + architectureLearningRate + ", archWd="
                + architectureWeightDecay + ", dropout=" + dropout + ", slowness=" + slowness + ", batchNorm="
                + batchNorm + ")";
    }

    /** Runs the search; every random draw (initial values, dropout masks) comes from {@code seed}. */
    public Result search(long seed) {
        NativeThreads.choose(java.util.OptionalInt.of(nativeThreads), 1).applyToCurrentThread();
        TokenBatches train = new TokenBatches(corpus.train(), batch);
        TokenBatches validation = new TokenBatches(corpus.validation(), batch);
        try (MemoryScope scope = MemoryScope.open()) {
            long start = System.nanoTime();
            ParameterSet architecture = new ParameterSet(DataType.FLOAT, seed ^ 0x2545F4914F6CDD1DL);
            Parameter alpha = architecture.add("weights", DartsSearchCell.weightsShape(nodes),
                    Initializer.normal(1e-3));
            architecture.seal();
            ParameterSet params = new ParameterSet(DataType.FLOAT, seed);
            RecurrentLanguageModel lm = new RecurrentLanguageModel(params, DartsSearchCell.factory(alpha, nodes,
                    batchNorm), corpus.vocabulary(), hiddenSize, dropout, slowness, seed ^ 0x5DEECE66DL);
            params.seal();
            Optimizer weights = Sgd.builder(params, LearningRateSchedule.constant(learningRate))
                    .weightDecay(weightDecay).build();
            Optimizer architect = Adam.builder(architecture, LearningRateSchedule.constant(architectureLearningRate))
                    .weightDecay(architectureWeightDecay).build();
            double[] trainingLosses = new double[segments];
            double[] validationLosses = new double[segments];
            INDArray trainState = null;
            INDArray validState = null;
            int row = 0;
            int validRow = 0;
            for (int s = 0; s < segments; s++) {
                if (validRow >= validation.rows() - 1) {
                    validRow = 0;
                    validState = null;
                }
                restore(lm, validState);
                int validLength = validation.length(validRow, bptt);
                validationLosses[s] = lm.forward(validation.inputs(validRow, bptt), validation.targets(validRow,
                        bptt), batch, Mode.TRAINING, false);
                requireFinite(validationLosses[s], "validation", s);
                lm.backward();
                architect.step();
                validState = lm.state(batch);
                validRow += validLength;

                if (row >= train.rows() - 1) {
                    row = 0;
                    trainState = null;
                }
                restore(lm, trainState);
                int length = train.length(row, bptt);
                double loss = lm.forward(train.inputs(row, bptt), train.targets(row, bptt), batch, Mode.TRAINING);
                trainingLosses[s] = lm.crossEntropy();
                requireFinite(loss, "training", s);
                lm.backward();
                if (clip > 0) {
                    GradientClipping.clipByGlobalNorm(params, clip);
                }
                weights.step();
                trainState = lm.state(batch);
                row += length;
            }
            double[][] w = alpha.value().castTo(DataType.DOUBLE).toDoubleMatrix();
            return new Result(RecurrentCellDerivation.derive(w), w, trainingLosses, validationLosses,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    private static void restore(RecurrentLanguageModel lm, INDArray state) {
        if (state == null) {
            lm.resetState();
        } else {
            lm.restoreState(state);
        }
    }

    private static void requireFinite(double loss, String split, int segment) {
        if (!Double.isFinite(loss)) {
            throw new ArithmeticException("the " + split + " loss of segment " + segment + " was " + loss);
        }
    }

    /** Options of a {@link RecurrentSupernetTrainer}; every setter checks its value at once. */
    public static final class Builder {
        private final CharacterCorpus corpus;
        private int hiddenSize = 32;
        private int batch = 32;
        private int bptt = 35;
        private int segments = 100;
        private int nodes = 8;
        private double learningRate = 20;
        private double clip = 0.25;
        private double weightDecay = 5e-7;
        private double architectureLearningRate = 3e-3;
        private double architectureWeightDecay = 1e-3;
        private LanguageModelDropout dropout = LanguageModelDropout.DARTS_PTB;
        private double slowness = 1e-3;
        private boolean batchNorm = true;
        private int nativeThreads = 1;

        private Builder(CharacterCorpus corpus) {
            this.corpus = corpus;
        }

        /** Embedding and hidden size, at least 1; default 32 (the reference's search: 300). */
        public Builder hiddenSize(int hiddenSize) {
            this.hiddenSize = positive("hiddenSize", hiddenSize);
            return this;
        }

        /** Columns of both splits, at least 1; default 32 (the reference: 256). */
        public Builder batch(int batch) {
            this.batch = positive("batch", batch);
            return this;
        }

        /** Steps per segment, at least 1; default 35 (the reference's, fixed here). */
        public Builder bptt(int bptt) {
            this.bptt = positive("bptt", bptt);
            return this;
        }

        /** Pairs of architecture and weight steps, at least 1; default 100 (the reference: 50 epochs). */
        public Builder segments(int segments) {
            this.segments = positive("segments", segments);
            return this;
        }

        /** Nodes after {@code s0}, at least 1; default 8 (the reference's {@code STEPS}, the darts-rnn space's). */
        public Builder nodes(int nodes) {
            this.nodes = positive("nodes", nodes);
            return this;
        }

        /** SGD learning rate of the weights, finite and {@code > 0}; default 20 (the reference's). */
        public Builder learningRate(double learningRate) {
            this.learningRate = positiveFinite("learningRate", learningRate);
            return this;
        }

        /** Gradient-norm clipping of the weights, {@code >= 0} (0: none); default 0.25 (the reference's). */
        public Builder clip(double clip) {
            this.clip = nonNegative("clip", clip);
            return this;
        }

        /** Weight decay of the weights, {@code >= 0}; default 5e-7 (the reference's {@code wdecay}). */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = nonNegative("weightDecay", weightDecay);
            return this;
        }

        /** Adam learning rate of the architecture weights, {@code > 0}; default 3e-3 ({@code arch_lr}). */
        public Builder architectureLearningRate(double rate) {
            this.architectureLearningRate = positiveFinite("architectureLearningRate", rate);
            return this;
        }

        /** Adam weight decay of the architecture weights, {@code >= 0}; default 1e-3 ({@code arch_wdecay}). */
        public Builder architectureWeightDecay(double decay) {
            this.architectureWeightDecay = nonNegative("architectureWeightDecay", decay);
            return this;
        }

        /** The dropouts; default {@link LanguageModelDropout#DARTS_PTB} (the reference's search). */
        public Builder dropout(LanguageModelDropout dropout) {
            this.dropout = Objects.requireNonNull(dropout, "dropout");
            return this;
        }

        /** Temporal activation regularisation of the weight step, {@code >= 0}; default 1e-3 ({@code beta}). */
        public Builder slowness(double slowness) {
            this.slowness = nonNegative("slowness", slowness);
            return this;
        }

        /** Whether every state goes through the cell's batch norm; default true (the reference's). */
        public Builder batchNorm(boolean batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        /** Native threads of the search, at least 1; default 1 (as {@link LanguageModelEstimator}). */
        public Builder nativeThreads(int nativeThreads) {
            this.nativeThreads = positive("nativeThreads", nativeThreads);
            return this;
        }

        /** The trainer; an exception when a split is too short for the batch. */
        public RecurrentSupernetTrainer build() {
            int validationRows = corpus.validation().length / batch;
            if (validationRows < 2 || corpus.train().length / batch < 2) {
                throw new IllegalArgumentException("batch=" + batch + " leaves fewer than 2 rows of the training ("
                        + corpus.train().length + ") or validation (" + corpus.validation().length
                        + ") characters");
            }
            return new RecurrentSupernetTrainer(this);
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be >= 1, but was " + value);
            }
            return value;
        }

        private static double positiveFinite(String name, double value) {
            if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(name + " must be finite and > 0, but was " + value);
            }
            return value;
        }

        private static double nonNegative(String name, double value) {
            if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(name + " must be finite and >= 0, but was " + value);
            }
            return value;
        }
    }
}
