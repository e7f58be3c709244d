package org.nas4j.estimators.engine.supernet;

import org.nas4j.estimators.engine.Parameter;

/**
 * A path policy with learnable architecture weights {@code alpha[edges][ops]} (logits): DARTS' {@link MixedPolicy},
 * {@link GdasPolicy} and {@link ProxylessPolicy}. A supernet derives its architecture from {@code softmax(alpha)}.
 * When edges have different numbers of ops, {@code alpha} has as many columns as the largest edge and edge
 * {@code e} reads the first {@link #ops(int) ops(e)} entries of its row. Under a {@link #mask()} that removes
 * candidates, a removed candidate's logit reads as minus infinity: its probability is exactly 0.
 */
public interface LearnedPathPolicy extends PathPolicy {

    /** The architecture weights (logits), shape {@code [edges, max ops]}. */
    Parameter alpha();

    /** The number of candidate ops of {@code edge}. */
    int ops(int edge);

    /** The candidates each edge may use (a steering restriction's); {@link CandidateMask#all} when unrestricted. */
    CandidateMask mask();

    /**
     * {@code softmax} of the edge's own logits, the removed candidates' at minus infinity: the probability (DARTS:
     * the weight) of each of its ops, exactly 0 for a removed one.
     */
    default double[] probabilities(int edge) {
        double[] logits = alpha().value().getRow(edge).toDoubleVector();
        return Policies.softmax(mask().logits(edge, java.util.Arrays.copyOf(logits, ops(edge))));
    }
}
