package org.nas4j.strategies.smbo;

import org.nas4j.core.config.Configuration;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;

/**
 * POPNASv3 (Falanti et al., "POPNASv3: a Pareto-Optimal Neural Architecture Search Solution for Image and Time
 * Series Classification", 2023): PNAS with a second predictor for the cost of an architecture, and each round's
 * candidates chosen on the predicted Pareto front of accuracy and cost (front after front until the beam is full,
 * each front by predicted accuracy) instead of by accuracy alone. The cost predictor has the same form as the
 * accuracy predictor and learns {@code log(1 + cost)}.
 *
 * <p>Cost: POPNASv3 predicts training time; here the default is the first metric the trials report of
 * {@link Metric#TRAINING_SECONDS}, {@link Metric#PARAMETERS}, {@link Metric#FLOPS} (the tabular estimator reports
 * parameters and FLOPs). Until two trials report a cost, rounds are chosen as in PNAS. The search settings are
 * PNAS's, set through {@link #search}.
 *
 * <pre>{@code
 * StrategyFactory popnas = Strategies.popnas().costMetric(Metric.FLOPS).search(Strategies.pnas().beamSize(16));
 * }</pre>
 */
public final class Popnas implements StrategyFactory {
    private final Pnas search;
    private final Metric costMetric;

    private Popnas(Pnas search, Metric costMetric) {
        this.search = search;
        this.costMetric = costMetric;
    }

    /** POPNAS with PNAS's default settings and the automatic cost metric. */
    public static Popnas create() {
        return new Popnas(Pnas.create(), null);
    }

    /** The metric to predict as cost (smaller is better). Default: automatic, see above. */
    public Popnas costMetric(Metric metric) {
        if (metric == null) {
            throw new IllegalArgumentException("costMetric must not be null");
        }
        if (!metric.visibleToStrategy()) {
            throw new IllegalArgumentException("costMetric must be visible to strategies, but was " + metric);
        }
        return new Popnas(search, metric);
    }

    /** The PNAS settings (beam, predictors, candidates) to search with. Default {@link Pnas#create()}. */
    public Popnas search(Pnas settings) {
        if (settings == null) {
            throw new IllegalArgumentException("search must not be null");
        }
        return new Popnas(settings, costMetric);
    }

    @Override
    public String name() {
        return "popnas";
    }

    @Override
    public String configuration() {
        return search.settings().addTo(Configuration.of("popnas")
                .with("costMetric", costMetric == null ? "auto" : costMetric.name())).toString();
    }

    @Override
    public Strategy create(SearchContext context) {
        return new ModelBasedSearch(context, search.settings(), true, costMetric);
    }
}
