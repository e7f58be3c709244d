package org.nas4j.strategies.oneshot;

import java.util.Map;
import java.util.Objects;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.zerocost.ArchitectureSaliency;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * FreeDARTS (Zhang et al., "Differentiable Architecture Search Meets Network Pruning at Initialization"): the
 * DARTS supernet of a builder space at initialisation, each candidate op scored by the synaptic saliency of its
 * architecture parameter ({@link ArchitectureSaliency#synflow}: no data, no training), and the architecture of the
 * strongest candidates derived in one shot by the supernet's rules. It proposes that one architecture, which the
 * search's estimator then evaluates (e.g. a training estimator, or a table), and is done: seconds, not hours. The
 * proposal carries {@code search_seconds}, the time the scoring took.
 *
 * <pre>{@code
 * SearchResult r = SearchRunner.builder(space, Strategies.freeDarts()).estimator(training).build().run();
 * r.best().architecture();
 * }</pre>
 */
public final class FreeDarts implements StrategyFactory {
    /** The seconds the scoring took, measured by the strategy. */
    public static final Metric SEARCH_SECONDS = Metric.reportOnly("search_seconds", Metric.Direction.MINIMIZE);
    private final DataType dataType;

    private FreeDarts(DataType dataType) {
        this.dataType = dataType;
    }

    /** FreeDARTS with synflow in DOUBLE (products of absolute weights overflow FLOAT in deep supernets). */
    public static FreeDarts create() {
        return new FreeDarts(DataType.DOUBLE);
    }

    /** This strategy computing in {@code type} (FLOAT or DOUBLE). */
    public FreeDarts dataType(DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, but was " + type);
        }
        return new FreeDarts(type);
    }

    @Override
    public String name() {
        return "freedarts";
    }

    @Override
    public String configuration() {
        return "freedarts(proxy=synflow, dataType=" + dataType + ")";
    }

    @Override
    public Strategy create(SearchContext context) {
        if (!(context.space() instanceof ComposedSpace space)) {
            throw new IllegalArgumentException("FreeDARTS needs a space made with the SpaceBuilder (its supernet is "
                    + "compiled from it), but the space was " + context.space().name());
        }
        long seed = Seeds.derive(context.seed(), "freedarts supernet");
        return new Strategy() {
            private boolean proposed;
            private boolean told;

            @Override
            public Ask ask() {
                if (!proposed) {
                    proposed = true;
                    long start = System.nanoTime();
                    ArchitectureSaliency.Result r = ArchitectureSaliency.synflow(space, seed, dataType);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    return Ask.propose(Proposal.of(r.architecture()).withMeasured(Map.of(SEARCH_SECONDS, seconds)));
                }
                return told ? Ask.done() : Ask.waitForTrials();
            }

            @Override
            public void tell(Trial trial) {
                Objects.requireNonNull(trial, "trial");
                told = true;
            }
        };
    }
}
