package org.nas4j.estimators.engine.recurrent;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.spaces.recurrent.RecurrentCellDerivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The first {@link DartsSearchCell}, kept as the reference the preallocated one is checked against (same outputs and
 * gradients) and timed against: the same equations written with plain {@code INDArray} operations that allocate
 * their results on every call. Test code only.
 */
final class DartsSearchCellReference implements RecurrentCell {

    /** The activations of {@link RecurrentCellDerivation#PRIMITIVES} after {@code none}, in that order. */
    private static final List<String> ACTIVATIONS = RecurrentCellDerivation.PRIMITIVES.subList(1,
            RecurrentCellDerivation.PRIMITIVES.size());

    private final int steps;
    private final int inputSize;
    private final int hiddenSize;
    /** The batch norm every state goes through, or null for none. */
    private final ReferenceBatchNorm norm;
    private final Parameter w0;
    private final Parameter[] w;
    private final Parameter weights;
    private Segment seg;

    /** The arrays of the last forward segment. */
    private static final class Segment {
        int length;
        int batch;
        boolean batchStatistics;
        INDArray xMask;
        INDArray hMask;
        /** The softmax of the architecture weights, {@code [edges, 5]}, on the host. */
        double[][] probs;
        /** Per node: per activation and in total (non-none) the probability of each row's edge, {@code [i*B, 1]}. */
        INDArray[][] coefficient;
        INDArray[] total;
        /** The hidden mask tiled over {@code steps} states, {@code [steps*B, H]}, or null. */
        INDArray hMaskTiled;
        INDArray maskedInput;
        INDArray[] previous;
        INDArray[] maskedPrevious;
        INDArray[] gate0;
        INDArray[] act0;
        /** Per step: the normalised states {@code [(steps+1)*B, H]} and each state's inverse deviation. */
        INDArray[] states;
        INDArray[][] inverseDeviation;
        /** Per step and node: the gates and the activations of every edge, {@code [i*B, H]}. */
        INDArray[][] gate;
        INDArray[][][] act;
        INDArray hidden;
        INDArray initialGrad;
    }

    /**
     * Declares {@code W0} and one matrix per node.
     *
     * @param params      where the matrices are declared
     * @param name        prefix of their names
     * @param weights     the architecture weights, {@link #weightsShape(int)}
     * @param steps       nodes after {@code s0}, at least 1 (the reference's {@code STEPS = 8})
     * @param inputSize   input features, at least 1
     * @param hiddenSize  hidden units, at least 1
     * @param initializer initial values of the matrices (the reference: uniform in +-0.04)
     * @param batchNorm   whether every state goes through the batch norm (the reference: yes)
     */
    DartsSearchCellReference(ParameterSet params, String name, Parameter weights, int steps, int inputSize,
            int hiddenSize, Initializer initializer, boolean batchNorm) {
        if (steps < 1 || inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("steps, inputSize and hiddenSize must be >= 1, but were " + steps
                    + ", " + inputSize + " and " + hiddenSize);
        }
        this.weights = Objects.requireNonNull(weights, "weights");
        if (!Arrays.equals(weights.shape(), weightsShape(steps))) {
            throw new IllegalArgumentException("weights must be " + Arrays.toString(weightsShape(steps)) + " for "
                    + steps + " steps, but was " + Arrays.toString(weights.shape()));
        }
        this.steps = steps;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.norm = batchNorm ? new ReferenceBatchNorm(params.dataType(), hiddenSize) : null;
        this.w0 = params.add(name + ".W0", new long[] {inputSize + hiddenSize, 2L * hiddenSize}, initializer);
        this.w = new Parameter[steps + 1];
        for (int i = 1; i <= steps; i++) {
            w[i] = params.add(name + ".W" + i, new long[] {hiddenSize, 2L * hiddenSize}, initializer);
        }
    }

    /** The shape of the architecture weights of a cell of {@code steps} nodes: {@code [edges, 5]}. */
    public static long[] weightsShape(int steps) {
        return new long[] {RecurrentCellDerivation.edges(steps), RecurrentCellDerivation.PRIMITIVES.size()};
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    /** Nodes after {@code s0}. */
    public int steps() {
        return steps;
    }

    @Override
    public INDArray forward(INDArray inputs, INDArray initial, int batch, INDArray xMask, INDArray hMask, Mode mode) {
        if (batch < 1 || inputs.rank() != 2 || inputs.size(1) != inputSize || inputs.size(0) % batch != 0
                || inputs.size(0) == 0) {
            throw new IllegalArgumentException("inputs must be [length * " + batch + ", " + inputSize
                    + "] with length >= 1, but were " + Arrays.toString(inputs.shape()));
        }
        requireShape("initial", initial, batch, hiddenSize);
        if (xMask != null) {
            requireShape("xMask", xMask, batch, inputSize);
        }
        if (hMask != null) {
            requireShape("hMask", hMask, batch, hiddenSize);
        }
        DataType type = w0.value().dataType();
        Segment s = new Segment();
        int length = (int) (inputs.size(0) / batch);
        s.length = length;
        s.batch = batch;
        s.batchStatistics = mode == Mode.TRAINING;
        s.xMask = xMask;
        s.hMask = hMask;
        mixture(s, type);
        s.hMaskTiled = hMask == null ? null : tile(hMask, steps);
        s.maskedInput = inputs.dup();
        if (xMask != null) {
            s.maskedInput.reshape('c', length, (long) batch * inputSize).muliRowVector(xMask.reshape(1,
                    xMask.length()));
        }
        s.previous = new INDArray[length];
        s.maskedPrevious = new INDArray[length];
        s.gate0 = new INDArray[length];
        s.act0 = new INDArray[length];
        s.states = new INDArray[length];
        s.inverseDeviation = new INDArray[length][steps + 1];
        s.gate = new INDArray[length][steps + 1];
        s.act = new INDArray[length][steps + 1][];
        s.hidden = Nd4j.zeros(type, (long) length * batch, hiddenSize);
        INDArray w0x = rows(w0.value(), 0, inputSize);
        INDArray w0h = rows(w0.value(), inputSize, inputSize + hiddenSize);
        INDArray h = initial.dup();
        for (int t = 0; t < length; t++) {
            s.previous[t] = h;
            s.maskedPrevious[t] = hMask == null ? h : h.mul(hMask);
            INDArray pre0 = rows(s.maskedInput, (long) t * batch, (long) (t + 1) * batch).mmul(w0x)
                    .addi(s.maskedPrevious[t].mmul(w0h));
            s.gate0[t] = Transforms.sigmoid(left(pre0), true);
            s.act0[t] = Transforms.tanh(right(pre0), true);
            INDArray states = Nd4j.zeros(type, (long) (steps + 1) * batch, hiddenSize);
            s.states[t] = states;
            INDArray raw0 = s.act0[t].sub(h).muli(s.gate0[t]).addi(h);
            s.inverseDeviation[t][0] = normalize(raw0, block(states, 0, batch), s.batchStatistics);
            for (int i = 1; i <= steps; i++) {
                INDArray read = rows(states, 0, (long) i * batch);
                INDArray pre = masked(read, s.hMaskTiled, i * batch).mmul(w[i].value());
                INDArray c = Transforms.sigmoid(left(pre), true);
                INDArray[] acts = new INDArray[ACTIVATIONS.size()];
                INDArray mixed = Nd4j.zeros(type, (long) i * batch, hiddenSize);
                for (int k = 0; k < acts.length; k++) {
                    acts[k] = activate(ACTIVATIONS.get(k), right(pre));
                    mixed.addi(acts[k].mulColumnVector(s.coefficient[i][k]));
                }
                s.gate[t][i] = c;
                s.act[t][i] = acts;
                INDArray carried = read.mulColumnVector(s.total[i]);
                INDArray raw = mixed.subi(carried).muli(c).addi(carried);
                INDArray node = raw.reshape('c', i, (long) batch * hiddenSize).sum(0).reshape(batch, hiddenSize);
                s.inverseDeviation[t][i] = normalize(node, block(states, i, batch), s.batchStatistics);
            }
            INDArray out = rows(states, batch, (long) (steps + 1) * batch).reshape('c', steps,
                    (long) batch * hiddenSize).mean(0).reshape(batch, hiddenSize);
            rows(s.hidden, (long) t * batch, (long) (t + 1) * batch).assign(out);
            h = out;
        }
        seg = s;
        return s.hidden;
    }

    /** The softmax of the architecture weights and, per node, each row's probabilities as column vectors. */
    private void mixture(Segment s, DataType type) {
        double[][] alpha = weights.value().castTo(DataType.DOUBLE).toDoubleMatrix();
        s.probs = RecurrentCellDerivation.softmaxRows(alpha);
        s.coefficient = new INDArray[steps + 1][ACTIVATIONS.size()];
        s.total = new INDArray[steps + 1];
        int offset = 0;
        for (int i = 1; i <= steps; i++) {
            double[] total = new double[i * s.batch];
            for (int k = 0; k < ACTIVATIONS.size(); k++) {
                double[] column = new double[i * s.batch];
                for (int j = 0; j < i; j++) {
                    double p = s.probs[offset + j][k + 1];
                    for (int b = 0; b < s.batch; b++) {
                        column[j * s.batch + b] = p;
                        total[j * s.batch + b] += p;
                    }
                }
                s.coefficient[i][k] = Nd4j.createFromArray(column).castTo(type).reshape(column.length, 1);
            }
            s.total[i] = Nd4j.createFromArray(total).castTo(type).reshape(total.length, 1);
            offset += i;
        }
    }

    /** Writes the normalised {@code raw} into {@code out}; returns the inverse deviation used, null without norm. */
    private INDArray normalize(INDArray raw, INDArray out, boolean batchStatistics) {
        if (norm == null) {
            out.assign(raw);
            return null;
        }
        return norm.forward(raw, out, batchStatistics);
    }

    private INDArray normalizeBackward(INDArray grad, INDArray y, INDArray inverse, boolean batchStatistics) {
        return norm == null ? grad.dup() : norm.backward(grad, y, inverse, batchStatistics);
    }

    @Override
    public INDArray backward(INDArray gradOutputs) {
        Segment s = seg;
        if (s == null) {
            throw new IllegalStateException("backward() needs a forward() first");
        }
        if (!Arrays.equals(gradOutputs.shape(), s.hidden.shape())) {
            throw new IllegalArgumentException("gradOutputs must be " + Arrays.toString(s.hidden.shape())
                    + ", but were " + Arrays.toString(gradOutputs.shape()));
        }
        int batch = s.batch;
        DataType type = w0.value().dataType();
        INDArray w0x = rows(w0.value(), 0, inputSize);
        INDArray w0h = rows(w0.value(), inputSize, inputSize + hiddenSize);
        INDArray[] wGrad = new INDArray[steps + 1];
        for (int i = 1; i <= steps; i++) {
            wGrad[i] = Nd4j.zeros(type, hiddenSize, 2L * hiddenSize);
        }
        INDArray pre0Grad = Nd4j.zeros(type, (long) s.length * batch, 2L * hiddenSize);
        INDArray maskedPrevious = Nd4j.zeros(type, (long) s.length * batch, hiddenSize);
        double[][] probGrad = new double[s.probs.length][s.probs[0].length];
        INDArray carry = Nd4j.zeros(type, batch, hiddenSize);
        for (int t = s.length - 1; t >= 0; t--) {
            INDArray stateGrad = Nd4j.zeros(type, (long) (steps + 1) * batch, hiddenSize);
            INDArray dh = rows(gradOutputs, (long) t * batch, (long) (t + 1) * batch).add(carry).divi(steps);
            rows(stateGrad, batch, (long) (steps + 1) * batch).assign(tile(dh, steps));
            int offset = RecurrentCellDerivation.edges(steps);
            for (int i = steps; i >= 1; i--) {
                offset -= i;
                INDArray rawGrad = normalizeBackward(block(stateGrad, i, batch), block(s.states[t], i, batch),
                        s.inverseDeviation[t][i], s.batchStatistics);
                INDArray d = tile(rawGrad, i);
                INDArray read = rows(s.states[t], 0, (long) i * batch);
                INDArray c = s.gate[t][i];
                INDArray[] acts = s.act[t][i];
                INDArray mixed = Nd4j.zeros(type, (long) i * batch, hiddenSize);
                INDArray slope = Nd4j.zeros(type, (long) i * batch, hiddenSize);
                for (int k = 0; k < acts.length; k++) {
                    mixed.addi(acts[k].mulColumnVector(s.coefficient[i][k]));
                    slope.addi(derivative(ACTIVATIONS.get(k), acts[k]).muliColumnVector(s.coefficient[i][k]));
                    INDArray unweighted = acts[k].sub(read).muli(c).addi(read);
                    double[] edgeGrad = d.mul(unweighted).reshape('c', i, (long) batch * hiddenSize).sum(1)
                            .castTo(DataType.DOUBLE).toDoubleVector();
                    for (int j = 0; j < i; j++) {
                        probGrad[offset + j][k + 1] += edgeGrad[j];
                    }
                }
                INDArray carried = read.mulColumnVector(s.total[i]);
                INDArray preGrad = Nd4j.zeros(type, (long) i * batch, 2L * hiddenSize);
                left(preGrad).assign(d.mul(mixed.sub(carried)).muli(c).muli(c.rsub(1)));
                right(preGrad).assign(d.mul(c).muli(slope));
                INDArray readMasked = masked(read, s.hMaskTiled, i * batch);
                wGrad[i].addi(readMasked.transpose().mmul(preGrad));
                INDArray readGrad = d.mul(c.rsub(1)).muliColumnVector(s.total[i]);
                INDArray throughMatrix = preGrad.mmul(w[i].value().transpose());
                if (s.hMaskTiled != null) {
                    throughMatrix.muli(rows(s.hMaskTiled, 0, (long) i * batch));
                }
                rows(stateGrad, 0, (long) i * batch).addi(readGrad.addi(throughMatrix));
            }
            INDArray raw0Grad = normalizeBackward(block(stateGrad, 0, batch), block(s.states[t], 0, batch),
                    s.inverseDeviation[t][0], s.batchStatistics);
            INDArray h = s.previous[t];
            INDArray c0 = s.gate0[t];
            INDArray g0 = s.act0[t];
            INDArray pre0 = rows(pre0Grad, (long) t * batch, (long) (t + 1) * batch);
            left(pre0).assign(raw0Grad.mul(g0.sub(h)).muli(c0).muli(c0.rsub(1)));
            right(pre0).assign(raw0Grad.mul(c0).muli(g0.mul(g0).rsub(1)));
            rows(maskedPrevious, (long) t * batch, (long) (t + 1) * batch).assign(s.maskedPrevious[t]);
            INDArray previousGrad = pre0.mmul(w0h.transpose());
            if (s.hMask != null) {
                previousGrad.muli(s.hMask);
            }
            previousGrad.addi(raw0Grad.mul(c0.rsub(1)));
            carry = previousGrad;
        }
        s.initialGrad = carry;
        rows(w0.gradient(), 0, inputSize).assign(s.maskedInput.transpose().mmul(pre0Grad));
        rows(w0.gradient(), inputSize, inputSize + hiddenSize).assign(maskedPrevious.transpose().mmul(pre0Grad));
        w0.markGradient();
        for (int i = 1; i <= steps; i++) {
            w[i].gradient().assign(wGrad[i]);
            w[i].markGradient();
        }
        weights.gradient().assign(Nd4j.createFromArray(softmaxBackward(s.probs, probGrad)).castTo(type));
        weights.markGradient();
        INDArray inputGrad = pre0Grad.mmul(w0x.transpose());
        if (s.xMask != null) {
            inputGrad.reshape('c', s.length, (long) batch * inputSize).muliRowVector(s.xMask.reshape(1,
                    s.xMask.length()));
        }
        return inputGrad;
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

    @Override
    public INDArray initialStateGradient() {
        if (seg == null || seg.initialGrad == null) {
            throw new IllegalStateException("initialStateGradient() needs a backward() first");
        }
        return seg.initialGrad;
    }

    private static INDArray activate(String activation, INDArray in) {
        return switch (activation) {
            case "tanh" -> Transforms.tanh(in, true);
            case "relu" -> Transforms.relu(in, true);
            case "sigmoid" -> Transforms.sigmoid(in, true);
            case "identity" -> in.dup();
            default -> throw new IllegalStateException("unknown activation '" + activation + "'");
        };
    }

    /** {@code act'(z)} from the activation's value {@code g = act(z)}. */
    private static INDArray derivative(String activation, INDArray g) {
        return switch (activation) {
            case "tanh" -> g.mul(g).rsubi(1);
            case "relu" -> g.gt(0).castTo(g.dataType());
            case "sigmoid" -> g.rsub(1).muli(g);
            case "identity" -> Nd4j.onesLike(g);
            default -> throw new IllegalStateException("unknown activation '" + activation + "'");
        };
    }

    private static INDArray masked(INDArray read, INDArray maskTiled, long rowCount) {
        return maskTiled == null ? read : read.mul(rows(maskTiled, 0, rowCount));
    }

    private static INDArray tile(INDArray mask, int times) {
        return Nd4j.zeros(mask.dataType(), times, mask.length()).addiRowVector(mask.reshape(1, mask.length()))
                .reshape('c', times * mask.size(0), mask.size(1));
    }

    private INDArray left(INDArray pre) {
        return pre.get(NDArrayIndex.all(), NDArrayIndex.interval(0, hiddenSize));
    }

    private INDArray right(INDArray pre) {
        return pre.get(NDArrayIndex.all(), NDArrayIndex.interval(hiddenSize, 2L * hiddenSize));
    }

    private static INDArray block(INDArray states, int k, int batch) {
        return rows(states, (long) k * batch, (long) (k + 1) * batch);
    }

    /**
     * Rows {@code [from, to)} of a row-major matrix as a view, made directly from its buffer: ND4J's interval
     * indexing returned an empty array for the lower rows of a parameter view that starts inside the flat
     * parameter buffer (seen for {@code W0} after the embedding; {@link GenotypeCell} makes its views so too).
     */
    private static INDArray rows(INDArray matrix, long from, long to) {
        long columns = matrix.size(1);
        if (matrix.ordering() != 'c' || matrix.stride(0) != columns || matrix.stride(1) != 1) {
            throw new IllegalStateException("rows() needs a row-major matrix, but had strides "
                    + Arrays.toString(matrix.stride()));
        }
        return Nd4j.create(matrix.data(), new long[] {to - from, columns}, new long[] {columns, 1},
                matrix.offset() + from * columns, 'c', matrix.dataType());
    }

    private static void requireShape(String name, INDArray a, long rows, long columns) {
        if (a.rank() != 2 || a.size(0) != rows || a.size(1) != columns) {
            throw new IllegalArgumentException(name + " must be [" + rows + ", " + columns + "], but was "
                    + Arrays.toString(a.shape()));
        }
    }

    /** The state batch norm as first written (allocating). */
    private static final class ReferenceBatchNorm {
        private static final double EPSILON = 1e-5;
        private static final double MOMENTUM = 0.1;

        private final INDArray runningMean;
        private final INDArray runningVariance;

        ReferenceBatchNorm(DataType type, int features) {
            this.runningMean = Nd4j.zeros(type, 1, features);
            this.runningVariance = Nd4j.ones(type, 1, features);
        }

        /** Writes the normalised {@code raw} into {@code out} and returns the inverse deviation used, {@code [1, H]}. */
        INDArray forward(INDArray raw, INDArray out, boolean batchStatistics) {
            INDArray mean;
            INDArray variance;
            if (batchStatistics) {
                mean = raw.mean(true, 0);
                INDArray centred = raw.subRowVector(mean);
                variance = centred.mul(centred).mean(true, 0);
                long n = raw.size(0);
                runningMean.muli(1 - MOMENTUM).addi(mean.mul(MOMENTUM));
                runningVariance.muli(1 - MOMENTUM).addi(variance.mul(n > 1 ? MOMENTUM * n / (n - 1.0) : MOMENTUM));
            } else {
                mean = runningMean;
                variance = runningVariance;
            }
            INDArray inverse = Transforms.pow(variance.add(EPSILON), -0.5, false);
            out.assign(raw.subRowVector(mean).muliRowVector(inverse));
            return inverse;
        }

        /** dL/d(raw) from dL/d(normalised) {@code grad}, the normalised values {@code y} and their inverse deviation. */
        INDArray backward(INDArray grad, INDArray y, INDArray inverse, boolean batchStatistics) {
            if (!batchStatistics) {
                return grad.mulRowVector(inverse);
            }
            INDArray meanGrad = grad.mean(true, 0);
            INDArray meanGradY = grad.mul(y).mean(true, 0);
            return grad.subRowVector(meanGrad).subi(y.mulRowVector(meanGradY)).muliRowVector(inverse);
        }
    }
}
