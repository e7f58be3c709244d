package org.nas4j.estimators.export;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nas4j.estimators.engine.ops.ChannelShuffle;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The running vertex of a {@link ChannelShuffleVertex}: the engine's shuffle on DL4J's workspace arrays. */
final class ChannelShuffleGraphVertex extends BaseGraphVertex {

    private final int groups;

    ChannelShuffleGraphVertex(ComputationGraph graph, String name, int vertexIndex, int groups, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
        this.groups = groups;
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
        if (x.rank() != 4 || x.size(1) % groups != 0) {
            throw new IllegalArgumentException("input of channel shuffle " + getVertexName() + " must be [B, C, H, W]"
                    + " with C a multiple of " + groups + ", but was " + java.util.Arrays.toString(x.shape()));
        }
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), 'c');
        ChannelShuffle.shuffle(x, y, groups, false);
        return y;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("cannot do the backward pass of " + getVertexName() + ": error not set");
        }
        INDArray gx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
                epsilon.shape(), 'c');
        ChannelShuffle.shuffle(epsilon, gx, groups, true);
        return new Pair<>(null, new INDArray[] {gx});
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalArgumentException("a channel shuffle has no parameters, so no gradient view");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
            int minibatchSize) {
        // a per-example mask is unchanged by a permutation of channels
        if (maskArrays == null || maskArrays.length == 0) {
            return null;
        }
        return new Pair<>(maskArrays[0], currentMaskState);
    }

    @Override
    public String toString() {
        return "ChannelShuffleGraphVertex(name=" + getVertexName() + ", groups=" + groups + ")";
    }
}
