package org.nas4j.estimators.export;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The running counterpart of {@link OneInputVertex}: a DL4J graph vertex without parameters or layer that maps its
 * one input to one output and its output gradient back, and passes a per-example mask through unchanged (nas4j's
 * vertices move values between positions within an example, never between examples). A subclass gives the two maps,
 * on arrays that are set and checked here.
 */
abstract class OneInputGraphVertex extends BaseGraphVertex {

    OneInputGraphVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
    }

    /** The output for {@code x}, created in {@code workspaceMgr}'s activations workspace. */
    abstract INDArray forward(INDArray x, LayerWorkspaceMgr workspaceMgr);

    /** The gradient with respect to the input of the last {@link #forward}, in the activation-gradient workspace. */
    abstract INDArray backward(INDArray gradOutput, LayerWorkspaceMgr workspaceMgr);

    @Override
    public final boolean hasLayer() {
        return false;
    }

    @Override
    public final Layer getLayer() {
        return null;
    }

    @Override
    public final INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("cannot do the forward pass of " + getVertexName() + ": input not set");
        }
        return forward(inputs[0], workspaceMgr);
    }

    @Override
    public final Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("cannot do the backward pass of " + getVertexName() + ": error not set");
        }
        return new Pair<>(null, new INDArray[] {backward(epsilon, workspaceMgr)});
    }

    @Override
    public final void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalArgumentException(getVertexName() + " has no parameters, so no gradient view");
        }
    }

    @Override
    public final Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
            int minibatchSize) {
        if (maskArrays == null || maskArrays.length == 0) {
            return null;
        }
        return new Pair<>(maskArrays[0], currentMaskState);
    }
}
