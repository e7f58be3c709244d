package org.nas4j.estimators.export;

import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The running vertex of a {@link TimeAxisVertex}: a copy into the other form, and the gradient copied back. */
final class TimeAxisGraphVertex extends OneInputGraphVertex {

    private final boolean toSequence;
    private long[] inputShape;

    TimeAxisGraphVertex(ComputationGraph graph, String name, int vertexIndex, boolean toSequence, DataType dataType) {
        super(graph, name, vertexIndex, dataType);
        this.toSequence = toSequence;
    }

    @Override
    INDArray forward(INDArray x, LayerWorkspaceMgr workspaceMgr) {
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
    INDArray backward(INDArray gradOutput, LayerWorkspaceMgr workspaceMgr) {
        return copy(gradOutput, inputShape, ArrayType.ACTIVATION_GRAD, workspaceMgr);
    }

    private static INDArray copy(INDArray x, long[] shape, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
        INDArray y = workspaceMgr.createUninitialized(type, x.dataType(), shape, 'c');
        y.assign(x.reshape('c', shape));
        return y;
    }

    @Override
    public String toString() {
        return "TimeAxisGraphVertex(name=" + getVertexName() + ", toSequence=" + toSequence + ")";
    }
}
