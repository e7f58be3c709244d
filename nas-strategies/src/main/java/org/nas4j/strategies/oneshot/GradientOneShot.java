package org.nas4j.strategies.oneshot;

import static org.nas4j.core.config.Require.positive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.RestrictedSpace;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.OpCatalogue;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.supernet.CandidateMask;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.engine.supernet.Supernet;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.estimators.network.SupernetMasks;
import org.nas4j.estimators.oneshot.LatencyLoss;
import org.nas4j.estimators.oneshot.LatencyMeasurement;
import org.nas4j.estimators.oneshot.LatencyTable;
import org.nas4j.estimators.oneshot.SupernetTrainer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The gradient-based one-shot methods as strategies of a {@link org.nas4j.core.search.SearchRunner}: DARTS (first
 * order), GDAS and ProxylessNAS on the supernet of any builder space ({@link ComposedSpace}), trained by one
 * {@link SupernetTrainer}. Each call of {@code ask()} trains one epoch and proposes the architecture derived from the
 * architecture weights at its end, with the supernet's own measurements of the epoch ({@link Proposal#measured()}:
 * validation accuracy and loss on the architecture part, training loss and accuracy, the epoch's seconds, the count
 * of parameter-free ops in the derived architecture, its parameters and multiply-adds). The search's history is
 * the derived architecture per epoch; the last trial is the final derived architecture ({@code
 * result.trials().get(last)}), and {@code result.best()} the best epoch under the search's objective. The default
 * estimator reports nothing of its own (the trial's metrics are the strategy's); any estimator (training from
 * scratch, a table) may evaluate the derived architectures as well, its metrics winning over the strategy's.
 *
 * <p>With a journal, the trainer's state is saved at every epoch's end in the journal's directory ({@value
 * #CHECKPOINT}); a killed search resumes from the last saved epoch and ends as an uninterrupted one. A wall-clock
 * budget stops training between two steps.
 *
 * <p>On a {@link RestrictedSpace} of a builder space (a steered round), the supernet is that of the wrapped space and
 * its policy is masked ({@link SupernetMasks}): a removed option's architecture weight is minus infinity (softmax
 * weight 0, no gradient, never drawn by GDAS or ProxylessNAS, never derived) and a pinned choice's edge runs its
 * pinned op alone. A supernet compiler of the user's gets the wrapped space and the masked policy, and must return
 * the {@link ComposedSupernet} of that space (e.g. with {@code ModuleCatalogue.dartsSearch()}), whose edges the mask
 * is defined on; any other supernet is refused, naming the compiler.
 *
 * <pre>{@code
 * SearchResult r = SearchRunner.builder(space, Strategies.darts(data.train()).epochs(10))
 *         .objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
 *         .journal(Path.of("runs/darts"))
 *         .build().run();
 * }</pre>
 */
public final class GradientOneShot implements StrategyFactory {

    /** The file of the trainer's checkpoint in the journal's directory. */
    public static final String CHECKPOINT = "supernet-checkpoint.bin";
    /** The file of the measured latency table in the journal's directory. */
    public static final String LATENCY_TABLE = "latency-table.json";

    /** The training loss of the supernet over the epoch (mean over its weight steps). */
    public static final Metric SUPERNET_TRAIN_LOSS = Metric.reportOnly("supernet_train_loss",
            Metric.Direction.MINIMIZE);
    /** The epoch's wall time in seconds. */
    public static final Metric EPOCH_SECONDS = Metric.reportOnly("epoch_seconds", Metric.Direction.MINIMIZE);
    /** Parameter-free ops (none, skip, pools) in the derived architecture: DARTS' collapse shows here. */
    public static final Metric PARAM_FREE_OPS = Metric.reportOnly("param_free_ops", Metric.Direction.MINIMIZE);

    /** The gradient-based methods. */
    public enum Method {
        /** DARTS, first order (Liu et al., ICLR 2019). */
        DARTS,
        /** GDAS (Dong and Yang, CVPR 2019). */
        GDAS,
        /** ProxylessNAS, binarized two-path updates (Cai et al., ICLR 2019). */
        PROXYLESS
    }

    /**
     * Compiles the supernet of a space under a path policy: by default {@link ComposedSupernet} of a builder space
     * with the standard modules; another one for other modules or spaces, e.g. the DARTS reference's search network,
     * {@code ComposedSupernet.compile(space, policy, ModuleCatalogue.dartsSearch(), DataType.FLOAT, seed)} (batch
     * norm without affine parameters, pools followed by one).
     */
    @FunctionalInterface
    public interface SupernetCompiler {
        /**
         * @param space  the search's space
         * @param policy the method's path policy
         * @param seed   the seed of the initial weights
         * @return the supernet
         */
        Supernet compile(SearchSpace space, PathPolicy.Factory policy, long seed);
    }

    /** The default compiler: {@link ComposedSupernet} of a {@link ComposedSpace}, standard modules. */
    private static Supernet composed(SearchSpace space, PathPolicy.Factory policy, long seed, DataType type) {
        if (space instanceof RestrictedSpace restricted && restricted.unrestricted() instanceof ComposedSpace wrapped) {
            return ComposedSupernet.compile(wrapped, policy, ModuleCatalogue.standard(), type, seed);
        }
        if (!(space instanceof ComposedSpace composed)) {
            throw new IllegalArgumentException("space of a one-shot search must be a builder space (ComposedSpace)"
                    + " or the strategy must be given a supernet(compiler) for it, but was " + space.identity());
        }
        return ComposedSupernet.compile(composed, policy, ModuleCatalogue.standard(), type, seed);
    }

    private final Method method;
    private final ImageDataset train;
    private final Settings settings;
    private final SupernetCompiler compiler;
    private final String compilerName;
    private final Latency latency;

    /**
     * The settings beyond the trainer's.
     *
     * @param epochs        epochs to train (one proposal each)
     * @param batchSize     batch size
     * @param stepsPerEpoch steps per epoch; 0: one pass over the weight part
     * @param validationSamples samples of the architecture part validated per epoch; 0: all
     * @param tauMax        GDAS' initial temperature
     * @param tauMin        GDAS' final temperature
     * @param dataType      the supernet's type
     */
    private record Settings(int epochs, int batchSize, int stepsPerEpoch, int validationSamples, double tauMax,
                            double tauMin, DataType dataType, boolean secondOrder, int warmupEpochs) {
    }

    /**
     * ProxylessNAS' latency objective: the table (null: measured on this backend when the search starts, and kept
     * beside the journal so that a resumed search uses the same numbers), the target and the loss's form.
     */
    private record Latency(LatencyTable table, double targetMs, LatencyLoss.Form form) {
    }

    private GradientOneShot(Method method, ImageDataset train, Settings settings, SupernetCompiler compiler,
            String compilerName, Latency latency) {
        this.method = method;
        this.train = train;
        this.settings = settings;
        this.compiler = compiler;
        this.compilerName = compilerName;
        this.latency = latency;
    }

    /** The method with its paper's settings, on {@code train} (split into the weight and architecture parts). */
    public static GradientOneShot of(Method method, ImageDataset train) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(train, "train");
        return new GradientOneShot(method, train, new Settings(50, 64, 0, 0, 10, 0.1, DataType.FLOAT, false, 0), null,
                "composed", null);
    }

    /** Epochs of supernet training (one derived architecture each); default 50 (DARTS). */
    public GradientOneShot epochs(int epochs) {
        positive("epochs", epochs);
        return with(new Settings(epochs, settings.batchSize, settings.stepsPerEpoch, settings.validationSamples,
                settings.tauMax, settings.tauMin, settings.dataType, settings.secondOrder, settings.warmupEpochs));
    }

    /** Batch size of weight and architecture steps; default 64. */
    public GradientOneShot batchSize(int batchSize) {
        positive("batchSize", batchSize);
        return with(new Settings(settings.epochs, batchSize, settings.stepsPerEpoch, settings.validationSamples,
                settings.tauMax, settings.tauMin, settings.dataType, settings.secondOrder, settings.warmupEpochs));
    }

    /** Steps per epoch (for short searches); default 0: one pass over the weight part. */
    public GradientOneShot stepsPerEpoch(int steps) {
        positive("stepsPerEpoch", steps);
        return with(new Settings(settings.epochs, settings.batchSize, steps, settings.validationSamples,
                settings.tauMax, settings.tauMin, settings.dataType, settings.secondOrder, settings.warmupEpochs));
    }

    /** Samples of the architecture part validated per epoch; default 0: all of it. */
    public GradientOneShot validationSamples(int samples) {
        positive("validationSamples", samples);
        return with(new Settings(settings.epochs, settings.batchSize, settings.stepsPerEpoch, samples,
                settings.tauMax, settings.tauMin, settings.dataType, settings.secondOrder, settings.warmupEpochs));
    }

    /** GDAS' temperature, annealed linearly from {@code max} at the first epoch to {@code min} at the last. */
    public GradientOneShot temperature(double max, double min) {
        if (!(min > 0 && max >= min) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("temperature must satisfy 0 < min <= max, but was max=" + max
                    + ", min=" + min);
        }
        return with(new Settings(settings.epochs, settings.batchSize, settings.stepsPerEpoch,
                settings.validationSamples, max, min, settings.dataType, settings.secondOrder, settings.warmupEpochs));
    }

    /**
     * The supernet compiler for the search's space; {@code name} identifies it in the configuration (a journal
     * written with one compiler is refused by another). Default: {@link ComposedSupernet} of a builder space.
     */
    public GradientOneShot supernet(String name, SupernetCompiler compiler) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(compiler, "compiler");
        return new GradientOneShot(method, train, settings, compiler, name, latency);
    }

    /**
     * ProxylessNAS' latency loss (docs/supernet.md, "ProxylessNAS latency loss") with each candidate op's latency
     * measured on this backend when the search starts ({@link LatencyMeasurement}, batch 1), the reference's
     * {@code mul#log} form and coefficients, and {@code targetMs} as its reference latency. The measured table is
     * kept in the journal's directory ({@value #LATENCY_TABLE}) and reused on resumption.
     */
    public GradientOneShot latency(double targetMs) {
        return latency(null, targetMs, LatencyLoss.Form.MUL_LOG);
    }

    /**
     * ProxylessNAS' latency loss with a given table (e.g. {@code LatencyCsv.nasBench201(csv, "raspi4_ms").table()}
     * for a device; null: measured on this backend), form and target. The {@code mul#log} form needs the expected
     * latency and the target on the same side of 1 ms (it fails naming both otherwise); {@code add#linear} takes
     * any.
     */
    public GradientOneShot latency(LatencyTable table, double targetMs, LatencyLoss.Form form) {
        if (!(targetMs > 0) || Double.isInfinite(targetMs)) {
            throw new IllegalArgumentException("targetMs must be a finite number > 0, but was " + targetMs);
        }
        Objects.requireNonNull(form, "form");
        return new GradientOneShot(method, train, settings, compiler, compilerName,
                new Latency(table, targetMs, form));
    }

    /**
     * DARTS' second order: the architecture gradient after one unrolled weight step, with the finite-difference
     * Hessian-vector product ({@code SupernetTrainer.Builder#secondOrder()}); the strategy is then named
     * {@code darts2}. DARTS only.
     */
    public GradientOneShot secondOrder() {
        if (method != Method.DARTS) {
            throw new IllegalArgumentException("secondOrder is DARTS' option, but the method was " + method);
        }
        return with(new Settings(settings.epochs, settings.batchSize, settings.stepsPerEpoch,
                settings.validationSamples, settings.tauMax, settings.tauMin, settings.dataType, true,
                settings.warmupEpochs));
    }

    /**
     * Epochs that train the weights only, before the architecture steps start (ProxylessNAS warms its supernet up
     * this way); default 0. Their derived architectures are those of the initial architecture weights.
     */
    public GradientOneShot warmupEpochs(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("warmupEpochs must be >= 0, but was " + epochs);
        }
        return with(new Settings(settings.epochs, settings.batchSize, settings.stepsPerEpoch,
                settings.validationSamples, settings.tauMax, settings.tauMin, settings.dataType, settings.secondOrder,
                epochs));
    }

    private GradientOneShot with(Settings s) {
        return new GradientOneShot(method, train, s, compiler, compilerName, latency);
    }

    @Override
    public String name() {
        return switch (method) {
            case DARTS -> settings.secondOrder ? "darts2" : "darts1";
            case GDAS -> "gdas";
            case PROXYLESS -> "proxyless";
        };
    }

    @Override
    public String configuration() {
        Configuration c = Configuration.of(name()).with("epochs", settings.epochs)
                .with("batchSize", settings.batchSize).with("stepsPerEpoch", settings.stepsPerEpoch)
                .with("validationSamples", settings.validationSamples).with("data", train.size())
                .with("dataType", settings.dataType.toString()).with("supernet", compilerName)
                .with("warmupEpochs", settings.warmupEpochs);
        if (method == Method.GDAS) {
            c = c.with("tauMax", settings.tauMax).with("tauMin", settings.tauMin);
        }
        if (latency != null) {
            c = c.with("latencyTargetMs", latency.targetMs).with("latencyForm", latency.form.reference())
                    .with("latencyTable", latency.table == null ? "measured" : latency.table.source());
        }
        return c.toString();
    }

    @Override
    public Optional<Estimator> defaultEstimator() {
        return Optional.of(MeasuredByStrategy.INSTANCE);
    }

    @Override
    public Strategy create(SearchContext context) {
        return new Search(context);
    }

    /** The trainer's settings for the method: the paper's, with this factory's epochs and batches. */
    private SupernetTrainer.Builder trainer(Supernet supernet, long seed) {
        SupernetTrainer.Builder b = SupernetTrainer.builder(supernet, train).epochs(settings.epochs)
                .batchSize(settings.batchSize).stepsPerEpoch(settings.stepsPerEpoch)
                .validationSamples(settings.validationSamples).warmupEpochs(settings.warmupEpochs).seed(seed);
        return switch (method) {
            // DARTS' cnn/train_search.py: the builder's defaults (architect.py for the second order)
            case DARTS -> settings.secondOrder ? b.secondOrder() : b;
            // GDAS (AutoDL-Projects, search_model_gdas): weights first, then architecture; Adam 3e-4, (0.5, 0.999);
            // SGD 0.025 cosine to 0.001, momentum 0.9 Nesterov, weight decay 5e-4 (its GDAS.config for NAS-Bench-201,
            // GDAS-NASNet-CIFAR.config for the DARTS space)
            case GDAS -> b.weightsFirst().weightOptimizer(0.025, 0.001, 0.9, 5e-4).nesterov(true);
            // ProxylessNAS' imagenet_arch_search.py: SGD 0.025 cosine to 0, Nesterov momentum 0.9, weight decay 4e-5;
            // Adam lr 1e-3, beta1 0, no weight decay; an architecture step every 5 weight steps
            case PROXYLESS -> b.weightOptimizer(0.025, 0, 0.9, 4e-5).nesterov(true)
                    .architectureOptimizer(1e-3, 0, 0.999, 0).architectureEvery(5);
        };
    }

    private PathPolicy.Factory policy(long seed, double[] tau, SearchSpace space) {
        if (space instanceof RestrictedSpace restricted) {
            CandidateMask mask = SupernetMasks.of(restricted);
            return switch (method) {
                case DARTS -> PathPolicies.mixed(mask);
                case GDAS -> PathPolicies.gdas(seed, pass -> tau[0], mask);
                case PROXYLESS -> PathPolicies.proxyless(seed, mask);
            };
        }
        return switch (method) {
            case DARTS -> PathPolicies.mixed();
            case GDAS -> PathPolicies.gdas(seed, pass -> tau[0]);
            case PROXYLESS -> PathPolicies.proxyless(seed);
        };
    }

    /**
     * The user's supernet of {@code space}; of a restricted space, the supernet of the wrapped space under the masked
     * {@code policy}, which must be that space's {@link ComposedSupernet} (the mask is defined on its edges).
     */
    private Supernet compile(SearchSpace space, PathPolicy.Factory policy, long seed) {
        if (!(space instanceof RestrictedSpace restricted)) {
            return compiler.compile(space, policy, seed);
        }
        Supernet supernet = compiler.compile(restricted.unrestricted(), policy, seed);
        if (!(supernet instanceof ComposedSupernet c && c.space().equals(restricted.unrestricted()))) {
            throw new IllegalArgumentException("supernet '" + compilerName + "' on a restricted space must be the"
                    + " ComposedSupernet of the space it restricts, whose edges the restriction masks, but was "
                    + supernet.getClass().getSimpleName() + " for " + space.identity());
        }
        return supernet;
    }

    /** One search: the supernet, its trainer, and the proposals so far (restored from the checkpoint). */
    final class Search implements Strategy {
        private final SearchSpace space;
        private final Supernet supernet;
        private final LatencyTable table;
        private final SupernetTrainer trainer;
        private final Optional<Path> checkpoint;
        private final BooleanSupplier stop;
        private final double[] tau = {10};
        private final List<Proposal> history = new ArrayList<>();
        private int proposed;
        private boolean stopped;

        Search(SearchContext context) {
            this.space = context.space();
            PathPolicy.Factory policy = policy(Seeds.derive(context.seed(), "policy"), tau, space);
            long seed = Seeds.derive(context.seed(), "weights");
            Supernet supernet = compiler == null ? composed(space, policy, seed, settings.dataType)
                    : compile(space, policy, seed);
            SupernetTrainer.Builder b = trainer(supernet, Seeds.derive(context.seed(), "trainer"));
            if (latency != null) {
                this.table = latencyTable(supernet, context.directory());
                LatencyLoss loss = LatencyLoss.builder(table, learned(supernet), latency.targetMs)
                        .form(latency.form).build();
                b.architectureGradient(loss.toString() + " table=" + table.source(), loss.firstOrderGradient());
            } else {
                this.table = null;
            }
            this.supernet = supernet;
            this.trainer = b.build();
            this.checkpoint = context.directory().map(d -> d.resolve(CHECKPOINT));
            this.stop = context.stop();
            if (checkpoint.isPresent() && Files.exists(checkpoint.get())) {
                try {
                    String saved = trainer.restore(checkpoint.get());
                    ProposalHistory.read(space, new ObjectMapper().readTree(saved), history);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read checkpoint " + checkpoint.get(), e);
                }
            }
        }

        /** The settings of the supernet's trainer (read by the package's tests). */
        SupernetTrainer.Settings trainerSettings() {
            return trainer.settings();
        }

        @Override
        public Ask ask() {
            if (proposed < history.size()) {
                return Ask.propose(history.get(proposed++));
            }
            if (stopped || trainer.epochsDone() >= trainer.epochs()) {
                return Ask.done();
            }
            int epoch = trainer.epochsDone();
            int last = Math.max(1, trainer.epochs() - 1);
            tau[0] = settings.tauMax - (settings.tauMax - settings.tauMin) * epoch / last;
            Optional<SupernetTrainer.EpochReport> report = trainer.trainEpoch(stop);
            if (report.isEmpty()) {
                stopped = true;
                return Ask.done();
            }
            SupernetTrainer.EpochReport r = report.get();
            Architecture derived = r.derived().orElseThrow();
            Map<Metric, Double> measured = new LinkedHashMap<>();
            measured.put(Metric.VALIDATION_ACCURACY, r.validationAccuracy());
            measured.put(Metric.VALIDATION_LOSS, r.validationLoss());
            measured.put(Metric.TRAIN_ACCURACY, r.trainAccuracy());
            measured.put(SUPERNET_TRAIN_LOSS, r.trainLoss());
            measured.put(Metric.EPOCHS, (double) r.epoch());
            measured.put(EPOCH_SECONDS, r.seconds());
            measured.put(PARAM_FREE_OPS, (double) parameterFreeOps(derived));
            if (table != null && supernet instanceof ComposedSupernet composed) {
                measured.put(Metric.LATENCY_MS, table.latencyMs(composed.path(derived)));
            }
            SearchSpace own = space instanceof RestrictedSpace restricted ? restricted.unrestricted() : space;
            if (own instanceof ComposedSpace composed) {
                measured.put(Metric.PARAMETERS, (double) composed.parameters(derived));
                measured.put(Metric.FLOPS, (double) composed.multiplyAdds(derived));
            }
            measured.putAll(architectureWeights(supernet));
            Proposal p = Proposal.of(derived).withMeasured(measured);
            history.add(p);
            if (checkpoint.isPresent()) {
                try {
                    trainer.save(checkpoint.get(), ProposalHistory.write(space, history).toString());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write checkpoint " + checkpoint.get(), e);
                }
            }
            proposed++;
            return Ask.propose(p);
        }

        @Override
        public void tell(Trial trial) {
            // the supernet learns from its own training, not from the trials' metrics
        }
    }

    private static LearnedPathPolicy learned(Supernet supernet) {
        if (!(supernet.policy() instanceof LearnedPathPolicy p)) {
            throw new IllegalArgumentException("a latency loss needs a policy with architecture weights, but was "
                    + supernet.policy().getClass().getSimpleName());
        }
        return p;
    }

    /** The given table, or the one measured (once per journal directory) on this backend. */
    private LatencyTable latencyTable(Supernet supernet, Optional<Path> directory) {
        if (latency.table != null) {
            return latency.table;
        }
        if (!(supernet instanceof ComposedSupernet composed)) {
            throw new IllegalArgumentException("a measured latency table needs a builder space's supernet "
                    + "(ComposedSupernet); give a table for " + supernet.getClass().getSimpleName());
        }
        Optional<Path> file = directory.map(d -> d.resolve(LATENCY_TABLE));
        ObjectMapper json = new ObjectMapper();
        try {
            if (file.isPresent() && Files.exists(file.get())) {
                JsonNode t = json.readTree(file.get().toFile());
                double[][] ms = json.treeToValue(t.get("candidateMs"), double[][].class);
                return LatencyTable.of(t.get("fixedMs").asDouble(), ms, t.get("source").asText());
            }
            LatencyTable measured = LatencyMeasurement.builder().build().table(composed, ModuleCatalogue.standard());
            if (file.isPresent()) {
                ObjectNode t = json.createObjectNode();
                t.put("fixedMs", measured.fixedMs());
                t.set("candidateMs", json.valueToTree(measured.candidateMs()));
                t.put("source", measured.source());
                Files.createDirectories(file.get().getParent());
                json.writeValue(file.get().toFile(), t);
            }
            return measured;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the latency table " + file.orElse(null), e);
        }
    }

    /**
     * The architecture weights after the epoch ({@code softmax(alpha)} of each edge), as report-only metrics
     * {@code arch_weight.e<edge>.<op>} (the candidate's op name on a builder space's op choices, its index
     * otherwise), so that the journal, and the report drawn from it, hold their course epoch by epoch.
     */
    private static Map<Metric, Double> architectureWeights(Supernet supernet) {
        Map<Metric, Double> out = new LinkedHashMap<>();
        if (!(supernet.policy() instanceof LearnedPathPolicy learned)) {
            return out;
        }
        int edges = (int) learned.alpha().value().size(0);
        for (int e = 0; e < edges; e++) {
            double[] p = learned.probabilities(e);
            for (int k = 0; k < p.length; k++) {
                out.put(archWeight(supernet, e, k), p[k]);
            }
        }
        return out;
    }

    private static Metric archWeight(Supernet supernet, int edge, int candidate) {
        String op = Integer.toString(candidate);
        if (supernet instanceof ComposedSupernet composed) {
            try {
                op = composed.sites(edge, candidate).get(0).op();
            } catch (IllegalArgumentException notAnOpChoice) {
                // an input choice: its candidates are inputs, named by index
            }
        }
        return Metric.reportOnly("arch_weight.e" + edge + "." + op, Metric.Direction.MAXIMIZE);
    }

    /**
     * Ops of {@code a}'s choices that have no parameters (none, skip, pools), by the space's op catalogue (the
     * standard one for spaces other than builder spaces): DARTS' collapse counts these.
     */
    public static int parameterFreeOps(Architecture a) {
        OpCatalogue catalogue = a.space() instanceof ComposedSpace c ? c.catalogue() : OpCatalogue.standard();
        int n = 0;
        for (int i = 0; i < a.size(); i++) {
            String op = a.option(i);
            if (catalogue.contains(op) && catalogue.entry(op).kind() != OpCatalogue.Kind.CHANNEL_MAPPING) {
                n++;
            }
        }
        return n;
    }
}
