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
 */
public final class MixedPolicy implements LearnedPathPolicy {

    private final int edges;
    private final int ops;
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
        Policies.requireShape(edges, ops);
        this.edges = edges;
        this.ops = ops;
        this.alpha = params.add("alpha", new long[] {edges, ops}, Initializer.normal(1e-3));
        this.paths = new EdgePath[edges];
        this.gradProbabilities = new double[edges][ops];
    }

    @Override
    public Parameter alpha() {
        return alpha;
    }

    @Override
    public void beginPass(Mode mode) {
        double[][] logits = alpha.value().toDoubleMatrix();
        probabilities = new double[edges][];
        int[] all = new int[ops];
        for (int k = 0; k < ops; k++) {
            all[k] = k;
        }
        for (int e = 0; e < edges; e++) {
            probabilities[e] = Policies.softmax(logits[e]);
            paths[e] = new EdgePath(all, probabilities[e]);
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
        for (int k = 0; k < ops; k++) {
            gradProbabilities[edge][k] += gradWeights[k];
        }
    }

    @Override
    public void endBackward() {
        double[][] grad = new double[edges][];
        for (int e = 0; e < edges; e++) {
            grad[e] = Policies.softmaxBackward(probabilities[e], gradProbabilities[e]);
        }
        alpha.gradient().assign(Nd4j.createFromArray(grad).castTo(alpha.gradient().dataType()));
        alpha.markGradient();
    }

    /** The op with the largest weight on each edge (DARTS' derived architecture, without pruning of "none"). */
    public int[] derive() {
        double[][] logits = alpha.value().toDoubleMatrix();
        int[] arch = new int[edges];
        for (int e = 0; e < edges; e++) {
            arch[e] = Policies.argmax(logits[e]);
        }
        return arch;
    }
}
