package org.nas4j.estimators.oneshot;

import static org.nas4j.core.config.Require.positive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.RunningStatistics;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.GradientClipping;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.engine.supernet.GdasPolicy;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.PathDropoutPolicy;
import org.nas4j.estimators.engine.supernet.ProxylessPolicy;
import org.nas4j.estimators.engine.supernet.Supernet;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.training.Batches;
import org.nas4j.estimators.training.TrainingDivergedException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a {@link Supernet}, the part every one-shot method shares: the bilevel split of the training data (a part
 * for the weights, a part for the architecture weights and the epoch's validation), an SGD weight optimizer with a
 * cosine schedule and an Adam architecture optimizer (DARTS' settings by default), gradient clipping, epochs and
 * steps, an epoch checkpoint of the whole state, cooperative cancellation between steps and per-epoch events.
 *
 * <p>One step: an architecture step on an architecture batch (if the policy has architecture weights, the epoch is
 * past the warm-up and the step is one of every {@link Builder#architectureEvery}), then a weight step on a weight
 * batch; {@link Builder#weightsFirst()} swaps them (GDAS' order). The architecture gradient is first order by
 * default; {@link Builder#secondOrder()} makes it DARTS' second order, and an {@link ArchitectureGradient} replaces
 * it (ProxylessNAS' latency loss, {@link LatencyLoss#firstOrderGradient()}).
 *
 * <p>Determinism and resumption: every epoch draws its data order and reseeds the path policy from the seed and the
 * epoch's index, so an epoch depends only on the state at its start; {@link #save} writes that state (weights,
 * running statistics, architecture weights, both optimizers' moments and step counts, the epoch) and a trainer that
 * {@link #restore}s it continues exactly as the saved one would have. Not thread-safe.
 *
 * <pre>{@code
 * SupernetTrainer trainer = SupernetTrainer.builder(supernet, data.train()).epochs(50).batchSize(64).seed(2).build();
 * while (trainer.epochsDone() < trainer.epochs()) {
 *     EpochReport r = trainer.trainEpoch();
 * }
 * }</pre>
 */
public final class SupernetTrainer {

    /** What an epoch measured; {@code derived} is empty for a policy without architecture weights. */
    public record EpochReport(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                              double validationAccuracy, double seconds, Optional<Architecture> derived,
                              double[][] architectureWeights) {
    }

    /**
     * Writes the gradient of the architecture weights for one architecture step (the trainer clears every
     * gradient before and after). First order: the gradient of the architecture batch's loss at the current
     * weights; DARTS' second order: that of the loss after one unrolled weight step.
     */
    @FunctionalInterface
    public interface ArchitectureGradient {
        /**
         * @param trainer      the trainer (its supernet, weight optimizer and loss)
         * @param weightImages a weight batch (for the unrolled step)
         * @param weightLabels its one-hot labels
         * @param archImages   an architecture batch
         * @param archLabels   its one-hot labels
         * @return the architecture batch's loss
         */
        double compute(SupernetTrainer trainer, INDArray weightImages, INDArray weightLabels, INDArray archImages,
                INDArray archLabels);
    }

    private final Supernet supernet;
    private final Settings s;
    private final ImageDataset weightPart;
    private final ImageDataset archPart;
    private final Batches weightBatches;
    private final Batches archBatches;
    private final Batches validationBatches;
    private final Sgd weightOptimizer;
    private final Adam archOptimizer;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final int stepsPerEpoch;
    private final ArchitectureGradient architectureGradient;
    private final List<EpochListener> listeners;
    private final List<IntConsumer> epochStarts;
    private final List<Runnable> beforeWeightSteps;
    private final boolean validateEachEpoch;
    /** The architecture part in its stored order: the same validation samples every epoch. */
    private final int[] validationOrder;
    /** Correct predictions of the last weight step's batch. */
    private double lastCorrect;
    private int epochsDone;

    /** Receives each finished epoch. */
    @FunctionalInterface
    public interface EpochListener {
        void onEpoch(EpochReport report);
    }

    private SupernetTrainer(Builder b) {
        this.supernet = b.supernet;
        this.s = b.settings();
        boolean learned = supernet.policy() instanceof LearnedPathPolicy;
        if (s.architectureFraction() > 0) {
            ImageDataset[] split = b.train.split(s.architectureFraction(), Seeds.derive(s.seed(), "bilevel split"));
            this.weightPart = split[0];
            this.archPart = split[1];
        } else {
            this.weightPart = b.train;
            this.archPart = null;
        }
        if (learned && archPart == null) {
            throw new IllegalArgumentException("architectureFraction must be > 0 for a policy with architecture "
                    + "weights (" + supernet.policy().getClass().getSimpleName() + "), but was 0");
        }
        if (weightPart.size() < s.batchSize()) {
            throw new IllegalArgumentException("batchSize must be at most the " + weightPart.size() + " samples of "
                    + "the weight part, but was " + s.batchSize());
        }
        this.stepsPerEpoch = s.stepsPerEpoch() > 0 ? s.stepsPerEpoch() : weightPart.size() / s.batchSize();
        this.weightBatches = new Batches(weightPart, s.batchSize());
        this.archBatches = archPart == null ? null : new Batches(archPart, s.batchSize());
        this.validationBatches = archPart == null ? null : new Batches(archPart, s.batchSize());
        this.validationOrder = java.util.stream.IntStream.range(0, archPart == null ? 0 : archPart.size()).toArray();
        long totalSteps = (long) stepsPerEpoch * s.epochs();
        this.weightOptimizer = Sgd.builder(supernet.weights(),
                        LearningRateSchedule.cosine(s.weightLearningRate(), totalSteps, s.weightMinLearningRate()))
                .momentum(s.momentum()).nesterov(s.nesterov()).weightDecay(s.weightDecay()).build();
        this.archOptimizer = learned && !supernet.architectureParameters().parameters().isEmpty()
                ? Adam.builder(supernet.architectureParameters(),
                        LearningRateSchedule.constant(s.archLearningRate())).beta1(s.archBeta1()).beta2(s.archBeta2())
                        .weightDecay(s.archWeightDecay()).build()
                : null;
        this.architectureGradient = b.secondOrder > 0 && archOptimizer != null
                ? secondOrder(UnrolledArchitectureStep.builder(supernet, weightOptimizer).perturbation(b.secondOrder)
                        .build())
                : s.architectureGradient();
        this.listeners = List.copyOf(b.listeners);
        this.epochStarts = List.copyOf(b.epochStarts);
        this.beforeWeightSteps = List.copyOf(b.beforeWeightSteps);
        this.validateEachEpoch = b.validateEachEpoch;
    }

    /** Starts a trainer of {@code supernet} on {@code train} (split into the weight and architecture parts). */
    public static Builder builder(Supernet supernet, ImageDataset train) {
        return new Builder(supernet, train);
    }

    /** The supernet. */
    public Supernet supernet() {
        return supernet;
    }

    /** The weight optimizer (its momentum and learning rate serve DARTS' unrolled step). */
    public Sgd weightOptimizer() {
        return weightOptimizer;
    }

    /** The loss (softmax cross-entropy). */
    public SoftmaxCrossEntropy loss() {
        return loss;
    }

    /** The settings. */
    public Settings settings() {
        return s;
    }

    /** The epochs to train. */
    public int epochs() {
        return s.epochs();
    }

    /** Epochs finished (and restored). */
    public int epochsDone() {
        return epochsDone;
    }

    /** The part of the training data held out for the architecture (empty if none). */
    public Optional<ImageDataset> architecturePart() {
        return Optional.ofNullable(archPart);
    }

    /** Steps per epoch. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /**
     * Trains one epoch and measures it; an empty result if {@code stop} became true between two steps (the epoch
     * is then abandoned: the state is that of a partial epoch, and only a restored checkpoint continues exactly).
     *
     * @throws TrainingDivergedException if a loss is not finite
     */
    public Optional<EpochReport> trainEpoch(BooleanSupplier stop) {
        if (epochsDone >= s.epochs()) {
            throw new IllegalStateException("all " + s.epochs() + " epochs are trained");
        }
        int epoch = epochsDone;
        long start = System.nanoTime();
        epochStarts.forEach(h -> h.accept(epoch));
        supernet.policy().reseed(Seeds.derive(s.seed(), "policy", epoch));
        SplitMix64 order = new SplitMix64(Seeds.derive(s.seed(), "weight order", epoch));
        SplitMix64 archOrder = new SplitMix64(Seeds.derive(s.seed(), "architecture order", epoch));
        int[] perm = ImageDataset.permutation(weightPart.size(), order);
        int[] archPerm = archPart == null ? null : ImageDataset.permutation(archPart.size(), archOrder);
        int archCursor = 0;
        boolean archSteps = archOptimizer != null && epoch >= s.warmupEpochs();
        double lossSum = 0;
        double correct = 0;
        int b = s.batchSize();
        for (int step = 0; step < stepsPerEpoch; step++) {
            if (stop.getAsBoolean()) {
                return Optional.empty();
            }
            int from = (step * b) % (perm.length - perm.length % b);
            INDArray x = weightBatches.load(perm, from, b, null, null);
            INDArray y = weightBatches.oneHot(b);
            beforeWeightSteps.forEach(Runnable::run);
            boolean archStep = archSteps && step % s.architectureEvery() == 0;
            if (archStep && !s.weightsFirst()) {
                archCursor = architectureStep(x, y, archPerm, archCursor);
            }
            double l = weightStep(x, y);
            if (!Double.isFinite(l)) {
                throw new TrainingDivergedException(String.format(Locale.ROOT, "supernet training diverged: loss"
                        + " was %s at epoch %d, step %d", l, epoch + 1, step + 1));
            }
            lossSum += l;
            correct += lastCorrect;
            if (archStep && s.weightsFirst()) {
                archCursor = architectureStep(x, y, archPerm, archCursor);
            }
        }
        double[] validation = archPart == null || !validateEachEpoch ? new double[] {Double.NaN, Double.NaN}
                : validate();
        epochsDone++;
        Optional<Architecture> derived = supernet.policy() instanceof LearnedPathPolicy
                ? Optional.of(supernet.derive()) : Optional.empty();
        EpochReport report = new EpochReport(epochsDone, lossSum / stepsPerEpoch,
                100.0 * correct / ((double) stepsPerEpoch * b), validation[0], validation[1],
                (System.nanoTime() - start) / 1e9, derived, architectureWeights());
        listeners.forEach(l -> l.onEpoch(report));
        return Optional.of(report);
    }

    private double weightStep(INDArray x, INDArray y) {
        clearGradients();
        supernet.policy().architecturePasses(false);
        INDArray logits = supernet.forward(x, Mode.TRAINING);
        double l = loss.forward(logits, y);
        lastCorrect = weightBatches.correct(logits, s.batchSize());
        supernet.backward(loss.backward());
        supernet.architectureParameters().parameters().forEach(Parameter::clearGradient);
        if (s.gradientClip() > 0) {
            GradientClipping.clipByGlobalNorm(supernet.weights(), s.gradientClip());
        }
        weightOptimizer.step();
        return l;
    }

    private int architectureStep(INDArray x, INDArray y, int[] archPerm, int cursor) {
        int b = s.batchSize();
        if (cursor + b > archPerm.length) {
            cursor = 0;
        }
        INDArray ax = archBatches.load(archPerm, cursor, b, null, null);
        INDArray ay = archBatches.oneHot(b);
        clearGradients();
        supernet.policy().architecturePasses(true);
        double l = architectureGradient.compute(this, x, y, ax, ay);
        if (!Double.isFinite(l)) {
            throw new TrainingDivergedException("supernet training diverged: architecture loss was " + l);
        }
        supernet.weights().parameters().forEach(Parameter::clearGradient);
        archOptimizer.step();
        supernet.policy().afterArchitectureUpdate();
        clearGradients();
        return cursor + b;
    }

    /**
     * The first-order architecture gradient (DARTS' first order, GDAS, ProxylessNAS): forward and backward on the
     * architecture batch at the current weights.
     */
    public double firstOrderGradient(INDArray archImages, INDArray archLabels) {
        INDArray logits = supernet.forward(archImages, Mode.TRAINING);
        double ce = loss.forward(logits, archLabels);
        supernet.backward(loss.backward());
        return ce;
    }

    private void clearGradients() {
        supernet.weights().parameters().forEach(Parameter::clearGradient);
        supernet.architectureParameters().parameters().forEach(Parameter::clearGradient);
    }

    /**
     * Loss and accuracy (percent) of the supernet in inference on the architecture part (DARTS' validation). GDAS and
     * ProxylessNAS train one drawn path per step, so a batch norm's running statistics mix the paths drawn, while
     * validation runs the derived one (the argmax of each edge): read with those statistics, a derived path that the
     * draws seldom took validated at chance while it retrained to 66% (docs/oneshot.md, "Forty epochs"). Under them
     * the batch norms of a {@link ComposedSupernet} normalize with each validation batch's statistics here
     * (NAS-Bench-201's reference search cells keep no running statistics); DARTS' mixed edges run every op in every
     * step and keep the running ones.
     */
    private double[] validate() {
        boolean drawnPaths = supernet.policy() instanceof GdasPolicy || supernet.policy() instanceof ProxylessPolicy;
        if (drawnPaths && supernet instanceof ComposedSupernet composed) {
            return RunningStatistics.withBatchStatisticsInInference(composed.runningStatistics(), true,
                    this::validateInInference);
        }
        return validateInInference();
    }

    private double[] validateInInference() {
        int b = s.batchSize();
        int n = s.validationSamples() > 0 ? Math.min(s.validationSamples(), archPart.size()) : archPart.size();
        double lossSum = 0;
        int correct = 0;
        for (int from = 0; from < n; from += b) {
            int count = Math.min(b, n - from);
            INDArray logits = supernet.forward(validationBatches.load(validationOrder, from, count, null, null),
                    Mode.INFERENCE);
            lossSum += loss.forward(logits, validationBatches.oneHot(count)) * count;
            correct += validationBatches.correct(logits, count);
        }
        return new double[] {lossSum / n, 100.0 * correct / n};
    }

    /** {@code softmax} of each edge's architecture weights (empty for a policy without them). */
    public double[][] architectureWeights() {
        if (!(supernet.policy() instanceof LearnedPathPolicy learned)) {
            return new double[0][];
        }
        int edges = (int) learned.alpha().shape()[0];
        double[][] w = new double[edges][];
        for (int e = 0; e < edges; e++) {
            w[e] = learned.probabilities(e);
        }
        return w;
    }

    /**
     * Writes the state at the end of the last finished epoch to {@code file} (atomically: a killed write leaves
     * the previous checkpoint), with {@code extra} text of the caller's (a strategy's history).
     */
    public void save(Path file, String extra) throws IOException {
        TrainerCheckpoint.write(file, description(), epochsDone, supernet, weightOptimizer.state(),
                archOptimizer == null ? null : archOptimizer.state(), extra);
    }

    /**
     * Restores a state written by {@link #save} of a trainer with the same description (supernet, data split and
     * settings); returns the caller's extra text.
     *
     * @throws IllegalArgumentException if the checkpoint was written by a differently configured trainer
     */
    public String restore(Path file) throws IOException {
        TrainerCheckpoint c = TrainerCheckpoint.read(file, description(), supernet);
        weightOptimizer.restore(c.weightOptimizer());
        if (archOptimizer != null) {
            archOptimizer.restore(c.architectureOptimizer());
        }
        epochsDone = c.epochs();
        return c.extra();
    }

    /** A stable text of the settings and the supernet's size (a checkpoint is restored only into its equal). */
    public String description() {
        return s + " weights=" + supernet.weights().size() + " architecture="
                + supernet.architectureParameters().size() + " weightPart=" + weightPart.size() + " archPart="
                + (archPart == null ? 0 : archPart.size());
    }

    /**
     * The trainer's settings; see {@link Builder} for each one's meaning and default.
     *
     * @param epochs                 epochs to train
     * @param batchSize              samples per batch (weight and architecture batches alike)
     * @param stepsPerEpoch          steps per epoch; 0: one pass over the weight part
     * @param architectureFraction   share of the training data for the architecture part
     * @param weightLearningRate     SGD's initial learning rate (cosine schedule)
     * @param weightMinLearningRate  the cosine schedule's final learning rate
     * @param momentum               SGD momentum
     * @param nesterov               SGD with Nesterov momentum (GDAS', ProxylessNAS', ENAS'), not plain (DARTS')
     * @param weightDecay            SGD weight decay
     * @param gradientClip           global norm clip of the weight gradient; 0: none
     * @param archLearningRate       Adam's learning rate for the architecture weights
     * @param archBeta1              Adam's beta1
     * @param archBeta2              Adam's beta2
     * @param archWeightDecay        Adam's weight decay
     * @param warmupEpochs           epochs of weight steps only, before the architecture steps start
     * @param architectureEvery      an architecture step every this many weight steps
     * @param weightsFirst           the weight step before the architecture step (GDAS), not after (DARTS)
     * @param validationSamples      samples of the architecture part validated per epoch; 0: all
     * @param seed                   seed of the split, the data orders and the policy's draws
     * @param architectureGradient   how the architecture gradient is computed
     * @param gradientDescription    its stable description
     */
    public record Settings(int epochs, int batchSize, int stepsPerEpoch, double architectureFraction,
                           double weightLearningRate, double weightMinLearningRate, double momentum,
                           boolean nesterov, double weightDecay, double gradientClip, double archLearningRate,
                           double archBeta1, double archBeta2, double archWeightDecay, int warmupEpochs,
                           int architectureEvery, boolean weightsFirst, int validationSamples, long seed,
                           ArchitectureGradient architectureGradient, String gradientDescription) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "SupernetTrainer(epochs=%d, batchSize=%d, stepsPerEpoch=%d, "
                    + "architectureFraction=%s, sgd(lr=%s..%s, momentum=%s%s, weightDecay=%s, clip=%s), adam(lr=%s, "
                    + "betas=%s/%s, weightDecay=%s), warmupEpochs=%d, architectureEvery=%d, weightsFirst=%s, "
                    + "validationSamples=%d, seed=%d, gradient=%s)", epochs, batchSize, stepsPerEpoch,
                    architectureFraction, weightLearningRate, weightMinLearningRate, momentum,
                    nesterov ? " nesterov" : "", weightDecay,
                    gradientClip, archLearningRate, archBeta1, archBeta2, archWeightDecay, warmupEpochs,
                    architectureEvery, weightsFirst, validationSamples, seed,
                    gradientDescription);
        }
    }

    /** The first-order architecture gradient. */
    public static final ArchitectureGradient FIRST_ORDER = (t, wx, wy, ax, ay) -> t.firstOrderGradient(ax, ay);

    /** DARTS' second-order gradient by {@code step} (one per trainer: it holds buffers of the supernet's size). */
    private static ArchitectureGradient secondOrder(UnrolledArchitectureStep step) {
        return (t, wx, wy, ax, ay) -> step.computeGradient(wx, wy, ax, ay);
    }

    /**
     * Builder of a {@link SupernetTrainer}; defaults are DARTS' search settings (Liu et al., ICLR 2019, the
     * reference's {@code cnn/train_search.py}): 50 epochs, batch 64, half the training data for the architecture,
     * SGD lr 0.025 cosine to 0.001, momentum 0.9, weight decay 3e-4, clip 5; Adam lr 3e-4, betas (0.5, 0.999),
     * weight decay 1e-3. Each setter validates its argument at once.
     */
    public static final class Builder {
        private final Supernet supernet;
        private final ImageDataset train;
        private int epochs = 50;
        private int batchSize = 64;
        private int stepsPerEpoch;
        private double architectureFraction = 0.5;
        private double weightLearningRate = 0.025;
        private double weightMinLearningRate = 0.001;
        private double momentum = 0.9;
        private boolean nesterov;
        private double weightDecay = 3e-4;
        private double gradientClip = 5;
        private double archLearningRate = 3e-4;
        private double archBeta1 = 0.5;
        private double archBeta2 = 0.999;
        private double archWeightDecay = 1e-3;
        private int warmupEpochs;
        private int architectureEvery = 1;
        private boolean weightsFirst;
        private int validationSamples;
        private long seed;
        private ArchitectureGradient architectureGradient = FIRST_ORDER;
        private String gradientDescription = "first-order";
        private double secondOrder;
        private final List<EpochListener> listeners = new ArrayList<>();
        private final List<IntConsumer> epochStarts = new ArrayList<>();
        private final List<Runnable> beforeWeightSteps = new ArrayList<>();
        private boolean validateEachEpoch = true;

        private Builder(Supernet supernet, ImageDataset train) {
            this.supernet = Objects.requireNonNull(supernet, "supernet");
            this.train = Objects.requireNonNull(train, "train");
        }

        public Builder epochs(int epochs) {
            this.epochs = positive("epochs", epochs);
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = positive("batchSize", batchSize);
            return this;
        }

        /** Steps per epoch (a cap for short searches); default 0: one pass over the weight part. */
        public Builder stepsPerEpoch(int steps) {
            if (steps < 0) {
                throw new IllegalArgumentException("stepsPerEpoch must be >= 0, but was " + steps);
            }
            this.stepsPerEpoch = steps;
            return this;
        }

        /**
         * Share of the training data held out for the architecture steps and the epoch's validation, in [0, 1);
         * 0 trains the weights on all of it (single-path methods without architecture weights).
         */
        public Builder architectureFraction(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("architectureFraction must be in [0, 1), but was " + fraction);
            }
            this.architectureFraction = fraction;
            return this;
        }

        /** SGD for the weights: initial learning rate, cosine-annealed to {@code minLearningRate}. */
        public Builder weightOptimizer(double learningRate, double minLearningRate, double momentum,
                double weightDecay) {
            this.weightLearningRate = nonNegative("weight learningRate", learningRate);
            this.weightMinLearningRate = nonNegative("weight minLearningRate", minLearningRate);
            this.momentum = nonNegative("momentum", momentum);
            this.weightDecay = nonNegative("weightDecay", weightDecay);
            return this;
        }

        /**
         * SGD with Nesterov momentum (default off, as DARTS' reference; the references of GDAS, ProxylessNAS and ENAS
         * use it). It needs a momentum above 0, and the second-order architecture step refuses it (its unrolled step
         * is plain momentum's).
         */
        public Builder nesterov(boolean on) {
            this.nesterov = on;
            return this;
        }

        /** Global-norm clip of the weight gradient; 0 turns it off. */
        public Builder gradientClip(double maxNorm) {
            this.gradientClip = nonNegative("gradientClip", maxNorm);
            return this;
        }

        /** Adam for the architecture weights. */
        public Builder architectureOptimizer(double learningRate, double beta1, double beta2, double weightDecay) {
            this.archLearningRate = nonNegative("architecture learningRate", learningRate);
            this.archBeta1 = nonNegative("beta1", beta1);
            this.archBeta2 = nonNegative("beta2", beta2);
            this.archWeightDecay = nonNegative("architecture weightDecay", weightDecay);
            return this;
        }

        /** Epochs of weight steps only before the architecture steps start (ProxylessNAS' warm-up). */
        public Builder warmupEpochs(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("warmupEpochs must be >= 0, but was " + epochs);
            }
            this.warmupEpochs = epochs;
            return this;
        }

        /** An architecture step every {@code steps} weight steps (ProxylessNAS: 5); default 1. */
        public Builder architectureEvery(int steps) {
            this.architectureEvery = positive("architectureEvery", steps);
            return this;
        }

        /** The weight step before the architecture step, as GDAS' code does; default after (DARTS). */
        public Builder weightsFirst() {
            this.weightsFirst = true;
            return this;
        }

        /** Samples of the architecture part validated at the end of each epoch; default 0: all of it. */
        public Builder validationSamples(int samples) {
            if (samples < 0) {
                throw new IllegalArgumentException("validationSamples must be >= 0, but was " + samples);
            }
            this.validationSamples = samples;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * How the architecture gradient is computed; default {@link #FIRST_ORDER}. {@code description} names it
         * in the trainer's description (a checkpoint is restored only by a trainer with the same), e.g. {@code
         * latency.toString()}.
         */
        public Builder architectureGradient(String description, ArchitectureGradient gradient) {
            this.gradientDescription = Objects.requireNonNull(description, "description");
            this.architectureGradient = Objects.requireNonNull(gradient, "architectureGradient");
            this.secondOrder = 0;
            return this;
        }

        /**
         * DARTS' second-order architecture gradient ({@link UnrolledArchitectureStep}: one unrolled SGD step with
         * the weight optimizer's learning rate, momentum and weight decay, and the finite-difference
         * Hessian-vector product with the reference's {@code r = 0.01}).
         */
        public Builder secondOrder() {
            return secondOrder(0.01);
        }

        /** DARTS' second-order gradient with the finite difference's perturbation norm {@code r} (> 0). */
        public Builder secondOrder(double r) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("r must be finite and > 0, but was " + r);
            }
            this.secondOrder = r;
            this.gradientDescription = "second-order(r=" + r + ")";
            return this;
        }

        /**
         * Called with the epoch's index (from 0) before each epoch trains: where a schedule sets the policy's
         * per-epoch settings (GDAS' temperature, the path-dropout rate, see {@link #linearPathDropout}).
         */
        public Builder onEpochStart(IntConsumer hook) {
            epochStarts.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * Bender et al.'s schedule for a {@link PathDropoutPolicy} supernet: the drop rate rises linearly from 0 at
         * the first epoch to {@code finalRate} at the last.
         */
        public Builder linearPathDropout(double finalRate) {
            if (!(supernet.policy() instanceof PathDropoutPolicy dropout)) {
                throw new IllegalArgumentException("linearPathDropout needs a PathDropoutPolicy supernet, but its"
                        + " policy was " + supernet.policy().getClass().getSimpleName());
            }
            if (!(finalRate >= 0 && finalRate < 1)) {
                throw new IllegalArgumentException("finalRate must be in [0, 1), but was " + finalRate);
            }
            return onEpochStart(epoch -> dropout.rate(finalRate * epoch / Math.max(1, epochs - 1)));
        }

        /** Called before every weight step: where ENAS sets the path its controller samples for the step. */
        public Builder beforeWeightStep(Runnable hook) {
            beforeWeightSteps.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * Whether each epoch ends with a validation of the supernet on the architecture part (default true; a
         * strategy that measures its own candidates turns it off).
         */
        public Builder validateEachEpoch(boolean on) {
            this.validateEachEpoch = on;
            return this;
        }

        public Builder listener(EpochListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        Settings settings() {
            return new Settings(epochs, batchSize, stepsPerEpoch, architectureFraction, weightLearningRate,
                    weightMinLearningRate, momentum, nesterov, weightDecay, gradientClip, archLearningRate,
                    archBeta1, archBeta2, archWeightDecay, warmupEpochs, architectureEvery, weightsFirst,
                    validationSamples, seed, architectureGradient, gradientDescription);
        }

        public SupernetTrainer build() {
            return new SupernetTrainer(this);
        }

        private static double nonNegative(String name, double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(name + " must be a finite number >= 0, but was " + value);
            }
            return value;
        }
    }
}
