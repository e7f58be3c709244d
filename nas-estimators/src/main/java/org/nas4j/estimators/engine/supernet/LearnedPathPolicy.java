package org.nas4j.estimators.engine.supernet;

import org.nas4j.estimators.engine.Parameter;

/**
 * A path policy with learnable architecture weights {@code alpha[edges][ops]} (logits): DARTS' {@link MixedPolicy},
 * {@link GdasPolicy} and {@link ProxylessPolicy}. A supernet derives its architecture from {@code softmax(alpha)}.
 */
public interface LearnedPathPolicy extends PathPolicy {

    /** The architecture weights (logits), shape {@code [edges, ops]}. */
    Parameter alpha();
}
