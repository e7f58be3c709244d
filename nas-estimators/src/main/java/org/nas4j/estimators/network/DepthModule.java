package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.WeightedSum;
import org.nas4j.estimators.engine.supernet.EdgePath;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The repeated layers of a depth choice in a supernet: the deepest stack is built once, and option {@code o} of the
 * choice runs its first {@code runs[o]} layers, as SPOS samples a depth by running the first blocks of the deepest
 * network. A path of several options (DARTS' mixed policy) outputs {@code sum_o w_o x_{runs[o]}}, the weighted sum
 * of the stack's outputs after each option's number of layers (all of one shape), with gradients for the weights
 * {@code <dL/dy, x_{runs[o]}>}; only the layers up to the deepest option of the path run.
 */
final class DepthModule implements Module {

    private final int edge;
    private final Module[] layers;
    private final int[] runs;
    private final PathPolicy policy;
    private final WeightedSum mix = new WeightedSum();
    private final INDArray[] outputs;
    private EdgePath path;

    /**
     * @param edge   the policy edge of the depth choice
     * @param layers the repeated layers of the deepest network, in order
     * @param runs   per option, how many of them it runs
     */
    DepthModule(int edge, Module[] layers, int[] runs, PathPolicy policy) {
        this.edge = edge;
        this.layers = layers.clone();
        this.runs = runs.clone();
        this.policy = policy;
        this.outputs = new INDArray[layers.length + 1];
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        path = policy.path(edge);
        int deepest = 0;
        for (int i = 0; i < path.size(); i++) {
            deepest = Math.max(deepest, runs[path.op(i)]);
        }
        outputs[0] = x;
        for (int k = 1; k <= deepest; k++) {
            outputs[k] = layers[k - 1].forward(outputs[k - 1], mode);
        }
        if (path.isSingleUnitWeight()) {
            return outputs[runs[path.op(0)]];
        }
        List<INDArray> taps = new ArrayList<>();
        double[] weights = new double[path.size()];
        for (int i = 0; i < path.size(); i++) {
            taps.add(outputs[runs[path.op(i)]]);
            weights[i] = path.weight(i);
        }
        return mix.forward(taps, weights);
    }

    @Override
    public INDArray backward(INDArray gy) {
        boolean wantWeights = policy.needsWeightGradients();
        double[] gradWeights = new double[path.size()];
        INDArray[] tapGradients = new INDArray[layers.length + 1];
        int deepest = -1;
        if (path.isSingleUnitWeight()) {
            int n = runs[path.op(0)];
            tapGradients[n] = gy;
            deepest = n;
            if (wantWeights) {
                gradWeights[0] = Nd4j.getBlasWrapper().level1().dot(gy.length(), 1.0, gy, outputs[n]);
            }
        } else {
            List<INDArray> scaled = mix.backward(gy, wantWeights);
            for (int i = 0; i < path.size(); i++) {
                if (path.weight(i) != 0.0) {
                    // a closed gate (weight 0, ProxylessNAS) trains no layer, as if detached
                    int n = runs[path.op(i)];
                    tapGradients[n] = scaled.get(i);
                    deepest = Math.max(deepest, n);
                }
            }
            if (wantWeights) {
                gradWeights = mix.weightGradients().clone();
            }
        }
        INDArray carried = null;
        for (int k = deepest; k >= 1; k--) {
            INDArray g = sum(carried, tapGradients[k]);
            carried = layers[k - 1].backward(g);
        }
        INDArray gx = deepest < 0 ? Nd4j.zeros(outputs[0].dataType(), outputs[0].shape())
                : sum(carried, tapGradients[0]);
        if (wantWeights) {
            policy.addWeightGradients(edge, gradWeights, policy.needsGradientSums() ? gy.sumNumber().doubleValue() : 0);
        }
        return gx;
    }

    private static INDArray sum(INDArray a, INDArray b) {
        return a == null ? b : b == null ? a : a.add(b);
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        for (Module m : layers) {
            m.releaseBuffers(pool);
        }
        mix.releaseBuffers(pool);
    }

    @Override
    public void releaseGradientBuffers(ArrayPool pool) {
        for (Module m : layers) {
            m.releaseGradientBuffers(pool);
        }
    }

    @Override
    public String export(GraphSink sink, String input) {
        throw new UnsupportedOperationException("a supernet is not exported: derive() an architecture and compile"
                + " it with SpaceCompiler");
    }
}
