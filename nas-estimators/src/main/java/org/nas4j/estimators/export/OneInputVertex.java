package org.nas4j.estimators.export;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;

/**
 * A DL4J graph vertex configuration without parameters that reads exactly one input: nas4j's own vertices
 * ({@link ChannelShuffleVertex}, {@link TimeAxisVertex}) differ only in their output type and their runtime vertex.
 * Its memory report holds no parameters and no working memory (the runtime vertices keep only their output).
 */
abstract class OneInputVertex extends GraphVertex {

    @Override
    public final long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public final int minVertexInputs() {
        return 1;
    }

    @Override
    public final int maxVertexInputs() {
        return 1;
    }

    @Override
    public final MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, getClass(), inputTypes[0], getOutputType(-1, inputTypes))
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }
}
