package org.nas4j.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.journal.JournalMismatchException;

/** Bad budgets and foreign journals fail at once, naming the parameter or field and the value. */
class BadInputTest {
    private final ToySpace space = new ToySpace(6, 4);

    private static Estimator estimator(String description) {
        return ToySpace.scoring(description);
    }

    @Test
    void zeroOrNegativeTrialCounts() {
        assertEquals("maxTrials must be >= 1, but was 0",
                assertThrows(IllegalArgumentException.class, () -> Budget.trials(0)).getMessage());
        assertEquals("maxTrials must be >= 1, but was -5",
                assertThrows(IllegalArgumentException.class, () -> Budget.trials(-5)).getMessage());
        assertEquals("maxTrials must be >= 1, but was -1", assertThrows(IllegalArgumentException.class,
                () -> Budget.wallClock(Duration.ofMinutes(1)).orTrials(-1)).getMessage());
        assertEquals("maxWallClock must be positive, but was PT0S",
                assertThrows(IllegalArgumentException.class, () -> Budget.wallClock(Duration.ZERO)).getMessage());
    }

    @Test
    void aJournalOfAnotherConfiguration(@TempDir Path dir) {
        SearchRunner.builder(space, new GreedyToyStrategy()).estimator(estimator("table-a")).budget(Budget.trials(3))
                .journal(dir).build().run();
        JournalMismatchException e = assertThrows(JournalMismatchException.class,
                () -> SearchRunner.builder(space, new GreedyToyStrategy()).estimator(estimator("table-b"))
                        .budget(Budget.trials(3)).journal(dir).build().run());
        assertEquals("journal " + dir.resolve(Journal.FILE_NAME) + " was written for another search: its estimator "
                + "is 'table-a' but this search's is 'table-b'. Use another journal location, or the same "
                + "configuration to resume.", e.getMessage());
        e = assertThrows(JournalMismatchException.class,
                () -> SearchRunner.builder(space, new GreedyToyStrategy()).estimator(estimator("table-a"))
                        .objective(Objective.minimize(Metric.VALIDATION_LOSS)).journal(dir).build().run());
        assertEquals("journal " + dir.resolve(Journal.FILE_NAME) + " was written for another search: its objective "
                + "is 'maximize valid_acc' but this search's is 'minimize valid_loss'. Use another journal location, "
                + "or the same configuration to resume.", e.getMessage());
    }
}
