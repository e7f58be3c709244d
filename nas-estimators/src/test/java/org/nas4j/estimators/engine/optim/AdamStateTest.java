package org.nas4j.estimators.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;

/** Adam's state round-trips: a restored optimizer continues exactly as the original. */
class AdamStateTest {

    private static ParameterSet params() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 1);
        p.add("a", new long[] {3}, Initializer.normal(1));
        p.add("b", new long[] {2}, Initializer.normal(1));
        p.seal();
        return p;
    }

    private static void step(ParameterSet p, Adam adam, boolean both) {
        for (Parameter q : p.parameters()) {
            if (both || q.name().equals("a")) {
                q.gradient().assign(q.value().mul(2));
                q.markGradient();
            }
        }
        adam.step();
    }

    @Test
    void restoredOptimizerContinuesIdentically() {
        ParameterSet p = params();
        Adam adam = Adam.builder(p, LearningRateSchedule.constant(0.1)).build();
        step(p, adam, true);
        step(p, adam, false);
        Adam.State saved = adam.state();
        double[] values = p.values().toDoubleVector();
        step(p, adam, true);
        double[] expected = p.values().toDoubleVector();

        ParameterSet q = params();
        q.values().assign(org.nd4j.linalg.factory.Nd4j.createFromArray(values));
        Adam restored = Adam.builder(q, LearningRateSchedule.constant(0.1)).build();
        restored.restore(saved);
        step(q, restored, true);
        assertArrayEquals(expected, q.values().toDoubleVector(), 0.0);
    }

    @Test
    void stateOfAnotherLayoutIsRefused() {
        Adam adam = Adam.builder(params(), LearningRateSchedule.constant(0.1)).build();
        assertThrows(IllegalArgumentException.class,
                () -> adam.restore(new Adam.State(new double[2], new double[2], new long[1], 0)));
    }
}
