package org.nas4j.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.nas4j.core.random.SplitMix64;

/** Metric accessors of Evaluation and Trial agree: value() is NaN and find() empty for a metric not measured. */
class EvaluationTest {

    @Test
    void valueAndFindOfAnEvaluation() {
        Evaluation e = Evaluation.of(Metric.VALIDATION_ACCURACY, 91.5).with(Metric.PARAMETERS, 1000);
        assertEquals(91.5, e.value(Metric.VALIDATION_ACCURACY));
        assertTrue(Double.isNaN(e.value(Metric.TEST_ACCURACY)));
        assertEquals(OptionalDouble.of(1000), e.find(Metric.PARAMETERS));
        assertEquals(OptionalDouble.empty(), e.find(Metric.TEST_ACCURACY));
    }

    @Test
    void findOfATrial() {
        var a = new ToySpace(2, 2).sample(new SplitMix64(1));
        Trial t = new Trial(0, a, TrialState.COMPLETE, Map.of(Metric.VALIDATION_ACCURACY, 3.0), "", 0, 1, 0);
        assertEquals(OptionalDouble.of(3.0), t.find(Metric.VALIDATION_ACCURACY));
        assertEquals(OptionalDouble.empty(), t.find(Metric.LATENCY_MS));
    }
}
