package org.nas4j.estimators.engine.recurrent;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A recurrent layer that runs a whole sequence known in advance and back-propagates through it: what
 * {@link TemporalRecurrent} needs of {@link LstmCell} and {@link GruCell}.
 */
public interface SequenceCell {

    /** Input features. */
    int inputSize();

    /** Hidden units. */
    int hiddenSize();

    /**
     * Runs the sequence from the zero state.
     *
     * @param inputs {@code [length, batch, inputSize]}, or {@code [length * batch, inputSize]} step-major
     * @param batch  rows per step
     * @return every step's hidden state {@code [length * batch, hiddenSize]} (step-major), owned by the cell
     */
    INDArray forward(INDArray inputs, int batch);

    /**
     * Backpropagation through time over the last forward sequence; writes and marks the parameters' gradients.
     *
     * @param gradHidden dL/dh for every step, {@code [length, batch, hiddenSize]} or
     *                   {@code [length * batch, hiddenSize]}
     * @return dL/dx for every step, {@code [length * batch, inputSize]} (step-major), owned by the cell
     */
    INDArray backward(INDArray gradHidden);
}
