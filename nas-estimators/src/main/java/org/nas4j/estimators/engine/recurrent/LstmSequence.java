package org.nas4j.estimators.engine.recurrent;

import org.nas4j.estimators.engine.MemoryScope;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The arrays of one sequence shape (length, batch) of an {@link LstmCell}: what the forward steps keep for
 * backpropagation through time, the backward scratch, and every per-step and per-gate view, all made once, since
 * creating a view costs about as much as a native call on these tiny arrays.
 */
final class LstmSequence {
    final int length;
    final int batch;
    private final int hidden;

    final INDArray inputs;
    final INDArray[] x;
    final INDArray gatesAll;
    final INDArray[] gates;
    private final INDArray[][] gateViews;
    final INDArray[] inputForgetGates;
    final INDArray cellGateAll;
    final INDArray[] c;
    final INDArray tanhCAll;
    final INDArray[] tanhC;
    final INDArray[] h;
    final INDArray hidden2d;
    final INDArray scratch;

    final INDArray gradHidden;
    final INDArray gradHidden2d;
    final INDArray gates2d;
    final INDArray[] gradHidden3;
    final INDArray gateDerivative;
    final INDArray[] gateDerivative3;
    final INDArray cellGateDerivative;
    final INDArray tanhCDerivative;
    final INDArray[] tanhCDerivative3;
    final INDArray onesHidden;
    final INDArray gradGatesAll;
    final INDArray[] gradGates;
    private final INDArray[][] gradGateViews;
    final INDArray gradGates2d;
    final INDArray gradGatesFrom1;
    final INDArray input2d;
    final INDArray hiddenUpToLast;
    final INDArray onesRow;
    final INDArray gradInput2d;
    final INDArray dc;
    final INDArray carryC;

    LstmSequence(DataType type, int length, int batch, int input, int hidden) {
        this.length = length;
        this.batch = batch;
        this.hidden = hidden;
        int g = 4 * hidden;
        INDArray xAll = MemoryScope.track(Nd4j.zeros(type, length, batch, input));
        inputs = xAll;
        gatesAll = MemoryScope.track(Nd4j.zeros(type, length, batch, g));
        INDArray cAll = MemoryScope.track(Nd4j.zeros(type, length, batch, hidden));
        tanhCAll = MemoryScope.track(Nd4j.zeros(type, length, batch, hidden));
        INDArray hAll = MemoryScope.track(Nd4j.zeros(type, length, batch, hidden));
        x = steps(xAll);
        gates = steps(gatesAll);
        c = steps(cAll);
        tanhC = steps(tanhCAll);
        h = steps(hAll);
        gateViews = gateViews(gates);
        inputForgetGates = new INDArray[length];
        for (int t = 0; t < length; t++) {
            inputForgetGates[t] = gates[t].get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2 * hidden));
        }
        cellGateAll = gatesAll.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2 * hidden,
                3 * hidden));
        hidden2d = hAll.reshape('c', (long) length * batch, hidden);
        scratch = MemoryScope.track(Nd4j.zeros(type, batch, hidden));

        gradHidden = MemoryScope.track(Nd4j.zeros(type, length, batch, hidden));
        gradHidden3 = steps(gradHidden);
        gradHidden2d = gradHidden.reshape('c', (long) length * batch, hidden);
        gates2d = gatesAll.reshape('c', (long) length * batch, g);
        gateDerivative = MemoryScope.track(Nd4j.zeros(type, length, batch, g));
        gateDerivative3 = steps(gateDerivative);
        cellGateDerivative = gateDerivative.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(2 * hidden, 3 * hidden));
        tanhCDerivative = MemoryScope.track(Nd4j.zeros(type, length, batch, hidden));
        tanhCDerivative3 = steps(tanhCDerivative);
        onesHidden = MemoryScope.track(Nd4j.ones(type, length, batch, hidden));
        gradGatesAll = MemoryScope.track(Nd4j.zeros(type, length, batch, g));
        gradGates = steps(gradGatesAll);
        gradGateViews = gateViews(gradGates);
        gradGates2d = gradGatesAll.reshape('c', (long) length * batch, g);
        input2d = xAll.reshape('c', (long) length * batch, input);
        gradGatesFrom1 = length > 1 ? gradGates2d.get(NDArrayIndex.interval(batch, (long) length * batch),
                NDArrayIndex.all()) : null;
        hiddenUpToLast = length > 1 ? hidden2d.get(NDArrayIndex.interval(0, (long) (length - 1) * batch),
                NDArrayIndex.all()) : null;
        onesRow = MemoryScope.track(Nd4j.ones(type, 1, (long) length * batch));
        gradInput2d = MemoryScope.track(Nd4j.zeros(type, (long) length * batch, input));
        dc = MemoryScope.track(Nd4j.zeros(type, batch, hidden));
        carryC = MemoryScope.track(Nd4j.zeros(type, batch, hidden));
    }

    /** Gate {@code k} (0 input, 1 forget, 2 cell, 3 output) of step {@code t}, {@code [batch, hidden]}. */
    INDArray gate(int k, int t) {
        return gateViews[t][k];
    }

    /** The gradient with respect to gate {@code k}'s activation (then pre-activation) at step {@code t}. */
    INDArray gradGate(int k, int t) {
        return gradGateViews[t][k];
    }

    private static INDArray[] steps(INDArray all) {
        INDArray[] out = new INDArray[(int) all.size(0)];
        for (int t = 0; t < out.length; t++) {
            out[t] = all.get(NDArrayIndex.point(t), NDArrayIndex.all(), NDArrayIndex.all());
        }
        return out;
    }

    private INDArray[][] gateViews(INDArray[] perStep) {
        INDArray[][] out = new INDArray[perStep.length][4];
        for (int t = 0; t < perStep.length; t++) {
            for (int k = 0; k < 4; k++) {
                out[t][k] = perStep[t].get(NDArrayIndex.all(), NDArrayIndex.interval(k * hidden, (k + 1) * hidden));
            }
        }
        return out;
    }
}
