package org.nas4j.estimators.engine.optim;

import org.nas4j.estimators.engine.ParameterSet;

/** The argument checks every optimizer builder shares. */
final class OptimizerArguments {

    private OptimizerArguments() {
    }

    /** Checks that {@code params} is a sealed set and {@code schedule} is given. */
    static void requireSealed(ParameterSet params, LearningRateSchedule schedule) {
        if (params == null || !params.isSealed()) {
            throw new IllegalArgumentException("params must be a sealed ParameterSet, but was "
                    + (params == null ? "null" : "unsealed"));
        }
        if (schedule == null) {
            throw new IllegalArgumentException("schedule must not be null");
        }
    }

    /** {@code weightDecay} if it is >= 0; an exception naming it otherwise. */
    static double weightDecay(double weightDecay) {
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, but was " + weightDecay);
        }
        return weightDecay;
    }
}
