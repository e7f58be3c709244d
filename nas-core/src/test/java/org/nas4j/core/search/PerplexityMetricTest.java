package org.nas4j.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.nas4j.core.space.Architecture;
import org.junit.jupiter.api.Test;

/** Perplexity is a standard metric that is better when lower, and a search minimising it ranks that way. */
class PerplexityMetricTest {

    @Test
    void validationPerplexityIsStandardAndMinimised() {
        assertSame(Metric.VALIDATION_PERPLEXITY, Metric.named("valid_ppl"));
        assertEquals(Metric.Direction.MINIMIZE, Metric.VALIDATION_PERPLEXITY.direction());
        assertTrue(Metric.VALIDATION_PERPLEXITY.visibleToStrategy());
        assertTrue(Metric.VALIDATION_PERPLEXITY.oriented(3.0) > Metric.VALIDATION_PERPLEXITY.oriented(5.0));
        assertThrows(IllegalArgumentException.class, () -> Metric.custom("valid_ppl", Metric.Direction.MINIMIZE));
    }

    @Test
    void testPerplexityIsHiddenFromStrategies() {
        assertSame(Metric.TEST_PERPLEXITY, Metric.named("test_ppl"));
        assertEquals(Metric.Direction.MINIMIZE, Metric.TEST_PERPLEXITY.direction());
        assertFalse(Metric.TEST_PERPLEXITY.visibleToStrategy());
        ToySpace space = new ToySpace(2, 2);
        Trial t = new Trial(0, Architecture.of(space, 0, 1), TrialState.COMPLETE,
                Map.of(Metric.VALIDATION_PERPLEXITY, 4.0, Metric.TEST_PERPLEXITY, 4.5), "", 0, 1, 0);
        assertFalse(t.visibleToStrategy().metrics().containsKey(Metric.TEST_PERPLEXITY));
    }

    @Test
    void minimisingPerplexityScoresTheLowerOneHigher() {
        ToySpace space = new ToySpace(2, 2);
        Objective o = Objective.minimize(Metric.VALIDATION_PERPLEXITY);
        Trial low = new Trial(0, Architecture.of(space, 0, 0), TrialState.COMPLETE,
                Map.of(Metric.VALIDATION_PERPLEXITY, 3.2), "", 0, 1, 0);
        Trial high = new Trial(1, Architecture.of(space, 1, 0), TrialState.COMPLETE,
                Map.of(Metric.VALIDATION_PERPLEXITY, 7.9), "", 0, 1, 0);
        assertTrue(o.score(low) > o.score(high));
    }
}
