package org.nas4j.estimators.training;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.FashionMnist;

class MemoryReleaseIntervalTest {

    @Test
    void aNegativeIntervalIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Estimators.training(FashionMnist.bundled()).memoryReleaseInterval(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("memoryReleaseInterval must be >= 0, but was PT-1S"), e.getMessage());
    }

    @Test
    void theIntervalDoesNotChangeTheConfiguration() {
        TrainingEstimator every = Estimators.training(FashionMnist.bundled()).memoryReleaseInterval(Duration.ZERO)
                .build();
        TrainingEstimator seldom = Estimators.training(FashionMnist.bundled()).build();
        assertTrue(every.description().equals(seldom.description()), "results do not depend on it, so a journal "
                + "written with one interval resumes with another");
    }
}
