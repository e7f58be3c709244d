package org.nas4j.estimators.oneshot;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Shape;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.RunningStatistics;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.training.Batches;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scores each candidate on a trained supernet with the weights it inherits from it (SPOS' search, Guo et al.,
 * ECCV 2020; random search with weight sharing, Li &amp; Talwalkar, UAI 2019): the supernet runs the candidate's
 * path ({@link ComposedSupernet#usePath}), its batch-norm running statistics are recomputed for that path, and it is
 * scored in inference mode on a fixed validation subset. Reports {@code valid_acc} (percent) and
 * {@code valid_loss}, as the training estimator does, and {@code params} and {@code flops} (multiply-adds) from
 * the space's cost model ({@link #costs}, which the runner also uses to reject candidates outside a constraint
 * without evaluating them).
 *
 * <p>One evaluation:
 * <ol>
 *   <li>sets the candidate's path;</li>
 *   <li>recalibration: resets every batch-norm layer's running statistics (mean 0, variance 1) and runs
 *       {@link Builder#recalibrationBatches} training-mode forward passes (no backward, no weight change) on batches
 *       of the training set drawn from the request's seed, each batch's statistics entering the running ones as a
 *       cumulative average ({@link RunningStatistics#averageCumulatively}): the statistics become those of the
 *       candidate's path, not those accumulated over the many paths trained;</li>
 *   <li>computes the accuracy and mean cross-entropy on the validation subset in inference mode; the subset of
 *       {@link Builder#validationSamples} samples is drawn once, by {@link Builder#validationSeed}, so that every
 *       candidate is scored on the same images;</li>
 *   <li>restores the running statistics and the path the supernet had: an evaluation leaves the supernet as it
 *       found it, so results do not depend on the order of evaluation.</li>
 * </ol>
 * The same request seed on the same supernet weights gives the same numbers. The datasets are used as given:
 * prepare (normalise) them as the supernet's training data was.
 *
 * <p>The supernet is one network and not thread-safe, so evaluations are serialised ({@code synchronized}): a
 * search with {@code parallelism > 1} gets no speed-up from this estimator (its trials wait for each other). Nothing
 * else may use the supernet (e.g. go on training it) while a search evaluates on it.
 *
 * <pre>{@code
 * SupernetEstimator estimator = Estimators.supernet(trained, train, validation)
 *         .recalibrationBatches(50).validationSamples(2_000).batchSize(128).build();
 * SearchRunner.builder(space, Strategies.regularizedEvolution()).estimator(estimator)
 *         .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)
 *                 .subjectTo(Constraint.atMost(Metric.FLOPS, 300e6)))...
 * }</pre>
 */
public final class SupernetEstimator implements Estimator {

    /**
     * Default recalibration batches: SPOS' reference search ({@code megvii-model/SinglePathOneShot},
     * {@code src/Search/search.py}) recomputes the statistics over {@code --max-train-iters 200} batches of
     * {@code --train-batch-size 128} (25,600 ImageNet images; the paper states a random subset of 20,000).
     */
    public static final int DEFAULT_RECALIBRATION_BATCHES = 200;
    /** Default batch size: the reference search's {@code --train-batch-size 128}. */
    public static final int DEFAULT_BATCH_SIZE = 128;
    /**
     * Default validation samples: the reference search scores {@code --max-test-iters 40} batches of
     * {@code --test-batch-size 200}, 8,000 images (the whole validation set when it is smaller).
     */
    public static final int DEFAULT_VALIDATION_SAMPLES = 8_000;

    private final ComposedSupernet supernet;
    private final ImageDataset train;
    private final ImageDataset validation;
    private final int recalibrationBatches;
    private final int batchSize;
    private final String description;
    private final Batches trainBatches;
    private final Batches validationBatches;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final int[] validationOrder;

    private SupernetEstimator(Builder b, ImageDataset validationSubset) {
        this.supernet = b.supernet;
        this.train = b.train;
        this.validation = validationSubset;
        this.recalibrationBatches = b.recalibrationBatches;
        this.batchSize = b.batchSize;
        this.trainBatches = new Batches(train, Math.min(batchSize, train.size()));
        this.validationBatches = new Batches(validation, Math.min(batchSize, validation.size()));
        this.validationOrder = new int[validation.size()];
        Arrays.setAll(validationOrder, i -> i);
        this.description = Configuration.of("supernet")
                .with("space", supernet.space().identity())
                .with("weights", fingerprint(supernet))
                .with("recalibrationBatches", recalibrationBatches)
                .with("batchSize", batchSize)
                .with("validationSamples", validationSubset.size())
                .with("validationSeed", b.validationSeed)
                .with("train", train.configuration())
                .with("validation", b.validation.configuration())
                .toString();
    }

    /** A builder on a trained supernet, the training set (for recalibration) and the validation set. */
    public static Builder builder(ComposedSupernet trained, ImageDataset train, ImageDataset validation) {
        return new Builder(trained, train, validation);
    }

    /**
     * The settings as stable text: the space, a fingerprint of the supernet's weights and statistics when the
     * estimator was built, the recalibration batches, the batch size, the validation samples and seed, and the
     * datasets' configurations (shape and content fingerprint).
     */
    @Override
    public String description() {
        return description;
    }

    /** The architecture's parameter and multiply-add counts from the space's cost model, without evaluating it. */
    @Override
    public Map<Metric, Double> costs(Architecture architecture) {
        ComposedSpace space = requireSpace(architecture);
        Map<Metric, Double> costs = new LinkedHashMap<>();
        costs.put(Metric.PARAMETERS, (double) space.parameters(architecture));
        costs.put(Metric.FLOPS, (double) space.multiplyAdds(architecture));
        return costs;
    }

    /**
     * Evaluates the request's architecture on the supernet (see the class comment); serialised with every other
     * evaluation of this estimator.
     */
    @Override
    public synchronized Evaluation evaluate(EvaluationRequest request) {
        Map<Metric, Double> costs = costs(request.architecture());
        double[] score = onPath(request.architecture(), request.seed(), this::score);
        Evaluation e = Evaluation.of(Metric.VALIDATION_ACCURACY, score[0]).with(Metric.VALIDATION_LOSS, score[1]);
        for (Map.Entry<Metric, Double> cost : costs.entrySet()) {
            e = e.with(cost.getKey(), cost.getValue());
        }
        return e;
    }

    /**
     * The running statistics, by state name ({@link ComposedSupernet#states()}), with which an evaluation of
     * {@code architecture} for a request of seed {@code seed} scores it: those after its recalibration. Copies; the
     * supernet is left unchanged.
     */
    public synchronized Map<String, double[]> recalibratedStatistics(Architecture architecture, long seed) {
        requireSpace(architecture);
        return onPath(architecture, seed, () -> snapshot(supernet.states()));
    }

    /**
     * Runs {@code work} on {@code architecture}'s path after recalibrating its statistics; then restores the
     * statistics and the path the supernet had.
     */
    private <T> T onPath(Architecture architecture, long seed, java.util.function.Supplier<T> work) {
        int[] path = supernet.path(architecture);
        Optional<int[]> previousPath = supernet.fixedPath();
        Map<String, double[]> saved = snapshot(supernet.states());
        List<RunningStatistics> layers = supernet.runningStatistics();
        try {
            supernet.usePath(path);
            if (recalibrationBatches > 0) {
                recalibrate(layers, seed);
            }
            return work.get();
        } finally {
            for (RunningStatistics layer : layers) {
                layer.averageCumulatively(false);
            }
            restore(supernet.states(), saved);
            if (previousPath.isPresent()) {
                supernet.usePath(previousPath.get());
            } else {
                supernet.usePolicyPath();
            }
        }
    }

    /** The trained supernet this estimator evaluates on. */
    public ComposedSupernet supernet() {
        return supernet;
    }

    /** The fixed validation subset every candidate is scored on. */
    public ImageDataset validationSubset() {
        return validation;
    }

    private void recalibrate(List<RunningStatistics> layers, long seed) {
        for (RunningStatistics layer : layers) {
            layer.resetRunningStatistics();
            layer.averageCumulatively(true);
        }
        SplitMix64 rng = new SplitMix64(Seeds.derive(seed, "recalibration batches"));
        int batch = Math.min(batchSize, train.size());
        int[] order = ImageDataset.permutation(train.size(), rng);
        int from = 0;
        for (int step = 0; step < recalibrationBatches; step++) {
            if (from + batch > train.size()) {   // a new pass over the training set, in a new order
                order = ImageDataset.permutation(train.size(), rng);
                from = 0;
            }
            supernet.forward(input(trainBatches.load(order, from, batch, null, null)), Mode.TRAINING);
            from += batch;
        }
    }

    /** {accuracy in percent, mean cross-entropy} on the validation subset, in inference mode. */
    private double[] score() {
        int batch = Math.min(batchSize, validation.size());
        double lossSum = 0;
        int correct = 0;
        for (int from = 0; from < validation.size(); from += batch) {
            int n = Math.min(batch, validation.size() - from);
            INDArray logits = supernet.forward(input(validationBatches.load(validationOrder, from, n, null, null)),
                    Mode.INFERENCE);
            double l = loss.forward(logits, input(validationBatches.oneHot(n)));
            lossSum += l * n;
            correct += validationBatches.correct(logits, n);
        }
        return new double[] {100.0 * correct / validation.size(), lossSum / validation.size()};
    }

    /** The batch in the supernet's data type (the batches are loaded as FLOAT). */
    private INDArray input(INDArray x) {
        DataType type = supernet.weights().dataType();
        return x.dataType() == type ? x : x.castTo(type);
    }

    private ComposedSpace requireSpace(Architecture architecture) {
        if (!architecture.space().equals(supernet.space())) {
            throw new IllegalArgumentException("architecture must be of the supernet's space "
                    + supernet.space().name() + ", but was of " + architecture.space().name());
        }
        return supernet.space();
    }

    private static Map<String, double[]> snapshot(Map<String, double[]> states) {
        Map<String, double[]> copy = new LinkedHashMap<>();
        states.forEach((name, values) -> copy.put(name, values.clone()));
        return copy;
    }

    private static void restore(Map<String, double[]> states, Map<String, double[]> saved) {
        states.forEach((name, values) -> System.arraycopy(saved.get(name), 0, values, 0, values.length));
    }

    /** A hash of the supernet's weights and running statistics: another trained supernet gives another text. */
    private static String fingerprint(ComposedSupernet supernet) {
        long h = 1125899906842597L;
        for (double v : supernet.weights().values().toDoubleVector()) {
            h = 31 * h + Double.hashCode(v);
        }
        for (double[] state : supernet.states().values()) {
            h = 31 * h + Arrays.hashCode(state);
        }
        return String.format(Locale.ROOT, "%016x", h);
    }

    /** Builder of {@link SupernetEstimator}; every setter validates at once and states its default. */
    public static final class Builder {
        private final ComposedSupernet supernet;
        private final ImageDataset train;
        private final ImageDataset validation;
        private int recalibrationBatches = DEFAULT_RECALIBRATION_BATCHES;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Integer validationSamples;
        private long validationSeed;

        private Builder(ComposedSupernet supernet, ImageDataset train, ImageDataset validation) {
            this.supernet = Objects.requireNonNull(supernet, "supernet");
            this.train = Objects.requireNonNull(train, "train");
            this.validation = Objects.requireNonNull(validation, "validation");
            requireShape("train", train);
            requireShape("validation", validation);
        }

        /**
         * Training batches, >= 0, over which the batch-norm statistics of each candidate's path are recomputed
         * (0: no recalibration, the supernet's statistics as they are). Default
         * {@value SupernetEstimator#DEFAULT_RECALIBRATION_BATCHES}, SPOS' reference search ({@link
         * SupernetEstimator#DEFAULT_RECALIBRATION_BATCHES}).
         */
        public Builder recalibrationBatches(int batches) {
            if (batches < 0) {
                throw new IllegalArgumentException("recalibrationBatches must be >= 0, but was " + batches);
            }
            this.recalibrationBatches = batches;
            return this;
        }

        /**
         * Samples per batch of recalibration and validation, >= 2 (a training-mode batch norm needs two); a set
         * smaller than the batch is taken as one batch. Default {@value SupernetEstimator#DEFAULT_BATCH_SIZE}, the reference
         * search's training batch size.
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 2) {
                throw new IllegalArgumentException("batchSize must be >= 2, but was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Size of the fixed validation subset every candidate is scored on, positive and at most the validation
         * set's size (checked by {@link #build()}). Default: {@value SupernetEstimator#DEFAULT_VALIDATION_SAMPLES}, the reference
         * search's 40 batches of 200, or the whole validation set when it is smaller.
         */
        public Builder validationSamples(int samples) {
            if (samples < 1) {
                throw new IllegalArgumentException("validationSamples must be positive, but was " + samples);
            }
            this.validationSamples = samples;
            return this;
        }

        /** Seed of the one draw of the validation subset. Default 0. */
        public Builder validationSeed(long seed) {
            this.validationSeed = seed;
            return this;
        }

        /** Draws the validation subset and returns the estimator. */
        public SupernetEstimator build() {
            int n = validationSamples != null ? validationSamples
                    : Math.min(DEFAULT_VALIDATION_SAMPLES, validation.size());
            if (n > validation.size()) {
                throw new IllegalArgumentException("validationSamples must be at most the validation set's "
                        + validation.size() + " samples, but was " + n);
            }
            if (recalibrationBatches > 0 && train.size() < 2) {
                throw new IllegalArgumentException("recalibration needs a training set of >= 2 samples, but it had "
                        + train.size());
            }
            int[] order = ImageDataset.permutation(validation.size(),
                    new SplitMix64(Seeds.derive(validationSeed, "validation subset")));
            int[] chosen = Arrays.copyOf(order, n);
            Arrays.sort(chosen);
            return new SupernetEstimator(this, validation.subset(chosen));
        }

        private void requireShape(String name, ImageDataset data) {
            ComposedSpace space = supernet.space();
            Shape in = space.inputShape();
            if (data.channels() != in.channels() || data.height() != in.height() || data.width() != in.width()
                    || data.classes() != space.classes()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must have the supernet's %dx%dx%d"
                        + " images and %d classes (space %s), but had %dx%dx%d and %d", name, in.channels(),
                        in.height(), in.width(), space.classes(), space.name(), data.channels(), data.height(),
                        data.width(), data.classes()));
            }
        }
    }
}
