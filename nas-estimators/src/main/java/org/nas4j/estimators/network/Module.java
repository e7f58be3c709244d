package org.nas4j.estimators.network;

import org.nas4j.estimators.engine.Layer;

/**
 * A layer of a compiled network that can also describe itself, with its current weights, to a {@link GraphSink}
 * (for example to build a DL4J {@code ComputationGraph} with the same function).
 */
public interface Module extends Layer {

    /**
     * Adds this module's computation to {@code sink}.
     *
     * @param sink  where the vertices go
     * @param input the name of the vertex that feeds this module
     * @return the name of the vertex that holds this module's output
     */
    String export(GraphSink sink, String input);
}
