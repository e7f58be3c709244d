package org.nas4j.estimators.export;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The running layer of a {@link GruLayer}: the forward pass step by step, and backpropagation through time written
 * out. The backward pass recomputes the forward states from the input (as DL4J's own {@code LSTM} does), so
 * nothing is kept between the two passes outside DL4J's workspaces.
 */
final class GruRunningLayer extends BaseLayer<GruLayer> {

    GruRunningLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The values of one step that the backward pass needs. */
    private record Step(INDArray update, INDArray reset, INDArray candidate, INDArray recurrentCandidate,
            INDArray hidden) {
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
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        Step[] steps = forward(training, workspaceMgr);
        INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, input.dataType(),
                new long[] {input.size(0), layerConf().getNOut(), input.size(2)}, 'c');
        for (int t = 0; t < steps.length; t++) {
            out.get(atStep(t)).assign(steps[t].hidden());
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!Arrays.equals(epsilon.shape(), new long[] {input.size(0), layerConf().getNOut(), input.size(2)})) {
            throw new IllegalArgumentException("epsilon of " + layerId() + " must be [B, " + layerConf().getNOut()
                    + ", T] for input " + Arrays.toString(input.shape()) + ", but was "
                    + Arrays.toString(epsilon.shape()));
        }
        Step[] steps = forward(true, workspaceMgr);
        INDArray w = getParamWithNoise(GruParameters.INPUT_WEIGHTS, true, workspaceMgr);
        INDArray rw = getParamWithNoise(GruParameters.RECURRENT_WEIGHTS, true, workspaceMgr);
        INDArray gw = gradientViews.get(GruParameters.INPUT_WEIGHTS).assign(0);
        INDArray grw = gradientViews.get(GruParameters.RECURRENT_WEIGHTS).assign(0);
        INDArray gb = gradientViews.get(GruParameters.INPUT_BIAS).assign(0);
        INDArray grb = gradientViews.get(GruParameters.RECURRENT_BIAS).assign(0);
        INDArray gradInput = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        INDArray noState = epsilon.get(atStep(0)).like().assign(0);
        INDArray carry = noState;
        for (int t = steps.length - 1; t >= 0; t--) {
            Step s = steps[t];
            INDArray hiddenPrev = t > 0 ? steps[t - 1].hidden() : noState;
            INDArray dh = epsilon.get(atStep(t)).add(carry);
            INDArray z = s.update();
            INDArray r = s.reset();
            INDArray n = s.candidate();
            // pre-activation gradients: z from h = n + z (h_prev - n), n through tanh, r through r * c_n
            INDArray dz = dh.mul(hiddenPrev.sub(n)).muli(z).muli(z.rsub(1.0));
            INDArray dn = dh.mul(z.rsub(1.0)).muli(n.mul(n).rsubi(1.0));
            INDArray dr = dn.mul(s.recurrentCandidate()).muli(r).muli(r.rsub(1.0));
            INDArray da = Nd4j.hstack(dz, dr, dn);
            INDArray dc = Nd4j.hstack(dz, dr, dn.mul(r));
            INDArray x = input.get(atStep(t));
            gw.addi(x.transpose().mmul(da));
            grw.addi(hiddenPrev.transpose().mmul(dc));
            gb.addi(da.sum(true, 0));
            grb.addi(dc.sum(true, 0));
            gradInput.get(atStep(t)).assign(da.mmul(w.transpose()));
            carry = dh.mul(z).addi(dc.mmul(rw.transpose()));
        }
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        for (String key : GruParameters.INSTANCE.paramKeys(layerConf())) {
            gradient.gradientForVariable().put(key, gradientViews.get(key));
        }
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(gradInput));
    }

    /** Every step's gates and state for the current input. */
    private Step[] forward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (input.rank() != 3 || input.size(1) != layerConf().getNIn()) {
            throw new IllegalArgumentException("input of " + layerId() + " must be [B, " + layerConf().getNIn()
                    + ", T] (NCW), but was " + Arrays.toString(input.shape()));
        }
        if (maskArray != null) {
            throw new UnsupportedOperationException(layerId() + ": a GruLayer does not support masks");
        }
        INDArray w = getParamWithNoise(GruParameters.INPUT_WEIGHTS, training, workspaceMgr);
        INDArray rw = getParamWithNoise(GruParameters.RECURRENT_WEIGHTS, training, workspaceMgr);
        INDArray b = getParamWithNoise(GruParameters.INPUT_BIAS, training, workspaceMgr);
        INDArray rb = getParamWithNoise(GruParameters.RECURRENT_BIAS, training, workspaceMgr);
        long hidden = layerConf().getNOut();
        Step[] steps = new Step[(int) input.size(2)];
        INDArray hiddenPrev = null;
        for (int t = 0; t < steps.length; t++) {
            INDArray a = input.get(atStep(t)).mmul(w).addiRowVector(b);
            INDArray c = t == 0 ? Nd4j.zeros(input.dataType(), input.size(0), 3 * hidden).addiRowVector(rb)
                    : hiddenPrev.mmul(rw).addiRowVector(rb);
            INDArray z = Transforms.sigmoid(gate(a, 0).add(gate(c, 0)), false);
            INDArray r = Transforms.sigmoid(gate(a, 1).add(gate(c, 1)), false);
            INDArray cn = gate(c, 2).dup();
            INDArray n = Transforms.tanh(r.mul(cn).addi(gate(a, 2)), false);
            // h = n + z (h_prev - n), h_prev = 0 at the first step
            INDArray h = t == 0 ? n.sub(n.mul(z)) : hiddenPrev.sub(n).muli(z).addi(n);
            steps[t] = new Step(z, r, n, cn, h);
            hiddenPrev = h;
        }
        return steps;
    }

    /** Gate block {@code k} (0 update, 1 reset, 2 candidate) of {@code [B, 3H]}. */
    private INDArray gate(INDArray blocks, int k) {
        long hidden = layerConf().getNOut();
        return blocks.get(NDArrayIndex.all(), NDArrayIndex.interval(k * hidden, (k + 1) * hidden));
    }

    private static INDArrayIndex[] atStep(int t) {
        return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)};
    }
}
