package org.nas4j.estimators.zerocost;

import org.nas4j.core.search.Metric;

/** A proxy reported as a custom metric of its own name, higher is better. */
abstract class NamedProxy implements ZeroCostProxy {
    private final Metric metric;

    NamedProxy(String name) {
        this.metric = Metric.custom(name, Metric.Direction.MAXIMIZE);
    }

    @Override
    public final String name() {
        return metric.name();
    }

    @Override
    public final Metric metric() {
        return metric;
    }
}
