package org.nas4j.estimators.export;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Moves a series between nas4j's convolutional form {@code [B, C, 1, T]} and DL4J's recurrent form
 * {@code [B, C, T]} (NCW), forward and backward, so that a DL4J recurrent layer can read and feed the convolutional
 * layers of an exported time-series network: {@code toSequence} drops the unit height, the other direction
 * restores it. No parameters; unlike DL4J's {@code ReshapeVertex} it needs neither the batch size nor the length.
 * Restoring a saved graph needs this class on the class path (it is named in the JSON).
 *
 * <pre>{@code
 * builder.addVertex("b1.lstm.seq", new TimeAxisVertex(true), "b0.bn");    // [B, C, 1, T] -> [B, C, T]
 * builder.addLayer("b1.lstm", new LSTM.Builder().nIn(8).nOut(16).build(), "b1.lstm.seq");
 * builder.addVertex("b1.lstm.map", new TimeAxisVertex(false), "b1.lstm"); // [B, H, T] -> [B, H, 1, T]
 * }</pre>
 */
public final class TimeAxisVertex extends OneInputVertex {

    private static final long serialVersionUID = 1L;

    private final boolean toSequence;

    /**
     * The vertex.
     *
     * @param toSequence true for {@code [B, C, 1, T] -> [B, C, T]}, false for the way back
     */
    @JsonCreator
    public TimeAxisVertex(@JsonProperty("toSequence") boolean toSequence) {
        this.toSequence = toSequence;
    }

    /** Whether this vertex goes from the convolutional to the recurrent form. */
    public boolean isToSequence() {
        return toSequence;
    }

    @Override
    public TimeAxisVertex clone() {
        return new TimeAxisVertex(toSequence);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeAxisVertex v && v.toSequence == toSequence;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(toSequence) * 31 + TimeAxisVertex.class.getSimpleName().hashCode();
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new TimeAxisGraphVertex(graph, name, idx, toSequence, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 1) {
            throw new InvalidInputTypeException("a time-axis vertex takes one input, but had " + inputs.length);
        }
        if (toSequence) {
            if (!(inputs[0] instanceof InputType.InputTypeConvolutional c) || c.getHeight() != 1) {
                throw new InvalidInputTypeException("a time-axis vertex to the recurrent form reads channels x 1 x"
                        + " length maps, but the input was " + inputs[0]);
            }
            return InputType.recurrent(c.getChannels(), c.getWidth());
        }
        if (!(inputs[0] instanceof InputType.InputTypeRecurrent r)) {
            throw new InvalidInputTypeException("a time-axis vertex to the convolutional form reads a recurrent"
                    + " input, but the input was " + inputs[0]);
        }
        return InputType.convolutional(1, r.getTimeSeriesLength(), r.getSize());
    }

    @Override
    public String toString() {
        return "TimeAxisVertex(toSequence=" + toSequence + ")";
    }
}
