package org.nas4j.estimators.engine.supernet;

import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DARTS' continuous relaxation: every edge outputs {@code sum_k softmax(alpha[e])_k * op_k(x)} with learnable
 * architecture weights {@code alpha[edges][ops]}, initialized to {@code 1e-3 * N(0, 1)}. The weights are a
 * parameter like any other, so one optimizer can update them with the network's weights (first-order DARTS in one
 * step) or a second optimizer over a separate set can (by passing this policy a different parameter set).
 *
 * <p>Edges may have different numbers of ops: {@code alpha} then has as many columns as the largest edge, and
 * edge {@code e} uses the first {@code ops[e]} entries of its row (the rest is padding that never gets a gradient).
 *
 * <p>Under a {@link CandidateMask}, an edge computes its allowed ops only, weighted by the softmax of their logits;
 * a removed op's weight is exactly 0 and its logit's gradient 0, and a pinned edge runs its one op with weight 1.
 */
public final class MixedPolicy implements LearnedPathPolicy {

    private final int[] ops;
    private final int columns;
    private final CandidateMask mask;
    private final Parameter alpha;
    private final EdgePath[] paths;
    private double[][] probabilities;
    private final double[][] gradProbabilities;

    /**
     * Creates the policy and declares {@code alpha}.
     *
     * @param params where {@code alpha} (named "alpha", shape [edges, ops]) is declared
     * @param edges  number of edge indices
     * @param ops    number of candidate ops per edge
     */
    public MixedPolicy(ParameterSet params, int edges, int ops) {
        this(params, Policies.uniform(edges, ops));
    }

    /**
     * Creates the policy for edges with their own numbers of ops and declares {@code alpha}.
     *
     * @param params where {@code alpha} (named "alpha", shape [edges, max ops]) is declared
     * @param ops    number of candidate ops of each edge, each >= 1
     */
    public MixedPolicy(ParameterSet params, int[] ops) {
        this(params, ops, CandidateMask.all(Policies.requireCounts(ops)));
    }

    /**
     * Creates the policy for edges with their own numbers of ops, restricted to the candidates {@code mask}
     * allows, and declares {@code alpha}.
     *
     * @param params where {@code alpha} (named "alpha", shape [edges, max ops]) is declared
     * @param ops    number of candidate ops of each edge, each >= 1
     * @param mask   the candidates each edge may use, shaped as {@code ops}
     */
    public MixedPolicy(ParameterSet params, int[] ops, CandidateMask mask) {
        this.ops = Policies.requireCounts(ops);
        this.mask = mask.requireShape(ops);
        this.columns = Policies.max(this.ops);
        this.alpha = params.add("alpha", new long[] {ops.length, columns}, Initializer.normal(1e-3));
        this.paths = new EdgePath[ops.length];
        this.gradProbabilities = new double[ops.length][];
        for (int e = 0; e < ops.length; e++) {
            gradProbabilities[e] = new double[ops[e]];
        }
    }

    @Override
    public Parameter alpha() {
        return alpha;
    }

    @Override
    public CandidateMask mask() {
        return mask;
    }

    @Override
    public int ops(int edge) {
        Policies.requireEdge(edge, ops.length);
        return ops[edge];
    }

    @Override
    public void beginPass(Mode mode) {
        double[][] logits = alpha.value().toDoubleMatrix();
        probabilities = new double[ops.length][];
        for (int e = 0; e < ops.length; e++) {
            int[] allowed = mask.allowedCandidates(e);
            probabilities[e] = Policies.softmax(mask.logits(e, Policies.row(logits, e, ops[e])));
            double[] weights = new double[allowed.length];
            for (int i = 0; i < allowed.length; i++) {
                weights[i] = probabilities[e][allowed[i]];
            }
            paths[e] = new EdgePath(allowed, weights);
            java.util.Arrays.fill(gradProbabilities[e], 0.0);
        }
    }

    @Override
    public EdgePath path(int edge) {
        return Policies.pathOf(paths, edge);
    }

    @Override
    public boolean needsWeightGradients() {
        return true;
    }

    @Override
    public void addWeightGradients(int edge, double[] gradWeights, double gradOutputSum) {
        EdgePath path = paths[edge];
        for (int i = 0; i < path.size(); i++) {
            gradProbabilities[edge][path.op(i)] += gradWeights[i];
        }
    }

    @Override
    public void endBackward() {
        double[][] grad = new double[ops.length][];
        for (int e = 0; e < ops.length; e++) {
            grad[e] = Policies.padded(Policies.softmaxBackward(probabilities[e], gradProbabilities[e]), columns);
            mask.clearRemoved(e, grad[e]);
        }
        alpha.gradient().assign(Nd4j.createFromArray(grad).castTo(alpha.gradient().dataType()));
        alpha.markGradient();
    }

    /**
     * The op with the largest weight on each edge among the allowed (DARTS' derived architecture, without pruning
     * of "none").
     */
    public int[] derive() {
        return Policies.argmaxRows(alpha, ops, mask);
    }
}
