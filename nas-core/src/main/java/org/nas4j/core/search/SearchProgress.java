package org.nas4j.core.search;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a search stands after a trial.
 *
 * @param finished trials finished so far (failed ones included)
 * @param failed   of which failed
 * @param budget   the budget
 * @param elapsed  wall-clock time of this run
 * @param best      the best trial so far, if any completed
 * @param objective what the search optimises
 */
public record SearchProgress(int finished, int failed, Budget budget, Duration elapsed, Optional<Trial> best,
                             Objective objective) {
}
