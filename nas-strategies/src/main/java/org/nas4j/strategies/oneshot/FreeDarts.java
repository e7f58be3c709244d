package org.nas4j.strategies.oneshot;

import java.util.Map;
import java.util.Objects;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.zerocost.ArchitectureSaliency;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * FreeDARTS (Zhang et al., "Differentiable Architecture Search Meets Network Pruning at Initialization"): the
 * DARTS supernet of a builder space at initialisation, each candidate op scored by the synaptic saliency of its
 * architecture parameter ({@link ArchitectureSaliency#synflow}: no data, no training), and the architecture of the
 * strongest candidates derived in one shot by the supernet's rules ({@link #snip} and {@link #grasp} score them by
 * SNIP or GraSP on one batch of training data instead, the data-dependent criteria the paper compares). It
 * proposes that one architecture, which the search's estimator then evaluates (e.g. a training estimator, or a
 * table), and is done: seconds, not hours. The proposal carries {@code search_seconds}, the time the scoring took.
 * Immutable: each setter returns a new factory.
 *
 * <pre>{@code
 * SearchResult r = SearchRunner.builder(space, Strategies.freeDarts()).estimator(training).build().run();
 * r.best().architecture();
 * Strategies.freeDarts().grasp(FashionMnist.bundled());   // GraSP on the architecture parameters
 * Strategies.freeDarts().synflowBatchNorm(Mode.INFERENCE); // synflow with batch norm as the identity
 * }</pre>
 */
public final class FreeDarts implements StrategyFactory {
    /** The seconds the scoring took, measured by the strategy. */
    public static final Metric SEARCH_SECONDS = Metric.reportOnly("search_seconds", Metric.Direction.MINIMIZE);
    /**
     * Images in the batch of SNIP or GraSP unless {@link #snip(TrainTest, int)} or {@link #grasp(TrainTest, int)}
     * says otherwise (Abdelfattah et al.'s 64, the reference notebooks' batch size).
     */
    public static final int DEFAULT_SNIP_BATCH = 64;

    /** The criterion that scores the candidates. */
    private enum Proxy {
        SYNFLOW, SNIP, GRASP;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final DataType dataType;
    private final Proxy proxy;
    /** Batch norm's mode in synflow's pass of the all-ones image (unused by SNIP and GraSP). */
    private final Mode synflowBatchNorm;
    /** The data of the batch of SNIP or GraSP; null for synflow, which needs none. */
    private final TrainTest data;
    private final int batchSize;

    private FreeDarts(DataType dataType, Proxy proxy, Mode synflowBatchNorm, TrainTest data, int batchSize) {
        this.dataType = dataType;
        this.proxy = proxy;
        this.synflowBatchNorm = synflowBatchNorm;
        this.data = data;
        this.batchSize = batchSize;
    }

    /** FreeDARTS with synflow in DOUBLE (products of absolute weights overflow FLOAT in deep supernets). */
    public static FreeDarts create() {
        return new FreeDarts(DataType.DOUBLE, Proxy.SYNFLOW, Mode.TRAINING, null, 0);
    }

    /** This strategy computing in {@code type} (FLOAT or DOUBLE); default DOUBLE. */
    public FreeDarts dataType(DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, but was " + type);
        }
        return new FreeDarts(type, proxy, synflowBatchNorm, data, batchSize);
    }

    /**
     * Synflow with batch norm in {@code mode}: {@link Mode#TRAINING} (the default, as the FreeDARTS notebooks'
     * network runs) normalises the one all-ones image by its own statistics, which silences every convolution
     * followed by batch norm and favours parameter-free candidates; {@link Mode#INFERENCE} uses the initial running
     * statistics, nearly the identity, as SynFlow's own code (the network in eval mode) and the {@code synflow}
     * proxy do. On the 500-cell Fashion-MNIST table the inference mode picked far better cells
     * (docs/estimators/zero-cost.md). SNIP and GraSP are unaffected.
     */
    public FreeDarts synflowBatchNorm(Mode mode) {
        Objects.requireNonNull(mode, "mode");
        return new FreeDarts(dataType, proxy, mode, data, batchSize);
    }

    /**
     * Scores the candidates by SNIP on one batch of {@value #DEFAULT_SNIP_BATCH} training images of {@code data}
     * instead of synflow ({@link ArchitectureSaliency#snip}).
     */
    public FreeDarts snip(TrainTest data) {
        return snip(data, DEFAULT_SNIP_BATCH);
    }

    /** Scores the candidates by SNIP on one batch of {@code batchSize} training images of {@code data}. */
    public FreeDarts snip(TrainTest data, int batchSize) {
        return withData(Proxy.SNIP, data, batchSize);
    }

    /**
     * Scores the candidates by GraSP on the architecture parameters, on one batch of {@value #DEFAULT_SNIP_BATCH}
     * training images of {@code data}, instead of synflow ({@link ArchitectureSaliency#grasp}).
     */
    public FreeDarts grasp(TrainTest data) {
        return grasp(data, DEFAULT_SNIP_BATCH);
    }

    /** Scores the candidates by GraSP on one batch of {@code batchSize} training images of {@code data}. */
    public FreeDarts grasp(TrainTest data, int batchSize) {
        return withData(Proxy.GRASP, data, batchSize);
    }

    private FreeDarts withData(Proxy p, TrainTest data, int batchSize) {
        Objects.requireNonNull(data, "data");
        if (batchSize < 1 || batchSize > data.train().size()) {
            throw new IllegalArgumentException("batchSize must be in [1, " + data.train().size() + "] (the training "
                    + "images), but was " + batchSize);
        }
        return new FreeDarts(dataType, p, synflowBatchNorm, data, batchSize);
    }

    @Override
    public String name() {
        return "freedarts";
    }

    @Override
    public String configuration() {
        if (data == null) {
            String batchNorm = synflowBatchNorm == Mode.TRAINING ? "" : ", batchNorm=" + synflowBatchNorm;
            return "freedarts(proxy=" + proxy.label() + batchNorm + ", dataType=" + dataType + ")";
        }
        return "freedarts(proxy=" + proxy.label() + ", batchSize=" + batchSize + ", data="
                + data.train().configuration() + ", dataType=" + dataType + ")";
    }

    @Override
    public Strategy create(SearchContext context) {
        if (!(context.space() instanceof ComposedSpace space)) {
            throw new IllegalArgumentException("FreeDARTS needs a space made with the SpaceBuilder (its supernet is "
                    + "compiled from it), but the space was " + context.space().name());
        }
        long seed = Seeds.derive(context.seed(), "freedarts supernet");
        return SingleProposal.of(() -> {
            long start = System.nanoTime();
            ArchitectureSaliency.Result r = switch (proxy) {
                case SYNFLOW -> ArchitectureSaliency.synflow(space, seed, dataType, synflowBatchNorm);
                case SNIP -> ArchitectureSaliency.snip(space, data, batchSize, seed, dataType);
                case GRASP -> ArchitectureSaliency.grasp(space, data, batchSize, seed, dataType);
            };
            double seconds = (System.nanoTime() - start) / 1e9;
            return Proposal.of(r.architecture()).withMeasured(Map.of(SEARCH_SECONDS, seconds));
        });
    }
}
