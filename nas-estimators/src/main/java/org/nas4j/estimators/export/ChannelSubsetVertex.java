package org.nas4j.estimators.export;

import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's {@link SubsetVertex} (channels {@code from..to}, inclusive, of its input) with the output type of a
 * convolutional input fixed: in 1.0.0-M2.1 {@code SubsetVertex.getOutputType} gives such an input
 * {@code from - to + 1} channels (negative for any real subset), which breaks the type checks of the vertices
 * after it. Computation, parameters and serialization are SubsetVertex's; restoring a saved graph needs this class
 * on the class path (it is named in the JSON).
 */
public final class ChannelSubsetVertex extends SubsetVertex {

    private static final long serialVersionUID = 1L;

    /**
     * The vertex.
     *
     * @param from first kept channel
     * @param to   last kept channel (inclusive)
     */
    public ChannelSubsetVertex(@JsonProperty("from") int from, @JsonProperty("to") int to) {
        super(from, to);
    }

    @Override
    public ChannelSubsetVertex clone() {
        return new ChannelSubsetVertex(getFrom(), getTo());
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length == 1 && inputs[0] instanceof InputType.InputTypeConvolutional c) {
            if (getTo() >= c.getChannels()) {
                throw new InvalidInputTypeException("channels " + getFrom() + ".." + getTo() + " of an input with "
                        + c.getChannels() + " channels");
            }
            return InputType.convolutional(c.getHeight(), c.getWidth(), getTo() - getFrom() + 1, c.getFormat());
        }
        return super.getOutputType(layerIndex, inputs);
    }
}
