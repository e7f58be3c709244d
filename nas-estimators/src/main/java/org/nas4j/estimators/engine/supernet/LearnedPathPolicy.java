package org.nas4j.estimators.engine.supernet;

import org.nas4j.estimators.engine.Parameter;

/**
 * A path policy with learnable architecture weights {@code alpha[edges][ops]} (logits): DARTS' {@link MixedPolicy},
 * {@link GdasPolicy} and {@link ProxylessPolicy}. A supernet derives its architecture from {@code softmax(alpha)}.
 * When edges have different numbers of ops, {@code alpha} has as many columns as the largest edge and edge
 * {@code e} reads the first {@link #ops(int) ops(e)} entries of its row.
 */
public interface LearnedPathPolicy extends PathPolicy {

    /** The architecture weights (logits), shape {@code [edges, max ops]}. */
    Parameter alpha();

    /** The number of candidate ops of {@code edge}. */
    int ops(int edge);

    /** {@code softmax} of the edge's own logits: the probability (DARTS: the weight) of each of its ops. */
    default double[] probabilities(int edge) {
        double[] logits = alpha().value().getRow(edge).toDoubleVector();
        return Policies.softmax(java.util.Arrays.copyOf(logits, ops(edge)));
    }
}
