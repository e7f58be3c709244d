package org.nas4j.estimators.export;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * SPOS' channel shuffle as a DL4J graph vertex (DL4J has none): of a convolutional input {@code [B, C, H, W]},
 * output channel {@code j * C / groups + i} is input channel {@code groups * i + j}, computed as the engine's
 * {@link org.nas4j.estimators.engine.ops.ChannelShuffle} does, forward and backward (so the graph can be
 * fine-tuned). No parameters. Restoring a saved graph needs this class on the class path (it is named in the JSON).
 *
 * <pre>{@code
 * builder.addVertex("layer2.shuffle", new ChannelShuffleVertex(2), "layer1.concat");
 * }</pre>
 */
public final class ChannelShuffleVertex extends OneInputVertex {

    private static final long serialVersionUID = 1L;

    private final int groups;

    /**
     * The vertex.
     *
     * @param groups the number of groups, >= 2; the input's channels must be a multiple of it
     */
    @JsonCreator
    public ChannelShuffleVertex(@JsonProperty("groups") int groups) {
        if (groups < 2) {
            throw new IllegalArgumentException("groups must be >= 2, but was " + groups);
        }
        this.groups = groups;
    }

    /** The number of groups. */
    public int getGroups() {
        return groups;
    }

    @Override
    public ChannelShuffleVertex clone() {
        return new ChannelShuffleVertex(groups);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelShuffleVertex v && v.groups == groups;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(groups) * 31 + ChannelShuffleVertex.class.getSimpleName().hashCode();
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new ChannelShuffleGraphVertex(graph, name, idx, groups, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 1 || !(inputs[0] instanceof InputType.InputTypeConvolutional c)) {
            throw new InvalidInputTypeException("a channel shuffle takes one convolutional input, but had "
                    + java.util.Arrays.toString(inputs));
        }
        if (c.getChannels() % groups != 0) {
            throw new InvalidInputTypeException("a channel shuffle of " + groups + " groups needs a multiple of "
                    + groups + " channels, but had " + c.getChannels());
        }
        return inputs[0];
    }

    @Override
    public String toString() {
        return "ChannelShuffleVertex(groups=" + groups + ")";
    }
}
