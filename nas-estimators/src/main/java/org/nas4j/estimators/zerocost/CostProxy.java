package org.nas4j.estimators.zerocost;

import org.nas4j.core.search.Metric;

/**
 * The baselines every zero-cost study reports beside the proxies (Abdelfattah et al., ICLR 2021): the number of
 * trainable parameters ({@code params}, counted on the built network) and the multiply-adds of one forward pass
 * of one image ({@code flops}, from the space's cost model through the network factory; NaN where it has none).
 * They are reported as the standard metrics {@link Metric#PARAMETERS} and {@link Metric#FLOPS}, whose direction is
 * "minimise" as costs; to search with one as the proxy, maximise it.
 */
final class CostProxy implements ZeroCostProxy {
    private final boolean parameters;

    CostProxy(boolean parameters) {
        this.parameters = parameters;
    }

    @Override
    public String name() {
        return metric().name();
    }

    @Override
    public Metric metric() {
        return parameters ? Metric.PARAMETERS : Metric.FLOPS;
    }

    @Override
    public double score(ProxyContext context) {
        if (parameters) {
            return context.network().parameterCount();
        }
        return context.factory().multiplyAdds(context.architecture()).stream().mapToDouble(v -> v).findFirst()
                .orElse(Double.NaN);
    }
}
