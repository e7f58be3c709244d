package org.nas4j.estimators.training;

import static org.nas4j.core.config.Require.atLeast;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.backend.HeapCollection;
import org.nas4j.estimators.backend.NativeAllocator;
import org.nas4j.estimators.backend.NativeThreads;
import org.nas4j.estimators.data.Augmentation;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.engine.MemoryScope;
import org.nas4j.estimators.network.DartsFactory;
import org.nas4j.estimators.network.NetworkCompiler;
import org.nas4j.estimators.network.NetworkFactory;
import org.nas4j.estimators.network.TrainableNetwork;

/**
 * Trains each candidate from scratch on an image dataset and reports what it measured: {@code valid_acc}
 * (percent) and {@code valid_loss} on a held-out part of the training set, {@code train_acc} (last epoch, training
 * mode), {@code params}, {@code flops} (the space's cost model, where it has one), {@code train_seconds},
 * {@code latency_ms} (median of batch-1 inference forward passes), {@code epochs} (trained), and {@code test_acc}
 * on the test set only if {@link Builder#testAccuracy asked for} (a report-only metric).
 *
 * <p>Each evaluation compiles its own network ({@link NetworkCompiler}, or the {@link Builder#networkFactory
 * factory given}), so the runner may call {@link #evaluate} from several threads. All randomness (initial weights,
 * data order, augmentation) derives from the request's seed; the train/validation split is fixed by
 * {@link Builder#splitSeed} so that every trial is scored on the same validation images. A loss that becomes NaN
 * or infinite throws {@link TrainingDivergedException} naming the epoch and step, which the runner records as a
 * FAILED trial. A training run whose thread is interrupted (a cancelled trial: e.g. a Spark task at the search's
 * wall-clock budget) throws {@link java.util.concurrent.CancellationException} before its next step, since native
 * ops ignore interrupts. Immutable and thread-safe.
 *
 * <p>DARTS' CIFAR protocol ({@code train.py}) with a {@link DartsFactory}: {@link Builder#auxiliaryWeight} adds the
 * auxiliary head and trains on {@code main + weight * auxiliary} loss; {@link Builder#dropPathProbability} adds
 * drop-path to the cells with probability {@code p * e / epochs} in epoch {@code e} (0-based, of the run's epochs;
 * {@link org.nas4j.spaces.darts.DropPathSchedule}). Validation, test and latency use the main head without
 * drop-path. A network built with drop-path by a factory follows the same schedule from its configured probability.
 *
 * <p>With {@link Builder#weightInheritance(Path)} a trial whose request names a parent trial starts from the
 * parent's trained weights wherever names and shapes match (large-scale evolution's weight inheritance).
 *
 * <pre>{@code
 * TrainingEstimator training = Estimators.training(FashionMnist.bundled())
 *         .epochs(3).batchSize(64).learningRate(0.05).build();
 * SearchRunner.builder(space, Strategies.regularizedEvolution()).estimator(training)...
 * }</pre>
 */
public final class TrainingEstimator implements Estimator {

    /** The optimizer of a training run. */
    public enum OptimizerKind {
        /** SGD with Nesterov momentum (when momentum > 0), as NAS-Bench-201 trains. */
        SGD,
        /** Adam with PyTorch's betas and epsilon. */
        ADAM
    }

    /** The default least time between two releases of idle native memory, in seconds. */
    public static final long DEFAULT_MEMORY_RELEASE_SECONDS = 10;
    private static final java.time.Duration DEFAULT_MEMORY_RELEASE_INTERVAL =
            java.time.Duration.ofSeconds(DEFAULT_MEMORY_RELEASE_SECONDS);
    private final Builder b;
    /** When idle native memory goes back to the kernel; see {@link Builder#memoryRelease}. */
    private final MemoryReleaseSchedule memoryRelease;
    private final ImageDataset trainPart;
    private final ImageDataset validPart;
    private final ImageDataset testPart;
    private final String description;

    private TrainingEstimator(Builder b, ImageDataset trainPart, ImageDataset validPart, ImageDataset testPart) {
        this.b = b.copy();
        this.memoryRelease = this.b.memoryRelease.fresh();
        this.description = configuration(this.b).toString();
        this.trainPart = trainPart;
        this.validPart = validPart;
        this.testPart = testPart;
    }

    /** Starts a builder on {@code data}; only its training part is used for the search. */
    public static Builder builder(TrainTest data) {
        return new Builder(Objects.requireNonNull(data, "data"));
    }

    /**
     * The text of every setting: the training protocol, the optimizer and its schedule, the augmentation, the data
     * ({@link ImageDataset#configuration() shape and content fingerprint} of the training set, and of the test set
     * when {@link Builder#testAccuracy} is on), the split, and the network factory's
     * {@link NetworkFactory#configuration() configuration} ({@code network=space-default} for the space's default
     * factory). Any difference in a setting gives another text, so a journal refuses the resume and names it.
     */
    @Override
    public String description() {
        return description;
    }

    private static Configuration configuration(Builder b) {
        Configuration optimizer = Configuration.of(b.optimizer.name().toLowerCase(Locale.ROOT))
                .with("learningRate", b.learningRate());
        if (b.optimizer == OptimizerKind.SGD) {
            optimizer = optimizer.with("momentum", b.momentum).with("nesterov", b.momentum > 0);
        }
        optimizer = optimizer.with("weightDecay", b.weightDecay).with("gradientClipping", b.gradientClipping)
                .with("schedule", b.cosine ? "cosine" : "constant");
        Configuration training = Configuration.of("training").with("epochs", b.epochs)
                .with("stepsPerEpoch", b.stepsPerEpoch)
                .with("batchSize", b.batchSize).with("evaluationBatchSize", b.evaluationBatchSize)
                .with("optimizer", optimizer).with("patience", b.patience)
                .with("augmentation", b.augmentation.configuration())
                .with("data", b.data.train().configuration()).with("validationFraction", b.validationFraction)
                .with("splitSeed", b.splitSeed).with("normalize", b.normalize)
                .with("test", b.testAccuracy ? b.data.test().configuration() : Configuration.of("off"))
                .with("latencyRuns", b.latencyRuns)
                .with("network", b.factory == null ? Configuration.of("space-default") : b.factory.configuration())
                .with("dropPathProbability", b.dropPathProbability).with("auxiliaryWeight", b.auxiliaryWeight)
                .with("weightInheritance", b.weightStore != null);
        // only where asked for, so that journals written before proxies existed still resume
        return b.proxies == null ? training : training.with("zeroCostProxies", b.proxies.configuration());
    }

    /**
     * Trains the request's architecture on the calling thread, after setting that thread's native threads for
     * {@link EvaluationRequest#concurrentTrials()} trials at once (see {@link Builder#nativeThreads}), and frees the
     * trained network's native memory before returning ({@link MemoryScope}) and, unless turned off with {@link
     * Builder#collectGarbage}, asks the garbage collector to free the native memory of the trial's temporaries.
     */
    @Override
    public Evaluation evaluate(EvaluationRequest request) {
        nativeThreads(request.concurrentTrials()).applyToCurrentThread();
        releaseIdleMemory();
        try (MemoryScope scope = MemoryScope.open()) { // the trial's network is not needed afterwards: free it now
            Evaluation trained = b.weightStore == null
                    ? train(request.architecture(), request.seed(), request.fidelity(), net -> { }).evaluation()
                    : new InheritingEvaluation(this, b.weightStore).evaluate(request);
            return withProxies(trained, request);
        } finally {
            if (b.collectGarbage) {
                // ND4J frees an array's native memory only when the collector finds its Java object unreachable;
                // with a large, mostly empty heap that may take minutes and gigabytes (see Builder#collectGarbage)
                HeapCollection.collect();
            }
        }
    }

    /**
     * {@code trained} with the zero-cost proxies' scores of the request's architecture at initialisation (the same
     * initial weights the training started from), where {@link Builder#zeroCostProxies} asked for them; the trained
     * metrics win on a name clash ({@code params}).
     */
    private Evaluation withProxies(Evaluation trained, EvaluationRequest request) {
        if (b.proxies == null) {
            return trained;
        }
        Evaluation out = trained;
        for (Map.Entry<Metric, Double> e : b.proxies.scores(request.architecture(), request.seed()).entrySet()) {
            if (trained.find(e.getKey()).isEmpty()) {
                out = out.with(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /**
     * The native threads each training run uses when {@code concurrentTrials} run at once: {@code OMP_NUM_THREADS}
     * if set, else {@link Builder#nativeThreads}, else the cores divided among the trials ({@link NativeThreads}).
     */
    public NativeThreads.Choice nativeThreads(int concurrentTrials) {
        return NativeThreads.choose(b.nativeThreads, concurrentTrials);
    }

    /** True when built with {@link Builder#weightInheritance(Path)}. */
    @Override
    public boolean supportsWeightInheritance() {
        return b.weightStore != null;
    }

    /** The store of trained weights, when built with {@link Builder#weightInheritance(Path)}. */
    public Optional<WeightStore> weightStore() {
        return Optional.ofNullable(b.weightStore);
    }

    /** Trains {@code architecture} with the full epoch budget; returns the trained network and its metrics. */
    public TrainingResult train(Architecture architecture, long seed) {
        return train(architecture, seed, 1.0);
    }

    /**
     * Trains {@code architecture} for {@code max(1, round(epochs * fidelity))} epochs, on the calling thread, as one
     * job with the whole machine's native threads ({@link #nativeThreads nativeThreads(1)}).
     *
     * @param architecture what to train
     * @param seed         the root of all randomness of the run
     * @param fidelity     share of the epoch budget, in (0, 1]
     * @return the trained network and its metrics
     */
    public TrainingResult train(Architecture architecture, long seed, double fidelity) {
        nativeThreads(1).applyToCurrentThread();
        releaseIdleMemory();
        return train(architecture, seed, fidelity, net -> { });
    }

    /**
     * Unless garbage collection is turned off ({@link Builder#collectGarbage}), hands the memory that earlier
     * trials freed (after their collection) and that lies idle in the malloc arenas back to the kernel
     * ({@link NativeAllocator#releaseFreeMemory}) when its {@link Builder#memoryRelease schedule} says so: a
     * release and the page faults after it cost a fraction of a second, which short trials should not pay each.
     */
    private void releaseIdleMemory() {
        if (b.collectGarbage) {
            memoryRelease.releaseIfDue(NativeAllocator::releaseFreeMemory);
        }
    }

    /**
     * Trains {@code architecture} as {@link #train(Architecture, long, double)} does, after {@code initialise} has
     * changed the freshly built network (e.g. to inherit a parent's weights).
     */
    TrainingResult train(Architecture architecture, long seed, double fidelity,
                         Consumer<TrainableNetwork> initialise) {
        if (!(fidelity > 0 && fidelity <= 1)) {
            throw new IllegalArgumentException("fidelity must be in (0, 1], but was " + fidelity);
        }
        NetworkFactory factory = factory(architecture);
        TrainableNetwork net = factory.build(architecture, Seeds.derive(seed, "initial weights"));
        if (net.inputChannels() != trainPart.channels() || net.inputHeight() != trainPart.height()
                || net.inputWidth() != trainPart.width() || net.classes() != trainPart.classes()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the network of %s takes %dx%dx%d images and %d classes, but the dataset has %dx%dx%d and %d: "
                            + "configure the space (e.g. inputChannels, imageSize, classes) or the networkFactory "
                            + "to match",
                    architecture.space().identity(), net.inputChannels(), net.inputHeight(), net.inputWidth(),
                    net.classes(), trainPart.channels(), trainPart.height(), trainPart.width(), trainPart.classes()));
        }
        initialise.accept(net);
        int epochs = Math.max(1, (int) Math.round(b.epochs * fidelity));
        Evaluation e = new TrainingRun(this, net, seed, epochs).run();
        var flops = factory.multiplyAdds(architecture);
        if (flops.isPresent()) {
            e = e.with(Metric.FLOPS, flops.getAsLong());
        }
        return new TrainingResult(net, e);
    }

    /** The network factory for {@code architecture}, with DARTS' drop-path and auxiliary head as configured. */
    NetworkFactory factory(Architecture architecture) {
        NetworkFactory factory = b.factory != null ? b.factory : NetworkCompiler.factoryFor(architecture.space());
        if (factory instanceof DartsFactory darts && (b.dropPathProbability > 0 || b.auxiliaryWeight > 0)) {
            factory = darts.dropPath(b.dropPathProbability).auxiliaryHead(b.auxiliaryWeight);
        }
        return factory;
    }

    // configuration read by TrainingRun
    ImageDataset trainPart() {
        return trainPart;
    }

    ImageDataset validPart() {
        return validPart;
    }

    ImageDataset testPart() {
        return testPart;
    }

    int batchSize() {
        return b.batchSize;
    }

    int stepsPerEpoch() {
        return b.stepsPerEpoch;
    }

    OptimizerKind optimizer() {
        return b.optimizer;
    }

    double learningRate() {
        return b.learningRate();
    }

    double momentum() {
        return b.momentum;
    }

    double weightDecay() {
        return b.weightDecay;
    }

    boolean cosine() {
        return b.cosine;
    }

    double gradientClipping() {
        return b.gradientClipping;
    }

    int patience() {
        return b.patience;
    }

    Augmentation augmentation() {
        return b.augmentation;
    }

    boolean testAccuracy() {
        return b.testAccuracy;
    }

    int latencyRuns() {
        return b.latencyRuns;
    }

    int evaluationBatchSize() {
        return b.evaluationBatchSize;
    }

    /** Builder of {@link TrainingEstimator}; every setter validates at once and states its default. */
    public static final class Builder {
        private final TrainTest data;
        private int epochs = 4;
        private int stepsPerEpoch;
        private int batchSize = 64;
        private int evaluationBatchSize = 250;
        private OptimizerKind optimizer = OptimizerKind.SGD;
        private double learningRate = Double.NaN;
        private double momentum = 0.9;
        private double weightDecay = 5e-4;
        private boolean cosine = true;
        private double gradientClipping;
        private int patience;
        private Augmentation augmentation = Augmentation.NONE;
        private double validationFraction = 0.2;
        private long splitSeed;
        private boolean normalize = true;
        private boolean testAccuracy;
        private int latencyRuns = 5;
        private NetworkFactory factory;
        private double dropPathProbability;
        private double auxiliaryWeight;
        private WeightStore weightStore;
        private OptionalInt nativeThreads = OptionalInt.empty();
        private boolean collectGarbage = true;
        private org.nas4j.estimators.zerocost.ZeroCostEstimator proxies;
        private MemoryReleaseSchedule memoryRelease = MemoryReleaseSchedule.every(DEFAULT_MEMORY_RELEASE_INTERVAL);

        private Builder(TrainTest data) {
            this.data = data;
        }

        private Builder copy() {
            Builder c = new Builder(data);
            c.epochs = epochs;
            c.stepsPerEpoch = stepsPerEpoch;
            c.batchSize = batchSize;
            c.evaluationBatchSize = evaluationBatchSize;
            c.optimizer = optimizer;
            c.learningRate = learningRate;
            c.momentum = momentum;
            c.weightDecay = weightDecay;
            c.cosine = cosine;
            c.gradientClipping = gradientClipping;
            c.patience = patience;
            c.augmentation = augmentation;
            c.validationFraction = validationFraction;
            c.splitSeed = splitSeed;
            c.normalize = normalize;
            c.testAccuracy = testAccuracy;
            c.latencyRuns = latencyRuns;
            c.factory = factory;
            c.dropPathProbability = dropPathProbability;
            c.auxiliaryWeight = auxiliaryWeight;
            c.weightStore = weightStore;
            c.nativeThreads = nativeThreads;
            c.collectGarbage = collectGarbage;
            c.proxies = proxies;
            c.memoryRelease = memoryRelease;
            return c;
        }

        /** Epochs at full fidelity, >= 1; a request with fidelity f trains {@code max(1, round(epochs * f))}. Default 4. */
        public Builder epochs(int epochs) {
            this.epochs = atLeast("epochs", epochs, 1);
            return this;
        }

        /** Steps per epoch, >= 0; 0 means one pass over the training part (last partial batch dropped). Default 0. */
        public Builder stepsPerEpoch(int steps) {
            this.stepsPerEpoch = atLeast("stepsPerEpoch", steps, 0);
            return this;
        }

        /** Training batch size, >= 2 (batch norm needs two samples). Default 64. */
        public Builder batchSize(int batchSize) {
            this.batchSize = atLeast("batchSize", batchSize, 2);
            return this;
        }

        /** Batch size of validation and test passes, >= 1. Default 250. */
        public Builder evaluationBatchSize(int batchSize) {
            this.evaluationBatchSize = atLeast("evaluationBatchSize", batchSize, 1);
            return this;
        }

        /** The optimizer. Default SGD (Nesterov momentum 0.9). */
        public Builder optimizer(OptimizerKind optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /** Initial learning rate, > 0. Default 0.1 for SGD, 0.001 for Adam. */
        public Builder learningRate(double rate) {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("learningRate must be finite and > 0, but was " + rate);
            }
            this.learningRate = rate;
            return this;
        }

        /** SGD momentum in [0, 1) (Nesterov when > 0; ignored by Adam). Default 0.9. */
        public Builder momentum(double momentum) {
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), but was " + momentum);
            }
            this.momentum = momentum;
            return this;
        }

        /** L2 weight decay, >= 0. Default 5e-4 (NAS-Bench-201's). */
        public Builder weightDecay(double weightDecay) {
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("weightDecay must be finite and >= 0, but was " + weightDecay);
            }
            this.weightDecay = weightDecay;
            return this;
        }

        /** Whether the learning rate follows a cosine from its initial value to 0 over the run. Default true. */
        public Builder cosine(boolean cosine) {
            this.cosine = cosine;
            return this;
        }

        /** Global gradient-norm clipping, >= 0 (0 = off). Default 0. */
        public Builder gradientClipping(double maxNorm) {
            if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
                throw new IllegalArgumentException("gradientClipping must be finite and >= 0, but was " + maxNorm);
            }
            this.gradientClipping = maxNorm;
            return this;
        }

        /**
         * Early stopping: stop after {@code patience} epochs without a better validation accuracy, >= 0 (0 = off,
         * validate only after the last epoch). The metrics are those of the final epoch. Default 0.
         */
        public Builder patience(int patience) {
            this.patience = atLeast("patience", patience, 0);
            return this;
        }

        /** Training-time augmentation. Default none. */
        public Builder augmentation(Augmentation augmentation) {
            this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
            return this;
        }

        /**
         * Share of the training set held out for validation, in [0, 1); 0 trains on all of it and reports no
         * validation metrics (for the final training of a found architecture). Default 0.2.
         */
        public Builder validationFraction(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("validationFraction must be in [0, 1), but was " + fraction);
            }
            this.validationFraction = fraction;
            return this;
        }

        /** Seed of the train/validation split, the same for every trial. Default 0. */
        public Builder splitSeed(long seed) {
            this.splitSeed = seed;
            return this;
        }

        /** Whether to normalise every channel with the training set's mean and deviation. Default true. */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /** Whether to report {@code test_acc} on the test set after training (report-only). Default false. */
        public Builder testAccuracy(boolean test) {
            this.testAccuracy = test;
            return this;
        }

        /** Batch-1 forward passes timed for {@code latency_ms} (median), >= 0 (0 = not measured). Default 5. */
        public Builder latencyRuns(int runs) {
            this.latencyRuns = atLeast("latencyRuns", runs, 0);
            return this;
        }

        /** The network factory; default: {@link NetworkCompiler#factoryFor} the architecture's space. */
        public Builder networkFactory(NetworkFactory factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Final drop-path probability of DARTS cells, in [0, 1) (0 = off; the reference uses 0.2 on CIFAR-10): in
         * epoch {@code e} (0-based) of a run of {@code E} epochs the probability is {@code p * e / E}. Needs a
         * {@link DartsFactory} as {@link #networkFactory}. Default 0.
         */
        public Builder dropPathProbability(double probability) {
            if (!(probability >= 0 && probability < 1)) {
                throw new IllegalArgumentException("dropPathProbability must be in [0, 1), but was " + probability);
            }
            this.dropPathProbability = probability;
            return this;
        }

        /**
         * Weight of the DARTS CIFAR auxiliary head's loss, finite and >= 0 (0 = no head; the reference uses
         * {@link DartsFactory#DEFAULT_AUXILIARY_WEIGHT 0.4}). Needs a {@link DartsFactory} as {@link #networkFactory}
         * and 32x32-like images. Default 0.
         */
        public Builder auxiliaryWeight(double weight) {
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("auxiliaryWeight must be finite and >= 0, but was " + weight);
            }
            this.auxiliaryWeight = weight;
            return this;
        }

        /**
         * Turns weight inheritance on (large-scale evolution's, with {@code
         * LargeScaleEvolution.weightInheritance(true)}): the trained weights and batch-norm statistics of every
         * trial that trains are written to {@code directory} ({@link WeightStore}: one file per trial, about 4 bytes
         * per parameter, never deleted; use one directory per search, e.g. beside its journal, so that a resumed
         * search finds them), and a request that names a parent trial starts from the parent's values for every
         * parameter of the same name and shape (the others keep their fresh initial values), then trains as usual
         * and reports {@link Metric#INHERITED_PARAMETERS}. A parent without weights (failed, or trained elsewhere)
         * means training from scratch, with a warning in the log. Default: off (every trial from scratch, requests'
         * parents ignored).
         */
        public Builder weightInheritance(Path directory) {
            this.weightStore = WeightStore.in(Objects.requireNonNull(directory, "weightInheritance directory"));
            return this;
        }

        /**
         * Native threads (OpenMP, libnd4j, BLAS) of each training run, >= 1. An {@code OMP_NUM_THREADS} in the
         * environment still wins. Default: the machine's cores divided among the trials the search runs at once
         * (one thread each for two trials on two cores). The count changes only the last bits of results.
         */
        public Builder nativeThreads(int threads) {
            this.nativeThreads = OptionalInt.of(atLeast("nativeThreads", threads, 1));
            return this;
        }

        /**
         * Whether to run the garbage collector ({@code System.gc()}) after every trial, default true. ND4J frees
         * the native memory of an array only when the collector finds its small Java object unreachable, and a
         * large, mostly empty heap may go minutes without a collection: a search of small networks then grew by
         * about 60 MiB per trial (100 MiB without {@link MemoryScope}); with a collection after each trial it
         * stayed flat, and ran faster. A collection with a small live heap takes milliseconds. The collection
         * ({@link HeapCollection#collect()}) also hands back the heap the live data does not need, so that the
         * young collections of later trials do not make an ever larger heap resident. Turn it off when
         * the JVM holds a large live heap of the application's own and native memory is not a concern.
         */
        public Builder collectGarbage(boolean collect) {
            this.collectGarbage = collect;
            return this;
        }

        /**
         * When idle native memory goes back to the kernel between trials ({@link NativeAllocator#releaseFreeMemory};
         * see {@link MemoryReleaseSchedule}). Default: at most every {@value #DEFAULT_MEMORY_RELEASE_SECONDS} s. A
         * release costs about 0.1-0.2 s (the call walks every malloc arena, and the next trial faults its pages in
         * again): before every trial ({@code every(Duration.ZERO)}) 500 trials of 10 steps took 38-42% longer, and
         * memory did not grow measurably less over them in every run (docs/reliability.md, "Memory"); handing back
         * the unneeded heap at each trial's collection ({@link #collectGarbage}) matters more. Does not change
         * results.
         */
        public Builder memoryRelease(MemoryReleaseSchedule schedule) {
            if (schedule == null) {
                throw new IllegalArgumentException("memoryRelease must not be null");
            }
            this.memoryRelease = schedule;
            return this;
        }

        /**
         * Shorthand for {@code memoryRelease(MemoryReleaseSchedule.every(interval))}: at least {@code interval}
         * between two releases; {@code Duration.ZERO} releases before every trial.
         */
        public Builder memoryReleaseInterval(java.time.Duration interval) {
            return memoryRelease(MemoryReleaseSchedule.every(interval));
        }

        /**
         * Also reports the zero-cost proxies of {@code proxies} (computed at initialisation, from the same initial
         * weights the training starts from) as metrics of every trial, so that a training search records how well
         * they predict the trained accuracy; default none.
         */
        public Builder zeroCostProxies(org.nas4j.estimators.zerocost.ZeroCostEstimator proxies) {
            this.proxies = Objects.requireNonNull(proxies, "proxies");
            return this;
        }

        private double learningRate() {
            return !Double.isNaN(learningRate) ? learningRate : optimizer == OptimizerKind.ADAM ? 1e-3 : 0.1;
        }

        /** Splits (and normalises) the data once and returns the estimator. */
        public TrainingEstimator build() {
            if (patience > 0 && validationFraction == 0) {
                throw new IllegalArgumentException("patience=" + patience + " needs validation data, but "
                        + "validationFraction was 0");
            }
            if ((dropPathProbability > 0 || auxiliaryWeight > 0) && !(factory instanceof DartsFactory)) {
                throw new IllegalArgumentException("dropPathProbability=" + dropPathProbability + " and auxiliaryWeight="
                        + auxiliaryWeight + " need a DartsFactory as networkFactory, but it was "
                        + (factory == null ? "the default" : factory.getClass().getName()));
            }
            TrainTest d = normalize ? data.normalized() : data;
            ImageDataset train = d.train();
            ImageDataset valid = null;
            if (validationFraction > 0) {
                ImageDataset[] parts = train.split(validationFraction, splitSeed);
                train = parts[0];
                valid = parts[1];
            }
            if (train.size() < 2) {
                throw new IllegalArgumentException("the training part must hold >= 2 samples, but had " + train.size());
            }
            return new TrainingEstimator(this, train, valid, d.test());
        }
    }
}
