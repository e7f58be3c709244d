package org.nas4j.estimators.engine.optim;

/**
 * The learning rate as a function of the optimizer step (0 for the first step).
 *
 * <pre>{@code
 * LearningRateSchedule lr = LearningRateSchedule.cosine(0.025, 50 * stepsPerEpoch, 0.001);
 * }</pre>
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The learning rate for the given step, {@code step >= 0}. */
    double rate(long step);

    /** The same rate at every step. */
    static LearningRateSchedule constant(double rate) {
        requireNonNegative("rate", rate);
        return step -> rate;
    }

    /**
     * Cosine annealing from {@code initial} to {@code minimum} over {@code totalSteps} steps (PyTorch's
     * {@code CosineAnnealingLR} with T_max = totalSteps), then {@code minimum}.
     */
    static LearningRateSchedule cosine(double initial, long totalSteps, double minimum) {
        requireNonNegative("initial", initial);
        requireNonNegative("minimum", minimum);
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, but was " + totalSteps);
        }
        return step -> step >= totalSteps ? minimum
                : minimum + 0.5 * (initial - minimum) * (1 + Math.cos(Math.PI * step / totalSteps));
    }

    /**
     * Step decay: {@code initial * gamma^floor(step / stepSize)} (PyTorch's {@code StepLR}).
     */
    static LearningRateSchedule step(double initial, long stepSize, double gamma) {
        requireNonNegative("initial", initial);
        if (stepSize < 1) {
            throw new IllegalArgumentException("stepSize must be >= 1, but was " + stepSize);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1], but was " + gamma);
        }
        return step -> initial * Math.pow(gamma, Math.floorDiv(step, stepSize));
    }

    private static void requireNonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, but was " + value);
        }
    }
}
