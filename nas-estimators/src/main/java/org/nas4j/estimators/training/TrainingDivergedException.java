package org.nas4j.estimators.training;

/** Thrown when a training run's loss becomes NaN or infinite; the message names the epoch and step. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the given message. */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
