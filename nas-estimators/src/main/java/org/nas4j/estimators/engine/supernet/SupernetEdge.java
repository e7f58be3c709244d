package org.nas4j.estimators.engine.supernet;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.Sum;
import org.nas4j.estimators.engine.ops.WeightedSum;
import org.nas4j.estimators.engine.ops.Zero;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An edge of a supernet: holds its candidate ops (each instantiated once) and computes, for the path its
 * {@link PathPolicy} gives in the current pass, {@code sum_i w_i * op_i(x)} over the path's ops only.
 *
 * <p>Zero ops are skipped rather than computed and added (their contribution and gradients are zero). A path of
 * one op with weight 1 returns that op's output as is, so a single-path step costs exactly the chosen ops.
 * A stand-alone network is the same edge with only the chosen candidate instantiated.
 */
public final class SupernetEdge implements Layer {

    private final int index;
    private final Layer[] candidates;
    private final PathPolicy policy;
    private final WeightedSum weightedSum = new WeightedSum();
    private final Sum gradientSum = new Sum();
    private final Sum reluGradientSum = new Sum();
    private final boolean[] takesRelu;
    private final List<INDArray> reluGradients = new ArrayList<>();
    private INDArray reluGradient;
    private final List<Integer> active = new ArrayList<>();
    private final List<INDArray> outputs = new ArrayList<>();
    private final List<INDArray> gradients = new ArrayList<>();
    private final ArrayPool pool;
    private EdgePath path;
    private Zero zero;
    private INDArray input;

    /**
     * Creates the edge.
     *
     * @param index      the edge index the policy knows it by (shared by the same edge of every cell)
     * @param candidates the candidate ops by op index; {@code null} where an op is not instantiated (a stand-alone
     *                   network), which the policy must then never choose
     * @param policy     the path policy
     */
    public SupernetEdge(int index, Layer[] candidates, PathPolicy policy) {
        this(index, candidates, policy, new ArrayPool());
    }

    /**
     * Creates the edge with a pool shared with other layers (e.g. all edges of a network), so that buffers of
     * the candidates a pass does not run serve any layer of the network, not only the other candidates here.
     *
     * @param pool where the buffers of unused candidates go, and where they are taken from
     */
    public SupernetEdge(int index, Layer[] candidates, PathPolicy policy, ArrayPool pool) {
        this(index, candidates, new boolean[candidates.length], policy, pool);
    }

    /**
     * Creates an edge some of whose candidates consume {@code ReLU(x)} instead of {@code x} (a cell computes the
     * ReLU of each node once for all its outgoing edges). Use {@link #forward(INDArray, INDArray, Mode)}; the
     * backward pass then returns the gradient with respect to {@code x} of the other candidates only (null if
     * none ran) and leaves that with respect to {@code ReLU(x)} in {@link #reluGradient()}.
     *
     * @param takesRelu by op index, whether the candidate's input is {@code ReLU(x)}
     */
    public SupernetEdge(int index, Layer[] candidates, boolean[] takesRelu, PathPolicy policy, ArrayPool pool) {
        this.index = index;
        this.candidates = candidates.clone();
        this.takesRelu = takesRelu.clone();
        this.policy = policy;
        this.pool = pool;
    }

    /** Whether the current pass's path (after the policy's beginPass) runs a candidate that consumes ReLU(x). */
    public boolean needsReluInput() {
        EdgePath p = policy.path(index);
        for (int i = 0; i < p.size(); i++) {
            if (takesRelu[p.op(i)]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The gradient with respect to {@code ReLU(x)} of the last backward pass, or null if no candidate consuming
     * it got a gradient; owned by the edge.
     */
    public INDArray reluGradient() {
        return reluGradient;
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        return forward(x, null, mode);
    }

    /**
     * Computes the edge's output; candidates marked as taking ReLU(x) get {@code reluX}.
     *
     * @param reluX {@code ReLU(x)}, needed only if {@link #needsReluInput()}
     */
    public INDArray forward(INDArray x, INDArray reluX, Mode mode) {
        input = x;
        releaseUnusedCandidates();
        active.clear();
        outputs.clear();
        zero = null;
        double[] weights = new double[path.size()];
        int n = 0;
        for (int i = 0; i < path.size(); i++) {
            Layer op = candidate(path.op(i));
            if (op instanceof Zero z) {
                zero = z;
                continue;
            }
            active.add(i);
            outputs.add(op.forward(takesRelu[path.op(i)] ? reluX : x, mode));
            weights[n++] = path.weight(i);
        }
        if (active.isEmpty()) {
            return zero.forward(x, mode);
        }
        if (active.size() == 1 && weights[0] == 1.0) {
            return outputs.get(0);
        }
        return weightedSum.forward(outputs, java.util.Arrays.copyOf(weights, n));
    }

    @Override
    public INDArray backward(INDArray gy) {
        boolean wantWeights = policy.needsWeightGradients();
        double[] gradWeights = new double[path.size()];
        INDArray gx;
        reluGradient = null;
        if (active.isEmpty()) {
            gx = zero.backward(gy);
        } else if (outputs.size() == 1 && path.weight(active.get(0)) == 1.0) {
            if (wantWeights) {
                gradWeights[active.get(0)] = dot(gy, outputs.get(0));
            }
            int op = path.op(active.get(0));
            gx = candidate(op).backward(gy);
            if (takesRelu[op]) {
                reluGradient = gx;
                gx = null;
            }
        } else {
            List<INDArray> scaled = weightedSum.backward(gy, wantWeights);
            double[] g = wantWeights ? weightedSum.weightGradients() : null;
            gradients.clear();
            reluGradients.clear();
            for (int j = 0; j < active.size(); j++) {
                int i = active.get(j);
                if (wantWeights) {
                    gradWeights[i] = g[j];
                }
                if (path.weight(i) != 0.0) {
                    // an op with weight 0 (ProxylessNAS' closed gate) gets no gradient, as if detached
                    INDArray gi = candidate(path.op(i)).backward(scaled.get(j));
                    (takesRelu[path.op(i)] ? reluGradients : gradients).add(gi);
                }
            }
            if (!reluGradients.isEmpty()) {
                reluGradient = reluGradientSum.forward(reluGradients);
            }
            gx = !gradients.isEmpty() ? gradientSum.forward(gradients)
                    : reluGradient != null ? null : Buffer.sharedZeros(input.dataType(), input.shape());
        }
        if (wantWeights) {
            double sum = policy.needsGradientSums() ? gy.sumNumber().doubleValue() : 0.0;
            policy.addWeightGradients(index, gradWeights, sum);
        }
        return gx;
    }

    /**
     * Pools the buffers of the candidates this pass does not run, for those that do. {@link #forward} does it; a
     * network sharing one pool among its edges calls it for all edges after the policy's {@code beginPass} and
     * before the forward pass, so that every release comes before any allocation of the pass.
     */
    public void releaseUnusedCandidates() {
        path = policy.path(index);
        boolean[] used = new boolean[candidates.length];
        for (int i = 0; i < path.size(); i++) {
            used[path.op(i)] = true;
        }
        for (int k = 0; k < candidates.length; k++) {
            if (!used[k] && candidates[k] != null) {
                candidates[k].releaseBuffers(pool);
            }
        }
    }

    /**
     * Hands every buffer of every candidate (outputs and input gradients) and of the edge's gradient sums to the
     * edge's pool. A cell calls it once its backward pass has consumed the edge's activations and gradients, and
     * once at construction so that every buffer takes its arrays from the pool from the first pass on.
     */
    @Override
    public void releaseBuffers(ArrayPool pool) {
        for (Layer c : candidates) {
            if (c != null) {
                c.releaseBuffers(pool);
            }
        }
        gradientSum.releaseBuffers(pool);
        reluGradientSum.releaseBuffers(pool);
        weightedSum.releaseBuffers(pool);
    }

    /**
     * Hands the buffer of the edge's last output to {@code pool} once the caller has consumed it (see
     * {@link Layer#releaseOutput}): the weighted sum's output, or the output of the one op that ran, unless the
     * policy wants weight gradients through that op (they read its output).
     */
    @Override
    public void releaseOutput(ArrayPool pool) {
        if (active.isEmpty()) {
            return;
        }
        if (outputs.size() == 1 && path.weight(active.get(0)) == 1.0) {
            if (!policy.needsWeightGradients()) {
                candidate(path.op(active.get(0))).releaseOutput(pool);
            }
        } else {
            weightedSum.releaseOutput(pool);
        }
    }

    /** Hands the input-gradient buffers of all candidates to {@code pool} (see {@link Layer}). */
    @Override
    public void releaseGradientBuffers(ArrayPool pool) {
        for (Layer c : candidates) {
            if (c != null) {
                c.releaseGradientBuffers(pool);
            }
        }
    }

    private Layer candidate(int op) {
        if (op < 0 || op >= candidates.length || candidates[op] == null) {
            throw new IllegalStateException("edge " + index + " has no instantiated op " + op
                    + ": the policy chose an op this network was not built with");
        }
        return candidates[op];
    }

    private static double dot(INDArray a, INDArray b) {
        return Nd4j.getBlasWrapper().level1().dot(a.length(), 1.0, a, b);
    }
}
