package org.nas4j.core.search;

/**
 * Why a trial failed where its exception cannot travel as it is (e.g. on another machine): its message is the
 * reason the runner records for the FAILED trial, word for word. An executor completes a trial's future with it.
 */
public final class TrialFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure whose reason is {@code reason}. */
    public TrialFailedException(String reason) {
        super(reason);
    }

    /**
     * The reason a trial that failed with {@code failure} records: its class's simple name and its message, as the
     * runner writes it for an estimator's exception ({@code "IllegalStateException: bad input"}).
     */
    public static String reasonOf(Throwable failure) {
        String m = failure.getMessage();
        return failure.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
