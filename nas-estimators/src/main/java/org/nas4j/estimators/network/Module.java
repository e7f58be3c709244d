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

    /**
     * What this module computes after a leading ReLU of its input, if it starts with one (same layers, same
     * parameters), so that a supernet cell computes the ReLU of a node once for all the ops that read it
     * ({@link ReluReader}); empty for a module that does not start with a ReLU (the default).
     */
    default java.util.Optional<Module> afterLeadingRelu() {
        return java.util.Optional.empty();
    }
}
