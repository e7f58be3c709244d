package org.nas4j.estimators.engine.recurrent;

import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A recurrent cell between the embedding and the decoder of a {@link RecurrentLanguageModel}: one truncated-BPTT
 * segment forward from a given state, and backpropagation through it. {@link GenotypeCell} is one fixed cell,
 * {@link DartsSearchCell} DARTS' supernet over every cell of the space.
 */
public interface RecurrentCell {

    /** Input features. */
    int inputSize();

    /** Hidden units. */
    int hiddenSize();

    /**
     * Runs a segment.
     *
     * @param inputs  {@code [length * batch, inputSize]}, step-major
     * @param initial the state before the first step, {@code [batch, hiddenSize]} (copied)
     * @param batch   rows per step
     * @param xMask   the input mask {@code [batch, inputSize]} applied at every step, or null for none
     * @param hMask   the hidden mask {@code [batch, hiddenSize]} applied at every step, or null for none
     * @param mode    training or inference (a cell with batch statistics uses them in training only)
     * @return the outputs {@code [length * batch, hiddenSize]}, owned by the cell
     */
    INDArray forward(INDArray inputs, INDArray initial, int batch, INDArray xMask, INDArray hMask, Mode mode);

    /**
     * Backpropagation through time over the last segment; writes and marks the gradients of the cell's parameters.
     *
     * @param gradOutputs dL/dh for every step, {@code [length * batch, hiddenSize]}
     * @return dL/dx for every step, {@code [length * batch, inputSize]}, owned by the cell
     */
    INDArray backward(INDArray gradOutputs);

    /** dL/d(initial state) of the last backward call, {@code [batch, hiddenSize]}, owned by the cell. */
    INDArray initialStateGradient();
}
