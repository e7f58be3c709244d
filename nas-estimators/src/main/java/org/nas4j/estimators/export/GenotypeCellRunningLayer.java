package org.nas4j.estimators.export;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nas4j.spaces.recurrent.RecurrentGenotype;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The running layer of a {@link GenotypeCellLayer}: the forward pass step by step and node by node, and
 * backpropagation through time written out. The backward pass recomputes the forward states from the input and
 * the initial state of the last forward call (as DL4J's own {@code LSTM} recomputes), so nothing but that initial
 * state is kept between the two passes outside DL4J's workspaces.
 */
final class GenotypeCellRunningLayer extends BaseRecurrentLayer<GenotypeCellLayer> {

    /** The key of the carried state in DL4J's state maps: the cell's last output {@code [B, H]}. */
    static final String STATE = "h";

    /** The initial state of the last forward call (detached), or null for zeros. */
    private INDArray forwardInitial;

    GenotypeCellRunningLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** One step's values: per state its gate {@code sigmoid(c)}, activation {@code act(h)} and value, the output. */
    private record Step(INDArray[] gate, INDArray[] activation, INDArray[] state, INDArray output) {
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return run(training, null, workspaceMgr, null);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return run(false, stateMap.get(STATE), workspaceMgr, stateMap);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
            LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return run(training, tBpttStateMap.get(STATE), workspaceMgr, storeLastForTBPTT ? tBpttStateMap : null);
    }

    /** Runs the input from {@code initial} (null: zeros), keeps the end state in {@code keep} if not null. */
    private INDArray run(boolean training, INDArray initial, LayerWorkspaceMgr workspaceMgr,
            Map<String, INDArray> keep) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        checkInput();
        if (initial != null && (initial.rank() != 2 || initial.size(0) != input.size(0)
                || initial.size(1) != layerConf().getNOut())) {
            throw new IllegalArgumentException("the state \"" + STATE + "\" of " + layerId() + " must be ["
                    + input.size(0) + ", " + layerConf().getNOut() + "], but was " + Arrays.toString(initial.shape()));
        }
        forwardInitial = initial == null ? null : initial.detach();
        Step[] steps = forward(training, workspaceMgr);
        INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, input.dataType(),
                new long[] {input.size(0), layerConf().getNOut(), input.size(2)}, 'c');
        for (int t = 0; t < steps.length; t++) {
            out.get(atStep(t)).assign(steps[t].output());
        }
        if (keep != null) {
            keep.put(STATE, steps[steps.length - 1].output().detach());
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return backward(epsilon, Integer.MAX_VALUE, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
            LayerWorkspaceMgr workspaceMgr) {
        return backward(epsilon, tbpttBackLength, workspaceMgr);
    }

    /**
     * Backpropagation through time over the last forward call's input and initial state, through the last
     * {@code backLength} steps (DL4J's truncated BPTT; earlier steps get no gradient). No gradient flows into the
     * initial state (the reference's {@code repackage_hidden}).
     */
    private Pair<Gradient, INDArray> backward(INDArray epsilon, int backLength, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        long hidden = layerConf().getNOut();
        if (!Arrays.equals(epsilon.shape(), new long[] {input.size(0), hidden, input.size(2)})) {
            throw new IllegalArgumentException("epsilon of " + layerId() + " must be [B, " + hidden
                    + ", T] for input " + Arrays.toString(input.shape()) + ", but was "
                    + Arrays.toString(epsilon.shape()));
        }
        checkInput();
        RecurrentGenotype cell = layerConf().genotype();
        List<RecurrentGenotype.Node> nodes = cell.nodes();
        int states = nodes.size() + 1;
        Step[] steps = forward(true, workspaceMgr);
        long in = layerConf().getNIn();
        INDArray w0 = getParamWithNoise(GenotypeCellParameters.key(0), true, workspaceMgr);
        INDArray w0x = w0.get(NDArrayIndex.interval(0, in), NDArrayIndex.all());
        INDArray w0h = w0.get(NDArrayIndex.interval(in, in + hidden), NDArrayIndex.all());
        INDArray[] w = new INDArray[states];
        INDArray[] gw = new INDArray[states];
        for (int k = 0; k < states; k++) {
            w[k] = k == 0 ? w0 : getParamWithNoise(GenotypeCellParameters.key(k), true, workspaceMgr);
            gw[k] = gradientViews.get(GenotypeCellParameters.key(k)).assign(0);
        }
        INDArray gw0x = gw[0].get(NDArrayIndex.interval(0, in), NDArrayIndex.all());
        INDArray gw0h = gw[0].get(NDArrayIndex.interval(in, in + hidden), NDArrayIndex.all());
        INDArray gradInput = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        gradInput.assign(0);
        double share = 1.0 / cell.concat().size();
        int first = (int) Math.max(0, steps.length - (long) backLength);
        INDArray carry = null;
        for (int t = steps.length - 1; t >= first; t--) {
            Step s = steps[t];
            INDArray previous = t > 0 ? steps[t - 1].output() : initial();
            INDArray dh = epsilon.get(atStep(t)).dup();
            if (carry != null) {
                dh.addi(carry);
            }
            dh.muli(share);
            INDArray[] ds = new INDArray[states];
            for (int k = 0; k < states; k++) {
                ds[k] = cell.concat().contains(k) ? dh.dup() : dh.like().assign(0);
            }
            // a node's gradient is complete once every later node that reads it is done
            for (int i = states - 1; i >= 1; i--) {
                int j = nodes.get(i - 1).input();
                INDArray read = s.state()[j];
                INDArray pre = highwayBackward(s, i, nodes.get(i - 1).activation(), ds[i], read, ds[j]);
                ds[j].addi(pre.mmul(w[i].transpose()));
                gw[i].addi(read.transpose().mmul(pre));
            }
            INDArray previousGrad = dh.like().assign(0);
            INDArray pre0 = highwayBackward(s, 0, cell.initial(), ds[0], previous, previousGrad);
            INDArray x = input.get(atStep(t));
            gw0x.addi(x.transpose().mmul(pre0));
            gw0h.addi(previous.transpose().mmul(pre0));
            gradInput.get(atStep(t)).assign(pre0.mmul(w0x.transpose()));
            carry = previousGrad.addi(pre0.mmul(w0h.transpose()));
        }
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        for (String key : GenotypeCellParameters.INSTANCE.paramKeys(layerConf())) {
            gradient.gradientForVariable().put(key, gradientViews.get(key));
        }
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(gradInput));
    }

    /**
     * Back through {@code s = read + c * (g - read)} of state {@code k} with dL/ds = {@code ds}: adds
     * {@code ds * (1 - c)} into {@code readGrad} and returns dL/d[pre-activations] {@code [B, 2H]} (gate, then
     * activation).
     */
    private static INDArray highwayBackward(Step s, int k, String activation, INDArray ds, INDArray read,
            INDArray readGrad) {
        INDArray c = s.gate()[k];
        INDArray g = s.activation()[k];
        INDArray gateGrad = ds.mul(g.sub(read)).muli(c).muli(c.rsub(1.0));
        INDArray activationGrad = ds.mul(c).muli(derivative(activation, g));
        readGrad.addi(ds.mul(c.rsub(1.0)));
        return Nd4j.hstack(gateGrad, activationGrad);
    }

    /** Every step's states for the current input, from the last forward call's initial state. */
    private Step[] forward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        RecurrentGenotype cell = layerConf().genotype();
        List<RecurrentGenotype.Node> nodes = cell.nodes();
        int states = nodes.size() + 1;
        long in = layerConf().getNIn();
        long hidden = layerConf().getNOut();
        INDArray w0 = getParamWithNoise(GenotypeCellParameters.key(0), training, workspaceMgr);
        INDArray w0x = w0.get(NDArrayIndex.interval(0, in), NDArrayIndex.all());
        INDArray w0h = w0.get(NDArrayIndex.interval(in, in + hidden), NDArrayIndex.all());
        INDArray[] w = new INDArray[states];
        for (int k = 1; k < states; k++) {
            w[k] = getParamWithNoise(GenotypeCellParameters.key(k), training, workspaceMgr);
        }
        Step[] steps = new Step[(int) input.size(2)];
        INDArray previous = initial();
        for (int t = 0; t < steps.length; t++) {
            Step s = new Step(new INDArray[states], new INDArray[states], new INDArray[states], null);
            INDArray pre0 = input.get(atStep(t)).mmul(w0x).addi(previous.mmul(w0h));
            highway(s, 0, cell.initial(), pre0, previous);
            for (int i = 1; i < states; i++) {
                INDArray read = s.state()[nodes.get(i - 1).input()];
                highway(s, i, nodes.get(i - 1).activation(), read.mmul(w[i]), read);
            }
            INDArray out = null;
            for (int k : cell.concat()) {
                out = out == null ? s.state()[k].dup() : out.addi(s.state()[k]);
            }
            if (cell.concat().size() > 1) {
                out.muli(1.0 / cell.concat().size());
            }
            steps[t] = new Step(s.gate(), s.activation(), s.state(), out);
            previous = out;
        }
        return steps;
    }

    /** {@code s_k = read + sigmoid(c) * (act(h) - read)} with {@code [c, h] = pre}. */
    private void highway(Step s, int k, String activation, INDArray pre, INDArray read) {
        long hidden = layerConf().getNOut();
        INDArray c = Transforms.sigmoid(pre.get(NDArrayIndex.all(), NDArrayIndex.interval(0, hidden)), true);
        INDArray g = activate(activation, pre.get(NDArrayIndex.all(), NDArrayIndex.interval(hidden, 2 * hidden)));
        s.gate()[k] = c;
        s.activation()[k] = g;
        s.state()[k] = g.sub(read).muli(c).addi(read);
    }

    private static INDArray activate(String activation, INDArray z) {
        return switch (activation) {
            case "tanh" -> Transforms.tanh(z, true);
            case "relu" -> Transforms.relu(z, true);
            case "sigmoid" -> Transforms.sigmoid(z, true);
            case "identity" -> z.dup();
            default -> throw new IllegalStateException("unknown activation '" + activation + "'");
        };
    }

    /** {@code act'(z)} from the activation's value {@code g = act(z)}. */
    private static INDArray derivative(String activation, INDArray g) {
        return switch (activation) {
            case "tanh" -> g.mul(g).rsubi(1.0);
            case "relu" -> g.gt(0.0).castTo(g.dataType());
            case "sigmoid" -> g.mul(g.rsub(1.0));
            case "identity" -> g.like().assign(1.0);
            default -> throw new IllegalStateException("unknown activation '" + activation + "'");
        };
    }

    /** The last forward call's initial state, or zeros {@code [B, H]}. */
    private INDArray initial() {
        if (forwardInitial != null) {
            return forwardInitial.castTo(input.dataType());
        }
        return Nd4j.zeros(input.dataType(), input.size(0), layerConf().getNOut());
    }

    private void checkInput() {
        if (input.rank() != 3 || input.size(1) != layerConf().getNIn()) {
            throw new IllegalArgumentException("input of " + layerId() + " must be [B, " + layerConf().getNIn()
                    + ", T] (NCW), but was " + Arrays.toString(input.shape()));
        }
        if (maskArray != null) {
            throw new UnsupportedOperationException(layerId() + ": a GenotypeCellLayer does not support masks");
        }
    }

    private static INDArrayIndex[] atStep(int t) {
        return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)};
    }
}
