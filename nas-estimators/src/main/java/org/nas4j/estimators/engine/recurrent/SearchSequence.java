package org.nas4j.estimators.engine.recurrent;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The arrays of a {@link DartsSearchCell} for one batch size and segments of up to {@link #capacity} steps, made
 * once with every per-step and per-node view, so that a forward and a backward pass allocate no data buffer. Every
 * buffer is step-major, so a shorter segment uses a prefix (the few whole-segment views are made per call by
 * {@link #prefix}). Node {@code i} (1 .. steps) has {@code i} edges, one per earlier state; its per-edge arrays are
 * {@code [i * batch, ...]}, edge {@code j}'s rows being {@code j * batch .. (j + 1) * batch}.
 */
final class SearchSequence {
    final int capacity;
    final int batch;
    final int steps;
    final int hiddenSize;

    /** The step inputs after the input mask {@code [T*B, I]}, and the gradient with respect to them. */
    final INDArray maskedInput;
    final INDArray inputGrad;
    /** The state each step starts from after the hidden mask, {@code [T*B, H]}, and per step views. */
    final INDArray maskedPrevious;
    final INDArray[] maskedPreviousStep;
    /** The state before the first step. */
    final INDArray initial;
    /** {@code s0}'s pre-activations {@code [T*B, 2H]} and their gradients; per step views and halves. */
    final INDArray pre0;
    final INDArray pre0Grad;
    final INDArray[] pre0Step;
    final INDArray[] pre0Left;
    final INDArray[] pre0Right;
    final INDArray[] pre0GradStep;
    final INDArray[] pre0GradLeft;
    final INDArray[] pre0GradRight;
    /** {@code s0}'s gate and tanh per step, {@code [B, H]}. */
    final INDArray[] gate0;
    final INDArray[] act0;
    /** Per step: the normalised states {@code [(steps+1)*B, H]}, per state blocks, and the inverse deviations. */
    final INDArray[][] block;
    final INDArray[][] inverse;
    /** Per step and node {@code i}: the states it reads, rows {@code 0 .. i*B} of the step's states. */
    final INDArray[][] read;
    /** Per step: states 1 .. steps as {@code [steps, B*H]}, what the output averages. */
    final INDArray[] averaged;
    /** The outputs {@code [T*B, H]}, per step views, and per step flat views {@code [1, B*H]}. */
    final INDArray hidden;
    final INDArray[] hiddenStep;
    final INDArray[] hiddenFlat;
    /** A copy of dL/d(outputs) and per step views. */
    final INDArray outputsGrad;
    final INDArray[] outputsGradStep;

    /** Per node {@code i}: the masked states read {@code [T*i*B, H]} and the pre-activation gradients. */
    final INDArray[] maskedRead;
    final INDArray[] preGrad;
    /** Per node and step, {@code [i*B, ...]}: the views of the above, the pre-activations and what the step keeps. */
    final INDArray[][] maskedReadStep;
    final INDArray[][] pre;
    final INDArray[][] preLeft;
    final INDArray[][] preRight;
    final INDArray[][] preGradStep;
    final INDArray[][] preGradLeft;
    final INDArray[][] preGradRight;
    final INDArray[][] gate;
    final INDArray[][] tanh;
    final INDArray[][] sigmoid;
    /** {@code sum_k p_k act_k(h) - total * s}: the highway's {@code act - s} of the mixed edge. */
    final INDArray[][] difference;

    /** The mixture: per activation {@code k} (tanh, relu, sigmoid, identity) and in total, per node a column. */
    final INDArray coefficients;
    final INDArray[][] coefficient;
    final INDArray[] total;
    /** The hidden mask tiled over the edges of a node, per node {@code [i*B, H]}. */
    final INDArray[] hMaskTiled;
    /** Per node, the edges' dL/dp per activation and the common carried term, summed over steps: {@code [5i, 1]}. */
    final INDArray edgeGrad;
    final INDArray[] edgeGradNode;

    /** Scratch per node {@code [i*B, H]} (and its flat view {@code [i, B*H]}), and {@code [5*i*B, H]} stacks. */
    final INDArray[] mixed;
    final INDArray[] carried;
    final INDArray[] edgeOut;
    final INDArray[] edgeOutFlat;
    final INDArray[] scratch;
    final INDArray[] scratch2;
    final INDArray[] tiled;
    final INDArray[] ones;
    final INDArray[][] stackSlice;
    final INDArray[] stackFlat;
    /** Row vectors of ones {@code [1, i]} per node and {@code [1, B]}, and a column {@code [B*H, 1]}. */
    final INDArray[] onesEdges;
    final INDArray onesBatch;
    final INDArray onesColumn;
    /** dL/d(states) of the step being back-propagated, per state block and per node's read rows. */
    final INDArray stateGrad;
    final INDArray[] stateGradBlock;
    final INDArray[] stateGradRead;
    final INDArray stateGradAveraged;
    /** Scratch {@code [B, H]}: a node's sum over edges and its flat view, a state's gradient, and BN's own. */
    final INDArray nodeRaw;
    final INDArray nodeRawFlat;
    final INDArray rawGrad;
    final INDArray square;
    final INDArray stepScratch;
    final INDArray stepScratch2;
    final INDArray stepOnes;
    final INDArray dh;
    final INDArray carry;
    final INDArray initialGrad;

    SearchSequence(DataType type, int capacity, int batch, int steps, int inputSize, int hiddenSize) {
        this.capacity = capacity;
        this.batch = batch;
        this.steps = steps;
        this.hiddenSize = hiddenSize;
        int h = hiddenSize;
        long b = batch;
        long rows = (long) capacity * batch;
        int edges = steps * (steps + 1) / 2;
        maskedInput = Nd4j.zeros(type, rows, inputSize);
        inputGrad = Nd4j.zeros(type, rows, inputSize);
        maskedPrevious = Nd4j.zeros(type, rows, h);
        maskedPreviousStep = perStep(maskedPrevious, b, h);
        initial = Nd4j.zeros(type, b, h);
        pre0 = Nd4j.zeros(type, rows, 2L * h);
        pre0Grad = Nd4j.zeros(type, rows, 2L * h);
        pre0Step = perStep(pre0, b, 2L * h);
        pre0Left = halves(pre0, b, 0);
        pre0Right = halves(pre0, b, h);
        pre0GradStep = perStep(pre0Grad, b, 2L * h);
        pre0GradLeft = halves(pre0Grad, b, 0);
        pre0GradRight = halves(pre0Grad, b, h);
        gate0 = perStep(Nd4j.zeros(type, rows, h), b, h);
        act0 = perStep(Nd4j.zeros(type, rows, h), b, h);
        INDArray states = Nd4j.zeros(type, rows * (steps + 1), h);
        INDArray inverses = Nd4j.ones(type, (long) capacity * (steps + 1), h);
        block = new INDArray[capacity][steps + 1];
        inverse = new INDArray[capacity][steps + 1];
        read = new INDArray[capacity][steps + 1];
        averaged = new INDArray[capacity];
        long stepElements = (steps + 1) * b * h;
        for (int t = 0; t < capacity; t++) {
            for (int k = 0; k <= steps; k++) {
                block[t][k] = view(states, t * stepElements + k * b * h, b, h);
                inverse[t][k] = view(inverses, ((long) t * (steps + 1) + k) * h, 1, h);
                read[t][k] = k == 0 ? null : view(states, t * stepElements, k * b, h);
            }
            averaged[t] = view(states, t * stepElements + b * h, steps, b * h);
        }
        hidden = Nd4j.zeros(type, rows, h);
        hiddenStep = perStep(hidden, b, h);
        hiddenFlat = perStep(hidden, 1, b * h);
        outputsGrad = Nd4j.zeros(type, rows, h);
        outputsGradStep = perStep(outputsGrad, b, h);

        maskedRead = new INDArray[steps + 1];
        preGrad = new INDArray[steps + 1];
        maskedReadStep = new INDArray[steps + 1][];
        pre = new INDArray[steps + 1][];
        preLeft = new INDArray[steps + 1][];
        preRight = new INDArray[steps + 1][];
        preGradStep = new INDArray[steps + 1][];
        preGradLeft = new INDArray[steps + 1][];
        preGradRight = new INDArray[steps + 1][];
        gate = new INDArray[steps + 1][];
        tanh = new INDArray[steps + 1][];
        sigmoid = new INDArray[steps + 1][];
        difference = new INDArray[steps + 1][];
        coefficients = Nd4j.zeros(type, 5, (long) edges * batch);
        coefficient = new INDArray[steps + 1][4];
        total = new INDArray[steps + 1];
        hMaskTiled = new INDArray[steps + 1];
        edgeGrad = Nd4j.zeros(type, 5L * edges, 1);
        edgeGradNode = new INDArray[steps + 1];
        long widest = steps * b;
        INDArray hMasks = Nd4j.zeros(type, widest, h);
        INDArray mixedAll = Nd4j.zeros(type, widest, h);
        INDArray carriedAll = Nd4j.zeros(type, widest, h);
        INDArray edgeOutAll = Nd4j.zeros(type, widest, h);
        INDArray scratchAll = Nd4j.zeros(type, widest, h);
        INDArray scratch2All = Nd4j.zeros(type, widest, h);
        INDArray tiledAll = Nd4j.zeros(type, widest, h);
        INDArray onesAll = Nd4j.ones(type, widest, h);
        INDArray stack = Nd4j.zeros(type, 5 * widest, h);
        INDArray onesRow = Nd4j.ones(type, 1, steps);
        mixed = new INDArray[steps + 1];
        carried = new INDArray[steps + 1];
        edgeOut = new INDArray[steps + 1];
        edgeOutFlat = new INDArray[steps + 1];
        scratch = new INDArray[steps + 1];
        scratch2 = new INDArray[steps + 1];
        tiled = new INDArray[steps + 1];
        ones = new INDArray[steps + 1];
        stackSlice = new INDArray[steps + 1][5];
        stackFlat = new INDArray[steps + 1];
        onesEdges = new INDArray[steps + 1];
        int offset = 0;
        for (int i = 1; i <= steps; i++) {
            long r = i * b;
            maskedRead[i] = Nd4j.zeros(type, rows * i, h);
            preGrad[i] = Nd4j.zeros(type, rows * i, 2L * h);
            INDArray preAll = Nd4j.zeros(type, rows * i, 2L * h);
            maskedReadStep[i] = perStep(maskedRead[i], r, h);
            pre[i] = perStep(preAll, r, 2L * h);
            preLeft[i] = halves(preAll, r, 0);
            preRight[i] = halves(preAll, r, h);
            preGradStep[i] = perStep(preGrad[i], r, 2L * h);
            preGradLeft[i] = halves(preGrad[i], r, 0);
            preGradRight[i] = halves(preGrad[i], r, h);
            gate[i] = perStep(Nd4j.zeros(type, rows * i, h), r, h);
            tanh[i] = perStep(Nd4j.zeros(type, rows * i, h), r, h);
            sigmoid[i] = perStep(Nd4j.zeros(type, rows * i, h), r, h);
            difference[i] = perStep(Nd4j.zeros(type, rows * i, h), r, h);
            for (int k = 0; k < 4; k++) {
                coefficient[i][k] = view(coefficients, (long) k * edges * b + offset * b, r, 1);
            }
            total[i] = view(coefficients, 4L * edges * b + offset * b, r, 1);
            edgeGradNode[i] = view(edgeGrad, 5L * offset, 5L * i, 1);
            hMaskTiled[i] = view(hMasks, 0, r, h);
            mixed[i] = view(mixedAll, 0, r, h);
            carried[i] = view(carriedAll, 0, r, h);
            edgeOut[i] = view(edgeOutAll, 0, r, h);
            edgeOutFlat[i] = view(edgeOutAll, 0, i, b * h);
            scratch[i] = view(scratchAll, 0, r, h);
            scratch2[i] = view(scratch2All, 0, r, h);
            tiled[i] = view(tiledAll, 0, r, h);
            ones[i] = view(onesAll, 0, r, h);
            for (int k = 0; k < 5; k++) {
                stackSlice[i][k] = view(stack, k * r * h, r, h);
            }
            stackFlat[i] = view(stack, 0, 5L * i, b * h);
            onesEdges[i] = view(onesRow, 0, 1, i);
            offset += i;
        }
        onesBatch = Nd4j.ones(type, 1, b);
        onesColumn = Nd4j.ones(type, b * h, 1);
        stateGrad = Nd4j.zeros(type, (steps + 1) * b, h);
        stateGradBlock = new INDArray[steps + 1];
        stateGradRead = new INDArray[steps + 1];
        for (int k = 0; k <= steps; k++) {
            stateGradBlock[k] = view(stateGrad, k * b * h, b, h);
            stateGradRead[k] = k == 0 ? null : view(stateGrad, 0, k * b, h);
        }
        stateGradAveraged = view(stateGrad, b * h, steps * b, h);
        nodeRaw = Nd4j.zeros(type, b, h);
        nodeRawFlat = view(nodeRaw, 0, 1, b * h);
        rawGrad = Nd4j.zeros(type, b, h);
        square = Nd4j.zeros(type, b, h);
        stepScratch = Nd4j.zeros(type, b, h);
        stepScratch2 = Nd4j.zeros(type, b, h);
        stepOnes = Nd4j.ones(type, b, h);
        dh = Nd4j.zeros(type, b, h);
        carry = Nd4j.zeros(type, b, h);
        initialGrad = Nd4j.zeros(type, b, h);
    }

    /** The state step {@code t} starts from: the initial state, then the previous step's output. */
    INDArray previous(int t) {
        return t == 0 ? initial : hiddenStep[t - 1];
    }

    /** The first {@code length} steps' rows of a step-major buffer of {@code rowsPerStep} rows a step. */
    static INDArray prefix(INDArray buffer, int length, long rowsPerStep) {
        return view(buffer, 0, length * rowsPerStep, buffer.size(1));
    }

    /** A row-major {@code [rows, columns]} view of {@code buffer}'s data from element {@code offset}. */
    static INDArray view(INDArray buffer, long offset, long rows, long columns) {
        return Nd4j.create(buffer.data(), new long[] {rows, columns}, new long[] {columns, 1},
                buffer.offset() + offset, 'c', buffer.dataType());
    }

    private INDArray[] perStep(INDArray buffer, long rowsPerStep, long columns) {
        INDArray[] out = new INDArray[capacity];
        for (int t = 0; t < capacity; t++) {
            out[t] = view(buffer, t * rowsPerStep * columns, rowsPerStep, columns);
        }
        return out;
    }

    /** Per step, the {@code H} columns from {@code column} of a {@code [T*rows, 2H]} buffer (strided views). */
    private INDArray[] halves(INDArray buffer, long rowsPerStep, long column) {
        INDArray[] out = new INDArray[capacity];
        long width = 2L * hiddenSize;
        for (int t = 0; t < capacity; t++) {
            out[t] = Nd4j.create(buffer.data(), new long[] {rowsPerStep, hiddenSize}, new long[] {width, 1},
                    buffer.offset() + t * rowsPerStep * width + column, 'c', buffer.dataType());
        }
        return out;
    }
}
