package org.nas4j.spark;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.nas4j.spaces.Spaces;

class BuiltOnExecutorTest {
    private static TrialRecipes recipes() {
        return new TrialRecipes(UUID.randomUUID().toString(), Spaces::nasBench201, TestEstimators.Flaky::new);
    }

    @Test
    void theTrialsOfOneSearchShareWhatWasBuilt() throws Exception {
        TrialRecipes search = recipes();
        assertSame(BuiltOnExecutor.of(search).estimator(), BuiltOnExecutor.of(search).estimator());
    }

    @Test
    void twoSearchesNeverShareAnEstimator() throws Exception {
        // Two SparkContexts in one JVM, one after the other, hand out the same broadcast ids: the searches must
        // still each get their own estimator.
        assertNotSame(BuiltOnExecutor.of(recipes()).estimator(), BuiltOnExecutor.of(recipes()).estimator());
    }

    @Test
    void keepsTheLastSearchesOnly() throws Exception {
        TrialRecipes first = recipes();
        Object built = BuiltOnExecutor.of(first).estimator();
        for (int i = 0; i < BuiltOnExecutor.KEPT; i++) {
            BuiltOnExecutor.of(recipes());
        }
        assertNotSame(built, BuiltOnExecutor.of(first).estimator(), "the oldest search was dropped and rebuilt");
    }
}
