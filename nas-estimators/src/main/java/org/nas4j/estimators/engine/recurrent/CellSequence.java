package org.nas4j.estimators.engine.recurrent;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The arrays of one sequence shape (length, batch) of a {@link GenotypeCell}: per state what the forward steps keep
 * for backpropagation through time (the masked input it read, the pre-activations, the gate, the activation, the
 * state), the per-state gradients of the pre-activations, and every per-step view, all made once.
 */
final class CellSequence {
    final int length;
    final int batch;

    /** The step inputs after the input mask, {@code [T*B, I]}. */
    final INDArray maskedInput;
    /** The hidden state each step starts from after the hidden mask, {@code [T*B, H]}. */
    final INDArray maskedPrevious;
    final INDArray[] maskedPreviousStep;
    /** The state each step starts from (the initial state, then the previous step's output). */
    final INDArray initial;
    /** Per state {@code k} (0 is s0): pre-activations {@code [T*B, 2H]} and their gradients, and views. */
    final INDArray[] preActivation;
    final INDArray[] preActivationGrad;
    final INDArray[][] gateInput;
    final INDArray[][] activationInput;
    final INDArray[][] gateGrad;
    final INDArray[][] activationGrad;
    final INDArray[][] preActivationStep;
    final INDArray[][] preActivationGradStep;
    /** Per state: the gate {@code c}, the activation {@code act(h)}, the state {@code s}; per step views. */
    final INDArray[][] gate;
    final INDArray[][] activation;
    final INDArray[][] state;
    /** Per node {@code i >= 1}: the state it read after the hidden mask, {@code [T*B, H]}, and per step views. */
    final INDArray[] maskedRead;
    final INDArray[][] maskedReadStep;
    /** The cell outputs {@code [T*B, H]} and per step views. */
    final INDArray hidden;
    final INDArray[] hiddenStep;

    /** A copy of the gradient with respect to the outputs, {@code [T*B, H]}, and per step views. */
    final INDArray outputsGrad;
    final INDArray[] outputsGradStep;
    final INDArray[] stateGrad;
    final INDArray scratch;
    final INDArray scratch2;
    final INDArray ones;
    final INDArray outputGrad;
    final INDArray carry;
    final INDArray initialGrad;
    final INDArray inputGrad;

    CellSequence(DataType type, int length, int batch, int inputSize, int hiddenSize, int states) {
        this.length = length;
        this.batch = batch;
        long rows = (long) length * batch;
        maskedInput = Nd4j.zeros(type, rows, inputSize);
        maskedPrevious = Nd4j.zeros(type, rows, hiddenSize);
        maskedPreviousStep = steps(maskedPrevious);
        initial = Nd4j.zeros(type, batch, hiddenSize);
        preActivation = new INDArray[states];
        preActivationGrad = new INDArray[states];
        preActivationStep = new INDArray[states][];
        preActivationGradStep = new INDArray[states][];
        gateInput = new INDArray[states][];
        activationInput = new INDArray[states][];
        gateGrad = new INDArray[states][];
        activationGrad = new INDArray[states][];
        gate = new INDArray[states][];
        activation = new INDArray[states][];
        state = new INDArray[states][];
        maskedRead = new INDArray[states];
        maskedReadStep = new INDArray[states][];
        stateGrad = new INDArray[states];
        for (int k = 0; k < states; k++) {
            preActivation[k] = Nd4j.zeros(type, rows, 2L * hiddenSize);
            preActivationGrad[k] = Nd4j.zeros(type, rows, 2L * hiddenSize);
            preActivationStep[k] = steps(preActivation[k]);
            preActivationGradStep[k] = steps(preActivationGrad[k]);
            gateInput[k] = half(preActivationStep[k], 0, hiddenSize);
            activationInput[k] = half(preActivationStep[k], 1, hiddenSize);
            gateGrad[k] = half(preActivationGradStep[k], 0, hiddenSize);
            activationGrad[k] = half(preActivationGradStep[k], 1, hiddenSize);
            gate[k] = steps(Nd4j.zeros(type, rows, hiddenSize));
            activation[k] = steps(Nd4j.zeros(type, rows, hiddenSize));
            state[k] = steps(Nd4j.zeros(type, rows, hiddenSize));
            if (k > 0) {
                maskedRead[k] = Nd4j.zeros(type, rows, hiddenSize);
                maskedReadStep[k] = steps(maskedRead[k]);
            }
            stateGrad[k] = Nd4j.zeros(type, batch, hiddenSize);
        }
        hidden = Nd4j.zeros(type, rows, hiddenSize);
        hiddenStep = steps(hidden);
        outputsGrad = Nd4j.zeros(type, rows, hiddenSize);
        outputsGradStep = steps(outputsGrad);
        scratch = Nd4j.zeros(type, batch, hiddenSize);
        scratch2 = Nd4j.zeros(type, batch, hiddenSize);
        ones = Nd4j.ones(type, batch, hiddenSize);
        outputGrad = Nd4j.zeros(type, batch, hiddenSize);
        carry = Nd4j.zeros(type, batch, hiddenSize);
        initialGrad = Nd4j.zeros(type, batch, hiddenSize);
        inputGrad = Nd4j.zeros(type, rows, inputSize);
    }

    /** The state step {@code t} starts from: the initial state, then the previous step's output. */
    INDArray previous(int t) {
        return t == 0 ? initial : hiddenStep[t - 1];
    }

    private INDArray[] steps(INDArray all) {
        INDArray[] out = new INDArray[length];
        for (int t = 0; t < length; t++) {
            out[t] = all.get(NDArrayIndex.interval((long) t * batch, (long) (t + 1) * batch), NDArrayIndex.all());
        }
        return out;
    }

    private static INDArray[] half(INDArray[] perStep, int which, int hiddenSize) {
        INDArray[] out = new INDArray[perStep.length];
        for (int t = 0; t < perStep.length; t++) {
            out[t] = perStep[t].get(NDArrayIndex.all(), NDArrayIndex.interval((long) which * hiddenSize,
                    (long) (which + 1) * hiddenSize));
        }
        return out;
    }
}
