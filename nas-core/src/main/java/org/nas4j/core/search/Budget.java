package org.nas4j.core.search;

import java.time.Duration;
import java.util.Objects;

/**
 * When a search stops asking for new trials: after a number of trials, after some wall-clock time, or whichever
 * comes first. Trials already in flight when the budget runs out are finished and recorded. Immutable.
 *
 * <pre>{@code
 * Budget.trials(200).orWallClock(Duration.ofMinutes(30));
 * }</pre>
 *
 * @param maxTrials    the number of trials, counting those resumed from a journal; Integer.MAX_VALUE for no limit
 * @param maxWallClock the wall-clock time of this run; null for no limit
 */
public record Budget(int maxTrials, Duration maxWallClock) {
    public Budget {
        if (maxTrials < 1) {
            throw new IllegalArgumentException("maxTrials must be >= 1, but was " + maxTrials);
        }
        if (maxWallClock != null && (maxWallClock.isNegative() || maxWallClock.isZero())) {
            throw new IllegalArgumentException("maxWallClock must be positive, but was " + maxWallClock);
        }
    }

    /** At most {@code n} trials. */
    public static Budget trials(int n) {
        return new Budget(n, null);
    }

    /** At most {@code d} of wall-clock time. */
    public static Budget wallClock(Duration d) {
        Objects.requireNonNull(d, "wall clock");
        return new Budget(Integer.MAX_VALUE, d);
    }

    /** This budget, also stopping after {@code d} of wall-clock time. */
    public Budget orWallClock(Duration d) {
        Objects.requireNonNull(d, "wall clock");
        return new Budget(maxTrials, d);
    }

    /** This budget, also stopping after {@code n} trials. */
    public Budget orTrials(int n) {
        return new Budget(n, maxWallClock);
    }

    /** Whether no new trial may start, {@code started} trials having started and {@code elapsed} having passed. */
    public boolean isExhausted(int started, Duration elapsed) {
        return started >= maxTrials || (maxWallClock != null && elapsed.compareTo(maxWallClock) >= 0);
    }

    @Override
    public String toString() {
        String t = maxTrials == Integer.MAX_VALUE ? "" : maxTrials + " trials";
        String w = maxWallClock == null ? "" : maxWallClock.toString();
        return t.isEmpty() ? w : w.isEmpty() ? t : t + " or " + w;
    }
}
