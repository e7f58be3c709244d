package org.nas4j.estimators.engine.recurrent;

import static org.nas4j.estimators.engine.recurrent.DartsSearchCell.IDENTITY;
import static org.nas4j.estimators.engine.recurrent.DartsSearchCell.RELU;
import static org.nas4j.estimators.engine.recurrent.DartsSearchCell.SIGMOID;
import static org.nas4j.estimators.engine.recurrent.DartsSearchCell.TANH;

import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass of a {@link DartsSearchCell} (BPTT over the arrays its forward pass kept in a
 * {@link SearchSequence}): the steps backwards, the nodes of a step in reverse, through the batch norm, each edge's
 * dL/dp accumulated, then the matrices' gradients over all steps in one product each and the softmax's Jacobian per
 * row for the architecture weights. Its own native-op call sites, so a pass allocates no data buffer (beside the
 * host arrays of the architecture gradient). Not thread-safe; one per cell.
 */
final class SearchCellBackward {
    private final int steps;
    private final int inputSize;
    private final int hiddenSize;
    private final StateBatchNorm norm;
    private final Parameter w0;
    private final Parameter[] w;
    private final Parameter weights;
    private final NativeOp[] tile;
    private final NativeOp matmulAccumulate = NativeOp.named("matmul").floatArgs(1.0, 1.0);
    private final NativeOp matmulTransposeA = NativeOp.named("matmul").intArgs(1, 0, 0);
    private final NativeOp matmulTransposeB = NativeOp.named("matmul").intArgs(0, 1, 0);
    private final NativeOp add = NativeOp.named("add");
    private final NativeOp subtract = NativeOp.named("subtract");
    private final NativeOp multiply = NativeOp.named("multiply");
    private final NativeOp relu = NativeOp.named("relu").floatArgs(0.0);
    private INDArray hMask;
    private boolean batchStatistics;
    private double[][] probs;

    SearchCellBackward(int steps, int inputSize, int hiddenSize, StateBatchNorm norm, Parameter w0, Parameter[] w,
            Parameter weights, NativeOp[] tile) {
        this.steps = steps;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.norm = norm;
        this.w0 = w0;
        this.w = w;
        this.weights = weights;
        this.tile = tile;
    }

    /** Writes dL/d(raw state {@code k} of step {@code t}) into {@code s.rawGrad}. */
    private void normalizeBackward(SearchSequence s, int t, int k) {
        if (norm == null) {
            s.rawGrad.assign(s.stateGradBlock[k]);
        } else {
            norm.backward(s.rawGrad, s.stateGradBlock[k], s.block[t][k], s.inverse[t][k], s.onesBatch, s.square,
                    batchStatistics);
        }
    }

    /**
     * The backward pass of the segment {@code s} of {@code length} steps that the cell's last forward ran:
     * writes and marks the gradients of the matrices and the architecture weights and returns dL/d(inputs).
     */
    INDArray run(SearchSequence s, int length, INDArray gradOutputs, INDArray xMask, INDArray hMask,
            boolean batchStatistics, double[][] probs) {
        this.hMask = hMask;
        this.batchStatistics = batchStatistics;
        this.probs = probs;
        int batch = s.batch;
        INDArray w0h = hiddenRows(w0.value());
        SearchSequence.prefix(s.outputsGrad, length, batch).assign(gradOutputs);
        s.edgeGrad.assign(0);
        s.carry.assign(0);
        for (int t = length - 1; t >= 0; t--) {
            add.exec(s.dh, s.outputsGradStep[t], s.carry);
            s.dh.muli(1.0 / steps);
            s.stateGradBlock[0].assign(0);
            tile[steps].exec(s.stateGradAveraged, s.dh);
            for (int i = steps; i >= 1; i--) {
                nodeBackward(s, t, i);
            }
            normalizeBackward(s, t, 0);
            INDArray previous = s.previous(t);
            INDArray c0 = s.gate0[t];
            INDArray g0 = s.act0[t];
            INDArray g = s.rawGrad;
            subtract.exec(s.stepScratch, g0, previous);
            multiply.exec(s.stepScratch, s.stepScratch, g);
            subtract.exec(s.stepScratch2, s.stepOnes, c0);
            multiply.exec(s.stepScratch2, s.stepScratch2, c0);
            multiply.exec(s.pre0GradLeft[t], s.stepScratch, s.stepScratch2);
            multiply.exec(s.stepScratch, g0, g0);
            subtract.exec(s.stepScratch, s.stepOnes, s.stepScratch);
            multiply.exec(s.stepScratch, s.stepScratch, c0);
            multiply.exec(s.pre0GradRight[t], s.stepScratch, g);
            INDArray previousGrad = t == 0 ? s.initialGrad : s.carry;
            matmulTransposeB.exec(previousGrad, s.pre0GradStep[t], w0h);
            if (hMask != null) {
                multiply.exec(previousGrad, previousGrad, hMask);
            }
            subtract.exec(s.stepScratch, s.stepOnes, c0);
            multiply.exec(s.stepScratch, s.stepScratch, g);
            add.exec(previousGrad, previousGrad, s.stepScratch);
        }
        INDArray pre0Grad = SearchSequence.prefix(s.pre0Grad, length, batch);
        INDArray maskedInput = SearchSequence.prefix(s.maskedInput, length, batch);
        matmulTransposeA.exec(inputRows(w0.gradient()), maskedInput, pre0Grad);
        matmulTransposeA.exec(hiddenRows(w0.gradient()), SearchSequence.prefix(s.maskedPrevious, length, batch),
                pre0Grad);
        w0.markGradient();
        for (int i = 1; i <= steps; i++) {
            long rows = (long) i * batch;
            matmulTransposeA.exec(w[i].gradient(), SearchSequence.prefix(s.maskedRead[i], length, rows),
                    SearchSequence.prefix(s.preGrad[i], length, rows));
            w[i].markGradient();
        }
        weights.gradient().assign(Nd4j.createFromArray(softmaxBackward(probs, edgeGradients(s)))
                .castTo(weights.gradient().dataType()));
        weights.markGradient();
        INDArray inputGrad = SearchSequence.prefix(s.inputGrad, length, batch);
        matmulTransposeB.exec(inputGrad, pre0Grad, inputRows(w0.value()));
        if (xMask != null) {
            inputGrad.reshape('c', length, (long) batch * inputSize).muliRowVector(xMask.reshape(1,
                    xMask.length()));
        }
        return inputGrad;
    }

    /**
     * Node {@code i} at step {@code t} backwards, with dL/d(its state) complete in {@code s.stateGradBlock[i]}:
     * through its batch norm to every edge ({@code d}), the edges' dL/dp, the pre-activations' gradients, and
     * dL/d(the states read) added into their blocks.
     */
    private void nodeBackward(SearchSequence s, int t, int i) {
        normalizeBackward(s, t, i);
        INDArray d = s.tiled[i];
        tile[i].exec(d, s.rawGrad);
        INDArray read = s.read[t][i];
        INDArray c = s.gate[i][t];
        INDArray h = s.preRight[i][t];
        INDArray[] stack = s.stackSlice[i];
        INDArray u = s.mixed[i];
        INDArray carriedGrad = s.carried[i];
        INDArray a = s.scratch[i];
        INDArray slope = s.scratch2[i];
        // u = d c; the edge's output is s + c (act_k - s), so dL/dp_k = sum(u act_k) + sum(d (1 - c) s) per edge
        multiply.exec(u, d, c);
        subtract.exec(carriedGrad, d, u);
        multiply.exec(stack[TANH], u, s.tanh[i][t]);
        relu.exec(a, h);
        multiply.exec(stack[RELU], u, a);
        multiply.exec(stack[SIGMOID], u, s.sigmoid[i][t]);
        multiply.exec(stack[IDENTITY], u, h);
        multiply.exec(stack[4], carriedGrad, read);
        matmulAccumulate.exec(s.edgeGradNode[i], s.stackFlat[i], s.onesColumn);
        // the gate: d (mixed - carried) c (1 - c)
        subtract.exec(a, s.ones[i], c);
        multiply.exec(a, a, u);
        multiply.exec(s.preGradLeft[i][t], a, s.difference[i][t]);
        // the activations: d c sum_k p_k act_k'(h)
        multiply.exec(a, s.tanh[i][t], s.tanh[i][t]);
        subtract.exec(a, s.ones[i], a);
        multiply.exec(slope, a, s.coefficient[i][TANH]);
        Nd4j.getExecutioner().exec(new Step(h, a, 0.0));
        multiply.exec(a, a, s.coefficient[i][RELU]);
        add.exec(slope, slope, a);
        multiply.exec(a, s.sigmoid[i][t], s.sigmoid[i][t]);
        subtract.exec(a, s.sigmoid[i][t], a);
        multiply.exec(a, a, s.coefficient[i][SIGMOID]);
        add.exec(slope, slope, a);
        add.exec(slope, slope, s.coefficient[i][IDENTITY]);
        multiply.exec(s.preGradRight[i][t], u, slope);
        // the states read: d (1 - c) total through the carry, and the product back through the matrix
        multiply.exec(carriedGrad, carriedGrad, s.total[i]);
        matmulTransposeB.exec(a, s.preGradStep[i][t], w[i].value());
        if (hMask != null) {
            multiply.exec(a, a, s.hMaskTiled[i]);
        }
        add.exec(a, a, carriedGrad);
        add.exec(s.stateGradRead[i], s.stateGradRead[i], a);
    }

    /** The accumulated dL/dp per edge and primitive ({@code none}: 0) on the host. */
    private double[][] edgeGradients(SearchSequence s) {
        double[] all = s.edgeGrad.castTo(DataType.DOUBLE).toDoubleVector();
        double[][] out = new double[probs.length][probs[0].length];
        int offset = 0;
        for (int i = 1; i <= steps; i++) {
            int base = 5 * offset;
            for (int j = 0; j < i; j++) {
                for (int k = 0; k < 4; k++) {
                    out[offset + j][k + 1] = all[base + k * i + j] + all[base + 4 * i + j];
                }
            }
            offset += i;
        }
        return out;
    }

    /** dL/d(logits) of row-wise softmaxes {@code p} from dL/dp: {@code p * (g - sum_l p_l g_l)}. */
    private static double[][] softmaxBackward(double[][] p, double[][] g) {
        double[][] out = new double[p.length][];
        for (int e = 0; e < p.length; e++) {
            double dot = 0;
            for (int k = 0; k < p[e].length; k++) {
                dot += p[e][k] * g[e][k];
            }
            out[e] = new double[p[e].length];
            for (int k = 0; k < p[e].length; k++) {
                out[e][k] = p[e][k] * (g[e][k] - dot);
            }
        }
        return out;
    }


    private INDArray inputRows(INDArray matrix) {
        return SearchSequence.view(matrix, 0, inputSize, 2L * hiddenSize);
    }

    private INDArray hiddenRows(INDArray matrix) {
        return SearchSequence.view(matrix, (long) inputSize * 2 * hiddenSize, hiddenSize, 2L * hiddenSize);
    }
}
