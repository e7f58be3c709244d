package org.nas4j.core.space.builder;

import org.nas4j.core.space.OpSpec;

/** An op spec with a fixed name (its {@code toString} too); shapes and costs are the subclass's. */
abstract class NamedOpSpec implements OpSpec {
    private final String name;

    NamedOpSpec(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
