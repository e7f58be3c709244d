package org.nas4j.estimators.export;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The running vertex of a {@link TimeAxisVertex}: a copy into the other form, and the gradient copied back. */
final class TimeAxisGraphVertex extends BaseGraphVertex {

    private final boolean toSequence;
    private long[] inputShape;

    TimeAxisGraphVertex(ComputationGraph graph, String name, int vertexIndex, boolean toSequence, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
        this.toSequence = toSequence;
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("cannot do the forward pass of " + getVertexName() + ": input not set");
        }
        INDArray x = inputs[0];
        long[] s = x.shape();
        if (toSequence ? x.rank() != 4 || s[2] != 1 : x.rank() != 3) {
            throw new IllegalArgumentException("input of time-axis vertex " + getVertexName() + " must be "
                    + (toSequence ? "[B, C, 1, T]" : "[B, C, T]") + ", but was " + Arrays.toString(s));
        }
        inputShape = s.clone();
        long[] out = toSequence ? new long[] {s[0], s[1], s[3]} : new long[] {s[0], s[1], 1, s[2]};
        return copy(x, out, ArrayType.ACTIVATIONS, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("cannot do the backward pass of " + getVertexName() + ": error not set");
        }
        return new Pair<>(null, new INDArray[] {copy(epsilon, inputShape, ArrayType.ACTIVATION_GRAD, workspaceMgr)});
    }

    private static INDArray copy(INDArray x, long[] shape, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
        INDArray y = workspaceMgr.createUninitialized(type, x.dataType(), shape, 'c');
        y.assign(x.reshape('c', shape));
        return y;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalArgumentException("a time-axis vertex has no parameters, so no gradient view");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
            int minibatchSize) {
        if (maskArrays == null || maskArrays.length == 0) {
            return null;
        }
        return new Pair<>(maskArrays[0], currentMaskState);
    }

    @Override
    public String toString() {
        return "TimeAxisGraphVertex(name=" + getVertexName() + ", toSequence=" + toSequence + ")";
    }
}
