package org.nas4j.estimators.zerocost;

import org.nas4j.core.search.Metric;

/**
 * A score of an architecture at initialisation, without training, that should rank architectures as their trained
 * accuracy does (a zero-cost proxy). Implementations are stateless and thread-safe; each call builds the networks
 * it needs from the {@link ProxyContext}.
 */
public interface ZeroCostProxy {

    /** The name, as printed and as the metric is named: {@code synflow}, {@code snip}, ... */
    String name();

    /** The metric the score is reported as (higher is better, except for {@code params} and {@code flops}). */
    Metric metric();

    /**
     * Scores the context's architecture.
     *
     * @return the score; NaN or infinite where the computation overflowed (e.g. synflow in FLOAT)
     */
    double score(ProxyContext context);
}
