package org.nas4j.estimators.export;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nas4j.estimators.engine.ops.ChannelShuffle;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The running vertex of a {@link ChannelShuffleVertex}: the engine's shuffle on DL4J's workspace arrays. */
final class ChannelShuffleGraphVertex extends OneInputGraphVertex {

    private final int groups;

    ChannelShuffleGraphVertex(ComputationGraph graph, String name, int vertexIndex, int groups, DataType dataType) {
        super(graph, name, vertexIndex, dataType);
        this.groups = groups;
    }

    @Override
    INDArray forward(INDArray x, LayerWorkspaceMgr workspaceMgr) {
        if (x.rank() != 4 || x.size(1) % groups != 0) {
            throw new IllegalArgumentException("input of channel shuffle " + getVertexName() + " must be [B, C, H, W]"
                    + " with C a multiple of " + groups + ", but was " + java.util.Arrays.toString(x.shape()));
        }
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), 'c');
        ChannelShuffle.shuffle(x, y, groups, false);
        return y;
    }

    @Override
    INDArray backward(INDArray gradOutput, LayerWorkspaceMgr workspaceMgr) {
        INDArray gx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, gradOutput.dataType(),
                gradOutput.shape(), 'c');
        ChannelShuffle.shuffle(gradOutput, gx, groups, true);
        return gx;
    }

    @Override
    public String toString() {
        return "ChannelShuffleGraphVertex(name=" + getVertexName() + ", groups=" + groups + ")";
    }
}
