package org.nas4j.estimators.engine.recurrent;

import org.nas4j.estimators.engine.MemoryScope;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The arrays of one sequence shape (length, batch) of a {@link GruCell}: what the forward steps keep for
 * backpropagation through time, the backward scratch, and their per-step and per-gate views, made once so that a
 * sequence allocates nothing per step.
 */
final class GruSequence {
    final int length;
    final int batch;

    final INDArray input2d;
    final INDArray inputSteps;
    final INDArray projected;
    final INDArray recurrent;
    final INDArray[] recurrentRows;
    final INDArray[] update;
    final INDArray[] reset;
    final INDArray[] candidate;
    final INDArray hidden2d;
    final INDArray[] hidden;
    final INDArray hiddenPrev2d;
    final INDArray[] hiddenPrev;
    final INDArray scratch;
    final INDArray scratch2;
    private final INDArray[][] projectedGates;
    private final INDArray[][] recurrentGates;

    final INDArray gradHidden2d;
    final INDArray gradHiddenSteps;
    final INDArray[] gradHidden;
    final INDArray gradProjected;
    final INDArray gradRecurrent;
    final INDArray[] gradRecurrentRows;
    private final INDArray[][] gradProjectedGates;
    private final INDArray[][] gradRecurrentGates;
    final INDArray dh;
    final INDArray carry;
    final INDArray onesRow;
    final INDArray gradInput2d;

    GruSequence(DataType type, int length, int batch, int input, int hidden) {
        this.length = length;
        this.batch = batch;
        long rows = (long) length * batch;
        int gates = 3 * hidden;
        input2d = zeros(type, rows, input);
        inputSteps = input2d.reshape('c', length, batch, input);
        projected = zeros(type, rows, gates);
        recurrent = zeros(type, rows, gates);
        recurrentRows = steps(recurrent);
        update = steps(zeros(type, rows, hidden));
        reset = steps(zeros(type, rows, hidden));
        candidate = steps(zeros(type, rows, hidden));
        hidden2d = zeros(type, rows, hidden);
        this.hidden = steps(hidden2d);
        hiddenPrev2d = zeros(type, rows, hidden);
        hiddenPrev = steps(hiddenPrev2d);
        scratch = zeros(type, batch, hidden);
        scratch2 = zeros(type, batch, hidden);
        projectedGates = gates(steps(projected), hidden);
        recurrentGates = gates(recurrentRows, hidden);

        gradHidden2d = zeros(type, rows, hidden);
        gradHiddenSteps = gradHidden2d.reshape('c', length, batch, hidden);
        gradHidden = steps(gradHidden2d);
        gradProjected = zeros(type, rows, gates);
        gradRecurrent = zeros(type, rows, gates);
        gradRecurrentRows = steps(gradRecurrent);
        gradProjectedGates = gates(steps(gradProjected), hidden);
        gradRecurrentGates = gates(gradRecurrentRows, hidden);
        dh = zeros(type, batch, hidden);
        carry = zeros(type, batch, hidden);
        onesRow = MemoryScope.track(Nd4j.ones(type, 1, rows));
        gradInput2d = zeros(type, rows, input);
    }

    /** Gate {@code k} (0 update, 1 reset, 2 candidate) of step {@code t} of {@code x W_ih^T + b_ih}. */
    INDArray projectedGate(int k, int t) {
        return projectedGates[t][k];
    }

    /** Gate {@code k} of step {@code t} of {@code h_{t-1} W_hh^T + b_hh}. */
    INDArray recurrentGate(int k, int t) {
        return recurrentGates[t][k];
    }

    /** The gradient with respect to {@link #projectedGate}. */
    INDArray gradProjectedGate(int k, int t) {
        return gradProjectedGates[t][k];
    }

    /** The gradient with respect to {@link #recurrentGate}. */
    INDArray gradRecurrentGate(int k, int t) {
        return gradRecurrentGates[t][k];
    }

    private static INDArray zeros(DataType type, long... shape) {
        return MemoryScope.track(Nd4j.zeros(type, shape));
    }

    /** The row blocks of the steps of {@code [length * batch, n]}. */
    private INDArray[] steps(INDArray all) {
        INDArray[] out = new INDArray[length];
        for (int t = 0; t < length; t++) {
            out[t] = all.get(NDArrayIndex.interval((long) t * batch, (long) (t + 1) * batch), NDArrayIndex.all());
        }
        return out;
    }

    private static INDArray[][] gates(INDArray[] perStep, int hidden) {
        INDArray[][] out = new INDArray[perStep.length][3];
        for (int t = 0; t < perStep.length; t++) {
            for (int k = 0; k < 3; k++) {
                out[t][k] = perStep[t].get(NDArrayIndex.all(), NDArrayIndex.interval((long) k * hidden,
                        (long) (k + 1) * hidden));
            }
        }
        return out;
    }
}
