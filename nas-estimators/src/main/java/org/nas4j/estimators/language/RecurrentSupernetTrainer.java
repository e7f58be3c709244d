package org.nas4j.estimators.language;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.nas4j.estimators.backend.NativeThreads;
import org.nas4j.estimators.data.CharacterCorpus;
import org.nas4j.estimators.engine.MemoryScope;
import org.nas4j.estimators.engine.recurrent.DartsSearchCell;
import org.nas4j.estimators.engine.recurrent.LanguageModelDropout;
import org.nas4j.spaces.recurrent.RecurrentCellDerivation;
import org.nas4j.spaces.recurrent.RecurrentGenotype;

/**
 * DARTS over the recurrent cell (the DARTS code's {@code rnn/train_search.py} with {@code rnn/architect.py};
 * first order by default, second order with {@link Builder#unrolled}): the language model around a
 * {@link DartsSearchCell} on a character corpus, alternating per segment an architecture step and a weight step. The architecture step runs a segment of
 * the validation split (its own carried hidden state, the model in training mode with its dropouts) and moves the
 * architecture weights by Adam (learning rate 3e-3, weight decay 1e-3, betas 0.9 and 0.999) on the cross-entropy
 * alone; the weight step runs a segment of the training split (cross-entropy plus slowness) and moves the weights by
 * SGD with gradient-norm clipping. At the end the cell is derived by {@link RecurrentCellDerivation#derive}.
 * Architecture weights start as {@code 1e-3 * N(0, 1)}, as the reference's. Given a checkpoint file
 * ({@link #search(long, Optional, BooleanSupplier)}, the journal directory's {@link #CHECKPOINT} under a runner) the
 * whole state (weights, architecture weights, both optimizers' moments, the batch norm's running statistics, where
 * each split is read and its carried hidden state, the losses so far) is written every
 * {@link Builder#checkpointEvery} segments; the random draws of a segment come from the seed and its index, so a
 * killed search resumes where it was and ends with the same result.
 *
 * <p>The reference's defaults, and what a default run here scales down: {@code emsize = nhid = 300} (here 32),
 * {@code batch_size=256} (32), 50 epochs (a number of segments, 100), {@code bptt=35} drawn per segment with the
 * learning rate scaled by the length ({@link SegmentLength#SEARCH}; fixed 35 by default), SGD at 20 with clipping
 * 0.25 and weight decay 5e-7, dropouts {@link LanguageModelDropout#DARTS_PTB}, {@code beta=1e-3}, 8 nodes, batch norm on every state: all as the
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
     * @param gradientNorms    the global norm of every weight step's gradient before clipping (NaN without)
     * @param seconds          wall-clock seconds of the search
     */
    public record Result(RecurrentGenotype genotype, double[][] weights, double[] trainingLosses,
            double[] validationLosses, double[] gradientNorms, double seconds) {

        /** The derived cell in the DARTS code's text, {@code Genotype(recurrent=[...], concat=range(1, 9))}. */
        public String genotypeText() {
            return genotype.toString();
        }
    }

    /** The options of a search, as the builder checked them. */
    record Settings(CharacterCorpus corpus, int hiddenSize, int batch, int bptt, int segments, int nodes,
            double learningRate, double clip, double weightDecay, double architectureLearningRate,
            double architectureWeightDecay, LanguageModelDropout dropout, double slowness, boolean batchNorm,
            int nativeThreads, SegmentLength length, int checkpointEvery, boolean unrolled) {
    }

    /** The file of a search's checkpoint in a journal's directory. */
    public static final String CHECKPOINT = "darts-rnn-checkpoint.bin";

    private final Settings s;

    private RecurrentSupernetTrainer(Builder b) {
        this.s = new Settings(b.corpus, b.hiddenSize, b.batch, b.bptt, b.segments, b.nodes, b.learningRate, b.clip,
                b.weightDecay, b.architectureLearningRate, b.architectureWeightDecay, b.dropout, b.slowness,
                b.batchNorm, b.nativeThreads, b.length, b.checkpointEvery, b.unrolled);
    }

    /** A builder over {@code corpus}. */
    public static Builder builder(CharacterCorpus corpus) {
        return new Builder(Objects.requireNonNull(corpus, "corpus"));
    }

    /** The options, for provenance (a checkpoint is restored only by a trainer of the same description). */
    public String description() {
        return "darts-rnn-search(corpus=" + s.corpus().name() + ", hidden=" + s.hiddenSize() + ", batch=" + s.batch()
                + ", bptt=" + s.bptt() + ", length=" + s.length().name().toLowerCase(java.util.Locale.ROOT)
                + ", segments=" + s.segments() + ", nodes=" + s.nodes() + ", lr=" + s.learningRate() + ", clip="
                + s.clip() + ", wd=" + s.weightDecay() + ", archLr=" + s.architectureLearningRate() + ", archWd="
                + s.architectureWeightDecay() + ", unrolled=" + s.unrolled() + ", dropout=" + s.dropout()
                + ", slowness=" + s.slowness() + ", batchNorm=" + s.batchNorm() + ")";
    }

    /** Segments between two checkpoints. */
    public int checkpointEvery() {
        return s.checkpointEvery();
    }

    /** Runs the search; every random draw (initial values, dropout masks, segment lengths) comes from {@code seed}. */
    public Result search(long seed) {
        return search(seed, Optional.empty(), () -> false).orElseThrow();
    }

    /**
     * Runs the search, resuming from {@code checkpoint} if that file exists and writing it every
     * {@link Builder#checkpointEvery} segments and at the end; a resumed search ends as an uninterrupted one of the
     * same seed (the same architecture weights and losses; only {@code seconds} differ).
     *
     * @param seed       the root of every random draw
     * @param checkpoint the checkpoint file (its folder is made if missing), or empty for none
     * @param stop       asked before every segment; when true the search stops there (what the last checkpoint
     *                   does not hold is lost) and the result is empty
     * @return the result, or empty if stopped
     * @throws IllegalArgumentException if the checkpoint was written by a trainer of another description
     * @throws UncheckedIOException     if the checkpoint cannot be read or written
     */
    public Optional<Result> search(long seed, Optional<Path> checkpoint, BooleanSupplier stop) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(stop, "stop");
        NativeThreads.choose(java.util.OptionalInt.of(s.nativeThreads()), 1).applyToCurrentThread();
        String description = description() + " seed=" + seed;
        try (MemoryScope scope = MemoryScope.open()) {
            long start = System.nanoTime();
            RecurrentSearchRun run = new RecurrentSearchRun(s, seed);
            if (checkpoint.isPresent() && Files.exists(checkpoint.get())) {
                run.restore(checkpoint.get(), description);
            }
            while (run.done() < s.segments()) {
                if (stop.getAsBoolean()) {
                    return Optional.empty();
                }
                run.segment();
                if (checkpoint.isPresent() && (run.done() % s.checkpointEvery() == 0
                        || run.done() == s.segments())) {
                    run.save(checkpoint.get(), description);
                }
            }
            double[][] w = run.architectureWeights();
            return Optional.of(new Result(RecurrentCellDerivation.derive(w), w, run.trainingLosses(),
                    run.validationLosses(), run.gradientNorms(), (System.nanoTime() - start) / 1e9));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write checkpoint " + checkpoint.orElseThrow(), e);
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
        private SegmentLength length = SegmentLength.FIXED;
        private int checkpointEvery = 10;
        private boolean unrolled;

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

        /** Steps per segment, at least 1; default 35 (the reference's; see {@link #segmentLength}). */
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

        /**
         * How each training segment's length is drawn; default {@link SegmentLength#FIXED} ({@code bptt}; the
         * reference's search: {@link SegmentLength#SEARCH}).
         */
        public Builder segmentLength(SegmentLength length) {
            this.length = Objects.requireNonNull(length, "length");
            return this;
        }

        /** Segments between two checkpoints of a search given a checkpoint file, at least 1; default 10. */
        public Builder checkpointEvery(int checkpointEvery) {
            this.checkpointEvery = positive("checkpointEvery", checkpointEvery);
            return this;
        }

        /**
         * Whether the architecture step is second order (the reference's {@code --unrolled}; {@code
         * rnn/architect.py}): the validation loss is taken after one virtual SGD step of the weights on the training
         * segment, and its architecture gradient gets the finite-difference Hessian-vector product term (see
         * {@link UnrolledRecurrentStep}); three more passes per segment. Default false (first order, the
         * reference's default).
         */
        public Builder unrolled(boolean unrolled) {
            this.unrolled = unrolled;
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
