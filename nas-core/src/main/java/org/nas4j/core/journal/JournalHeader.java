package org.nas4j.core.journal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a journal was written for. Resuming with a different space, strategy configuration, estimator, objective,
 * seed or parallelism would not reproduce the same search, so a journal whose header differs is refused.
 *
 * @param space       the space's identity
 * @param strategy    the strategy's configuration
 * @param estimator   the estimator's description
 * @param objective   the objective
 * @param seed        the root seed
 * @param parallelism trials in flight at once (it shapes the ask/tell order)
 */
public record JournalHeader(String space, String strategy, String estimator, String objective, long seed,
                            int parallelism) {

    /** The fields as name/value pairs, in a fixed order. */
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("space", space);
        m.put("strategy", strategy);
        m.put("estimator", estimator);
        m.put("objective", objective);
        m.put("seed", Long.toString(seed));
        m.put("parallelism", Integer.toString(parallelism));
        return m;
    }
}
