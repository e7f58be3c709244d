package org.nas4j.estimators.language;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.backend.NativeThreads;
import org.nas4j.estimators.data.CharacterCorpus;
import org.nas4j.estimators.engine.MemoryScope;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.GradientClipping;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Optimizer;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.engine.recurrent.LanguageModelDropout;
import org.nas4j.estimators.engine.recurrent.RecurrentLanguageModel;
import org.nas4j.spaces.recurrent.LanguageModelSize;
import org.nas4j.spaces.recurrent.RecurrentCellSpace;
import org.nas4j.spaces.recurrent.RecurrentGenotype;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains the language model of each candidate cell of a {@link RecurrentCellSpace} from scratch on a character
 * corpus for a number of truncated-BPTT steps and reports its perplexity on the validation split
 * ({@link Metric#VALIDATION_PERPLEXITY}, with {@link Metric#VALIDATION_LOSS} in nats per character,
 * {@link Metric#PARAMETERS} and {@link Metric#TRAINING_SECONDS}; {@link Metric#TEST_PERPLEXITY} on request).
 * Thread-safe: each evaluation builds its own model, seeded from the request.
 *
 * <p>Training follows the DARTS code's {@code rnn/train_search.py} where a short run allows: SGD at learning rate
 * 20 with gradient-norm clipping at 0.25 and weight decay 5e-7, sequences of 35 steps whose hidden state is carried
 * from segment to segment (reset when the data wraps around), the DARTS dropouts and slowness 1e-3. It differs in:
 * a fixed segment length (the reference draws it around 35 and scales the learning rate with it), and a fixed
 * number of steps instead of epochs. Evaluation is the reference's {@code evaluate}: the whole split in columns of
 * {@code evaluationBatch} (10), segments of 35, no dropout, the state carried; perplexity is {@code exp} of the
 * mean cross-entropy over every predicted character. With {@link Builder#averagedAfterStall} the training is the
 * reference evaluation's ({@code rnn/train.py}) NT-ASGD: SGD until the validation loss stalls, then averaged SGD.
 *
 * <pre>{@code
 * Estimator e = LanguageModelEstimator.builder(CharacterCorpus.read(path)).hiddenSize(64).steps(300).build();
 * }</pre>
 */
public final class LanguageModelEstimator implements Estimator {

    /** The optimizer of the weights. */
    public enum OptimizerKind {
        /** Plain SGD with weight decay, as the reference. */
        SGD,
        /** Adam with weight decay (faster on short runs). */
        ADAM
    }

    private final CharacterCorpus corpus;
    private final int hiddenSize;
    private final int batch;
    private final int bptt;
    private final int steps;
    private final OptimizerKind optimizer;
    private final double learningRate;
    private final double clip;
    private final double weightDecay;
    private final LanguageModelDropout dropout;
    private final double slowness;
    private final int evaluationBatch;
    private final boolean test;
    private final int nativeThreads;
    private final int nonmono;
    private final int evaluateEvery;
    private final TokenBatches train;
    private final TokenBatches validation;
    private final TokenBatches testSplit;

    private LanguageModelEstimator(Builder b) {
        this.corpus = b.corpus;
        this.hiddenSize = b.hiddenSize;
        this.batch = b.batch;
        this.bptt = b.bptt;
        this.steps = b.steps;
        this.optimizer = b.optimizer;
        this.learningRate = b.learningRate;
        this.clip = b.clip;
        this.weightDecay = b.weightDecay;
        this.dropout = b.dropout;
        this.slowness = b.slowness;
        this.evaluationBatch = b.evaluationBatch;
        this.test = b.test;
        this.nativeThreads = b.nativeThreads;
        this.nonmono = b.nonmono;
        this.evaluateEvery = b.evaluateEvery;
        this.train = new TokenBatches(corpus.train(), batch);
        this.validation = new TokenBatches(corpus.validation(), evaluationBatch);
        this.testSplit = new TokenBatches(corpus.test(), evaluationBatch);
    }

    /** A builder over {@code corpus}. */
    public static Builder builder(CharacterCorpus corpus) {
        return new Builder(Objects.requireNonNull(corpus, "corpus"));
    }

    @Override
    public String description() {
        return "language-model(corpus=" + corpus.name() + ", chars=" + corpus.length() + ", hidden=" + hiddenSize
                + ", batch=" + batch + ", bptt=" + bptt + ", steps=" + steps + ", optimizer=" + optimizer + ", lr="
                + learningRate + ", clip=" + clip + ", wd=" + weightDecay + ", dropout=" + dropout + ", slowness="
                + slowness + ", evalBatch=" + evaluationBatch
                + (nonmono > 0 ? ", ntAsgd=(nonmono=" + nonmono + ", every=" + evaluateEvery + ")" : "") + ")";
    }

    @Override
    public Map<Metric, Double> costs(Architecture architecture) {
        RecurrentGenotype g = genotypeOf(architecture);
        return Map.of(Metric.PARAMETERS, (double) new LanguageModelSize(corpus.vocabulary(), hiddenSize, hiddenSize)
                .parameters(g.size()));
    }

    @Override
    public Evaluation evaluate(EvaluationRequest request) {
        return evaluate(genotypeOf(request.architecture()), request.seed(), request.fidelity());
    }

    /**
     * Trains {@code genotype}'s model for {@code max(1, round(steps * fidelity))} steps and evaluates it; the same
     * as {@link #evaluate(EvaluationRequest)} for a cell outside any space (a published genotype).
     */
    public Evaluation evaluate(RecurrentGenotype genotype, long seed, double fidelity) {
        return evaluate(genotype, seed, fidelity, lm -> { });
    }

    /**
     * As {@link #evaluate(RecurrentGenotype, long, double)}, and hands the trained model to {@code trained} after
     * its evaluation (e.g. to export it: {@code LanguageModelExport.save}); the model's arrays are released when
     * {@code trained} returns. Not called when the training diverges.
     */
    public Evaluation evaluate(RecurrentGenotype genotype, long seed, double fidelity,
            java.util.function.Consumer<RecurrentLanguageModel> trained) {
        java.util.Objects.requireNonNull(trained, "trained");
        if (!(fidelity > 0 && fidelity <= 1)) {
            throw new IllegalArgumentException("fidelity must be in (0, 1], but was " + fidelity);
        }
        NativeThreads.choose(java.util.OptionalInt.of(nativeThreads), 1).applyToCurrentThread();
        try (MemoryScope scope = MemoryScope.open()) {
            long start = System.nanoTime();
            ParameterSet params = new ParameterSet(DataType.FLOAT, seed);
            RecurrentLanguageModel lm = new RecurrentLanguageModel(params, genotype, corpus.vocabulary(), hiddenSize,
                    dropout, slowness, seed ^ 0x5DEECE66DL);
            params.seal();
            Optimizer opt = optimizer == OptimizerKind.SGD
                    ? Sgd.builder(params, LearningRateSchedule.constant(learningRate)).weightDecay(weightDecay).build()
                    : Adam.builder(params, LearningRateSchedule.constant(learningRate)).weightDecay(weightDecay)
                            .build();
            int budget = (int) Math.max(1, Math.round(steps * fidelity));
            NonMonotonicAveraging averaging = nonmono > 0 ? new NonMonotonicAveraging(nonmono) : null;
            double bestLoss = Double.POSITIVE_INFINITY;
            INDArray best = null;
            int row = 0;
            for (int s = 0; s < budget; s++) {
                if (row >= train.rows() - 1) {
                    row = 0;
                    lm.resetState();
                }
                int length = train.length(row, bptt);
                double loss = lm.forward(train.inputs(row, bptt), train.targets(row, bptt), batch, Mode.TRAINING);
                if (!Double.isFinite(loss)) {
                    return new Evaluation(Map.of(Metric.VALIDATION_PERPLEXITY, Double.NaN), false);
                }
                lm.backward();
                if (clip > 0) {
                    GradientClipping.clipByGlobalNorm(params, clip);
                }
                opt.step();
                row += length;
                if (averaging != null) {
                    averaging.stepped(params.values());
                    if ((s + 1) % evaluateEvery == 0 || s + 1 == budget) {
                        double v = validateAveraged(lm, params, averaging);
                        if (!Double.isFinite(v)) {
                            return new Evaluation(Map.of(Metric.VALIDATION_PERPLEXITY, Double.NaN), false);
                        }
                        if (v < bestLoss) {
                            // the reference saves the model whenever its validation loss is the best so far
                            bestLoss = v;
                            best = averaging.averaging() && averaging.average() != null ? averaging.average().dup()
                                    : params.values().dup();
                        }
                        if (!averaging.averaging()) {
                            averaging.validated(v);
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double validLoss;
            if (averaging != null) {
                // the reference ends with the best saved model (rnn/train.py loads model.pt)
                params.values().assign(best);
                validLoss = bestLoss;
            } else {
                validLoss = meanCrossEntropy(lm, validation);
            }
            Map<Metric, Double> metrics = new LinkedHashMap<>();
            metrics.put(Metric.VALIDATION_PERPLEXITY, Math.exp(validLoss));
            metrics.put(Metric.VALIDATION_LOSS, validLoss);
            metrics.put(Metric.PARAMETERS, (double) params.size());
            metrics.put(Metric.TRAINING_SECONDS, seconds);
            if (test) {
                metrics.put(Metric.TEST_PERPLEXITY, Math.exp(meanCrossEntropy(lm, testSplit)));
            }
            trained.accept(lm);
            return new Evaluation(metrics, false);
        }
    }

    /**
     * The validation loss during NT-ASGD: of the SGD weights before the switch, of the averaged ones after it (the
     * weights are put back, and so is the carried training state).
     */
    private double validateAveraged(RecurrentLanguageModel lm, ParameterSet params, NonMonotonicAveraging averaging) {
        INDArray state = lm.state(batch);
        INDArray current = null;
        if (averaging.averaging() && averaging.average() != null) {
            current = params.values().dup();
            params.values().assign(averaging.average());
        }
        double v = meanCrossEntropy(lm, validation);
        if (current != null) {
            params.values().assign(current);
        }
        lm.restoreState(state);
        return v;
    }

    /** The mean cross-entropy over every predicted position of {@code split}, as the reference's evaluate. */
    static double meanCrossEntropy(RecurrentLanguageModel lm, TokenBatches split, int bptt) {
        lm.resetState();
        double total = 0;
        long positions = 0;
        for (int row = 0; row < split.rows() - 1; ) {
            int length = split.length(row, bptt);
            double loss = lm.forward(split.inputs(row, bptt), split.targets(row, bptt), split.batch(),
                    Mode.INFERENCE);
            total += loss * length * split.batch();
            positions += (long) length * split.batch();
            row += length;
        }
        lm.resetState();
        return total / positions;
    }

    private double meanCrossEntropy(RecurrentLanguageModel lm, TokenBatches split) {
        return meanCrossEntropy(lm, split, bptt);
    }

    private static RecurrentGenotype genotypeOf(Architecture architecture) {
        if (!(architecture.space() instanceof RecurrentCellSpace space)) {
            throw new IllegalArgumentException("architecture must belong to a recurrent cell space (darts-rnn,"
                    + " enas-rnn), but belongs to " + architecture.space().identity());
        }
        return space.genotype(architecture);
    }

    /** Options of a {@link LanguageModelEstimator}; every setter checks its value at once. */
    public static final class Builder {
        private final CharacterCorpus corpus;
        private int hiddenSize = 64;
        private int batch = 32;
        private int bptt = 35;
        private int steps = 300;
        private OptimizerKind optimizer = OptimizerKind.SGD;
        private double learningRate = 20;
        private double clip = 0.25;
        private double weightDecay = 5e-7;
        private LanguageModelDropout dropout = LanguageModelDropout.DARTS_PTB;
        private double slowness = 1e-3;
        private int evaluationBatch = 10;
        private boolean test;
        private int nativeThreads = 1;
        private int nonmono;
        private int evaluateEvery;

        private Builder(CharacterCorpus corpus) {
            this.corpus = corpus;
        }

        /** Embedding and hidden size, at least 1; default 64 (the reference: 300 in search, 850 in evaluation). */
        public Builder hiddenSize(int hiddenSize) {
            this.hiddenSize = positive("hiddenSize", hiddenSize);
            return this;
        }

        /** Training columns, at least 1; default 32 (the reference: 256 in search, 64 in evaluation). */
        public Builder batch(int batch) {
            this.batch = positive("batch", batch);
            return this;
        }

        /** Steps per truncated-BPTT segment, at least 1; default 35 (the reference's). */
        public Builder bptt(int bptt) {
            this.bptt = positive("bptt", bptt);
            return this;
        }

        /** Training segments (optimizer steps) at fidelity 1, at least 1; default 300. */
        public Builder steps(int steps) {
            this.steps = positive("steps", steps);
            return this;
        }

        /** SGD (the reference's) at {@code learningRate}; default SGD at 20. */
        public Builder sgd(double learningRate) {
            this.optimizer = OptimizerKind.SGD;
            this.learningRate = rate(learningRate);
            return this;
        }

        /** Adam at {@code learningRate} (e.g. 2e-3). */
        public Builder adam(double learningRate) {
            this.optimizer = OptimizerKind.ADAM;
            this.learningRate = rate(learningRate);
            return this;
        }

        /** Gradient-norm clipping bound, {@code >= 0} (0: none); default 0.25 (the reference's). */
        public Builder clip(double clip) {
            if (!(clip >= 0 && clip < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("clip must be finite and >= 0, but was " + clip);
            }
            this.clip = clip;
            return this;
        }

        /** L2 weight decay, {@code >= 0}; default 5e-7 (the reference's search). */
        public Builder weightDecay(double weightDecay) {
            if (!(weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("weightDecay must be finite and >= 0, but was " + weightDecay);
            }
            this.weightDecay = weightDecay;
            return this;
        }

        /** The dropouts; default {@link LanguageModelDropout#DARTS_PTB}. */
        public Builder dropout(LanguageModelDropout dropout) {
            this.dropout = Objects.requireNonNull(dropout, "dropout");
            return this;
        }

        /** Temporal activation regularisation weight, {@code >= 0}; default 1e-3 (the reference's beta). */
        public Builder slowness(double slowness) {
            if (!(slowness >= 0 && slowness < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("slowness must be finite and >= 0, but was " + slowness);
            }
            this.slowness = slowness;
            return this;
        }

        /** Columns of the validation and test splits, at least 1; default 10 (the reference's). */
        public Builder evaluationBatch(int evaluationBatch) {
            this.evaluationBatch = positive("evaluationBatch", evaluationBatch);
            return this;
        }

        /** Whether to report {@link Metric#TEST_PERPLEXITY} too; default false. */
        public Builder test(boolean test) {
            this.test = test;
            return this;
        }

        /**
         * Native threads (OpenMP, BLAS) of each evaluation, at least 1; default 1: the arrays of a character model
         * are too small to share among threads (measured 5-10x faster with one than with two on a loaded 2-core
         * machine). {@code OMP_NUM_THREADS} in the environment wins.
         */
        public Builder nativeThreads(int nativeThreads) {
            this.nativeThreads = positive("nativeThreads", nativeThreads);
            return this;
        }

        /**
         * NT-ASGD (the DARTS code's {@code rnn/train.py}, after AWD-LSTM): the validation split is evaluated every
         * {@code evaluateEvery} training segments and at the end (the reference: every epoch); once a validation
         * loss is worse than the best one from before the last {@code nonmono} evaluations (the reference's
         * {@code --nonmono 5}) the SGD steps go on and their running average is what is evaluated from then on
         * ({@link NonMonotonicAveraging}); the reported losses are the best evaluation's (the reference keeps the
         * best model), and its weights are the trained model's. Needs {@link #sgd}. Default: off (plain SGD, the
         * validation split evaluated once at the end).
         *
         * @param nonmono       evaluations a stall is judged over, at least 1
         * @param evaluateEvery training segments between two evaluations, at least 1
         */
        public Builder averagedAfterStall(int nonmono, int evaluateEvery) {
            this.nonmono = positive("nonmono", nonmono);
            this.evaluateEvery = positive("evaluateEvery", evaluateEvery);
            return this;
        }

        /** The estimator; an exception when a split is too short for its batch. */
        public LanguageModelEstimator build() {
            if (nonmono > 0 && optimizer != OptimizerKind.SGD) {
                throw new IllegalArgumentException("averagedAfterStall (NT-ASGD) averages SGD steps, but the optimizer"
                        + " was " + optimizer);
            }
            return new LanguageModelEstimator(this);
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be >= 1, but was " + value);
            }
            return value;
        }

        private static double rate(double learningRate) {
            if (!(learningRate > 0 && learningRate < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("learningRate must be finite and > 0, but was " + learningRate);
            }
            return learningRate;
        }
    }
}
