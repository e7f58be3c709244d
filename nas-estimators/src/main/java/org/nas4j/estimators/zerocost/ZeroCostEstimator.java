package org.nas4j.estimators.zerocost;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.backend.HeapCollection;
import org.nas4j.estimators.backend.NativeThreads;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.engine.MemoryScope;
import org.nas4j.estimators.network.NetworkCompiler;
import org.nas4j.estimators.network.NetworkFactory;

/**
 * Scores architectures at initialisation with zero-cost proxies, without training: every proxy asked for is
 * reported as a metric of the trial (named as the proxy), so a strategy searches by any one of them (the
 * objective) and the journal keeps them all. One batch of training images, the same for every architecture
 * (drawn from the estimator's seed), normalised as training normalises it; each network's initial weights come from
 * the trial's seed, as a training estimator's do.
 *
 * <pre>{@code
 * ZeroCostEstimator proxies = Estimators.zeroCost(FashionMnist.bundled()).proxies("synflow", "naswot").build();
 * SearchResult r = SearchRunner.builder(space, Strategies.randomSearch()).estimator(proxies)
 *         .objective(Objective.maximize(ZeroCostEstimator.metric("synflow"))).budget(Budget.trials(1000)).build().run();
 * }</pre>
 */
public final class ZeroCostEstimator implements Estimator {
    private final Builder b;
    private final List<ZeroCostProxy> proxies;
    private final ProxyBatch batch;

    private ZeroCostEstimator(Builder b) {
        this.b = b;
        this.proxies = ZeroCostProxies.named(b.proxies, b.synflowNetworks);
        if (b.batchSize > b.data.train().size()) {
            throw new IllegalArgumentException("batchSize must be at most the training images, "
                    + b.data.train().size() + ", but was " + b.batchSize);
        }
        this.batch = ProxyBatch.draw(b.data, b.batchSize, b.seed);
    }

    /** A builder over {@code data} (its training part supplies the batch). */
    public static Builder builder(TrainTest data) {
        return new Builder(data);
    }

    /** The metric a proxy is reported as: a custom metric named as the proxy, or params / flops. */
    public static Metric metric(String proxy) {
        return ZeroCostProxies.named(proxy).metric();
    }

    /** The proxies computed, in order. */
    public List<ZeroCostProxy> proxies() {
        return proxies;
    }

    @Override
    public String description() {
        return configuration().toString();
    }

    /** Every setting that changes the scores. */
    public Configuration configuration() {
        return Configuration.of("zero-cost").with("proxies", String.join(",", b.proxies))
                .with("batchSize", b.batchSize).with("seed", b.seed).with("data", b.data.train().configuration())
                .with("network", b.factory == null ? Configuration.of("space-default") : b.factory.configuration())
                .with("synflowNetwork", b.synflowNetworks == null ? Configuration.of("same")
                        : b.synflowNetworks.configuration());
    }

    @Override
    public Evaluation evaluate(EvaluationRequest request) {
        NativeThreads.choose(b.nativeThreads, request.concurrentTrials()).applyToCurrentThread();
        Map<Metric, Double> scores = scores(request.architecture(), request.seed());
        Evaluation e = null;
        for (Map.Entry<Metric, Double> s : scores.entrySet()) {
            e = e == null ? Evaluation.of(s.getKey(), s.getValue()) : e.with(s.getKey(), s.getValue());
        }
        return e;
    }

    /**
     * Every proxy's score of {@code architecture}, its networks initialised from {@code seed}, in order. The
     * networks' native memory is freed before it returns (a {@link MemoryScope}), and the ops' temporaries by a
     * garbage collection unless {@link Builder#collectGarbage} turned it off: scoring hundreds of architectures in
     * a loop grew a process by 12-40 MB per architecture without them (docs/estimators/zero-cost.md, "Memory").
     */
    public Map<Metric, Double> scores(Architecture architecture, long seed) {
        NetworkFactory factory = b.factory != null ? b.factory : NetworkCompiler.factoryFor(architecture.space());
        Map<Metric, Double> out = new LinkedHashMap<>();
        try (MemoryScope scope = MemoryScope.open()) {
            ProxyContext context = new ProxyContext(architecture, factory, Seeds.derive(seed, "initial weights"),
                    batch.images(), batch.imageShape(), batch.labels(), batch.classes());
            for (ZeroCostProxy p : proxies) {
                out.put(p.metric(), p.score(context));
            }
        }
        if (b.collectGarbage) {
            // ND4J frees an op's temporary only when the collector finds its Java object unreachable, and a
            // mostly empty heap goes minutes without a collection (as TrainingEstimator's collectGarbage)
            HeapCollection.collect();
        }
        return out;
    }

    /** Settings; defaults follow Abdelfattah et al.'s NAS-Bench-201 runs (one batch of 64 images). */
    public static final class Builder {
        private final TrainTest data;
        private List<String> proxies = ZeroCostProxies.NAMES;
        private int batchSize = 64;
        private long seed;
        private NetworkFactory factory;
        private NetworkFactory synflowNetworks;
        private java.util.OptionalInt nativeThreads = java.util.OptionalInt.empty();
        private boolean collectGarbage = true;

        private Builder(TrainTest data) {
            this.data = Objects.requireNonNull(data, "data");
        }

        /** The proxies to compute, by name ({@link ZeroCostProxies#NAMES}); default all. */
        public Builder proxies(String... names) {
            this.proxies = List.of(names);
            ZeroCostProxies.named(this.proxies, null);
            return this;
        }

        /** Images in the batch, >= 2 (jacob_cov and naswot compare images); default 64. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 2) {
                throw new IllegalArgumentException("batchSize must be >= 2, but was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** The seed that picks the batch (the same batch for every architecture); default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The factory of the networks scored; default the space's ({@link NetworkCompiler#factoryFor}). */
        public Builder networkFactory(NetworkFactory factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * The factory of synflow's networks, e.g. the same network in DOUBLE (synflow's products of absolute
         * weights overflow FLOAT in deep networks; the reference computes in double); default the scored networks'.
         */
        public Builder synflowNetworks(NetworkFactory factory) {
            this.synflowNetworks = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Native threads per evaluation; default the cores divided among the trials run at once. */
        public Builder nativeThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("nativeThreads must be >= 1, but was " + threads);
            }
            this.nativeThreads = java.util.OptionalInt.of(threads);
            return this;
        }

        /**
         * Whether to run the garbage collector after scoring each architecture, default true: ND4J frees the native
         * memory of the proxies' temporaries only when the collector finds them, and without a collection scoring
         * the 500 cells of a table grew a process by 12-40 MB per cell. It takes milliseconds with a small live
         * heap, against 0.1-2 s for a proxy of data (more than {@code params} or {@code flops} cost alone).
         */
        public Builder collectGarbage(boolean collect) {
            this.collectGarbage = collect;
            return this;
        }

        public ZeroCostEstimator build() {
            return new ZeroCostEstimator(this);
        }
    }
}
