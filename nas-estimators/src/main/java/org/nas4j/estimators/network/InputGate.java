package org.nas4j.estimators.network;

import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.WeightedSum;
import org.nas4j.estimators.engine.supernet.EdgePath;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One candidate state of a cell node's input choice in a supernet: the op (or supernet edge) reading that state,
 * its output scaled by the state's weight in the input choice's path. A node sums the gates of all its candidate
 * states, so under DARTS' mixed policy it reads {@code sum_i softmax(beta)_i * op_i(state_i)} (the mixed input of
 * NNI's DARTS input choice, with separate op weights per state as DARTS' edges), and under a sampling policy only
 * the drawn state's op runs (the others give zeros without computing). The gradient of the state's weight,
 * {@code <dL/dy, op_i(state_i)>}, goes to the policy as an edge weight gradient.
 */
final class InputGate implements Module {

    private final int inputEdge;
    private final int option;
    private final Layer op;
    private final PathPolicy policy;
    private final int outChannels;
    private final int stride;
    private final WeightedSum scale = new WeightedSum();
    private INDArray input;
    private INDArray opOutput;
    private int position;
    private double weight;

    /**
     * @param inputEdge   the policy edge of the input choice
     * @param option      the option of the input choice that reads this state
     * @param op          the op on the state
     * @param outChannels the op's output channels
     * @param stride      the op's stride
     */
    InputGate(int inputEdge, int option, Layer op, PathPolicy policy, int outChannels, int stride) {
        this.inputEdge = inputEdge;
        this.option = option;
        this.op = op;
        this.policy = policy;
        this.outChannels = outChannels;
        this.stride = stride;
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        input = x;
        EdgePath path = policy.path(inputEdge);
        position = -1;
        for (int i = 0; i < path.size(); i++) {
            if (path.op(i) == option) {
                position = i;
            }
        }
        if (position < 0) {
            long h = stride == 1 ? x.size(2) : (x.size(2) + 1) / 2;
            long w = stride == 1 ? x.size(3) : (x.size(3) + 1) / 2;
            return Buffer.sharedZeros(x.dataType(), x.size(0), outChannels, h, w);
        }
        weight = path.weight(position);
        opOutput = op.forward(x, mode);
        return weight == 1.0 ? opOutput : scale.forward(List.of(opOutput), new double[] {weight});
    }

    @Override
    public INDArray backward(INDArray gy) {
        if (position < 0) {
            return Buffer.sharedZeros(input.dataType(), input.shape());
        }
        boolean wantWeights = policy.needsWeightGradients();
        double gradWeight = 0;
        INDArray gOp;
        if (weight == 1.0) {
            gOp = gy;
            if (wantWeights) {
                gradWeight = Nd4j.getBlasWrapper().level1().dot(gy.length(), 1.0, gy, opOutput);
            }
        } else {
            gOp = scale.backward(gy, wantWeights).get(0);
            if (wantWeights) {
                gradWeight = scale.weightGradients()[0];
            }
        }
        // a closed gate (weight 0, ProxylessNAS) passes no gradient to its op, as if detached
        INDArray gx = weight != 0.0 ? op.backward(gOp) : Buffer.sharedZeros(input.dataType(), input.shape());
        if (wantWeights) {
            double[] g = new double[policy.path(inputEdge).size()];
            g[position] = gradWeight;
            policy.addWeightGradients(inputEdge, g, policy.needsGradientSums() ? gy.sumNumber().doubleValue() : 0);
        }
        return gx;
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        op.releaseBuffers(pool);
        scale.releaseBuffers(pool);
    }

    @Override
    public void releaseGradientBuffers(ArrayPool pool) {
        op.releaseGradientBuffers(pool);
    }

    @Override
    public void releaseOutput(ArrayPool pool) {
        if (position < 0) {
            return;
        }
        if (weight != 1.0) {
            scale.releaseOutput(pool);
        } else if (!policy.needsWeightGradients()) {
            op.releaseOutput(pool);
        }
    }

    @Override
    public String export(GraphSink sink, String input) {
        throw new UnsupportedOperationException("a supernet is not exported: derive() an architecture and compile"
                + " it with SpaceCompiler");
    }
}
