package org.nas4j.estimators.language;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Tolerances;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** NT-ASGD's switch (the stall rule of rnn/train.py, on scripted losses) and its average (against a plain mean). */
class NonMonotonicAveragingTest {

    @Test
    void switchesWhenALossIsWorseThanTheBestFromBeforeTheLastNonmonoEvaluations() {
        NonMonotonicAveraging a = new NonMonotonicAveraging(2);
        // history sizes 0, 1, 2: never more than nonmono = 2 evaluations, so no switch whatever the loss
        assertFalse(a.validated(5));
        assertFalse(a.validated(9));
        assertFalse(a.validated(8));
        // history [5, 9, 8]: the best before the last two is 5; 6 beats the last two (9, 8) but is worse than 5,
        // the rule's reference, so it switches
        assertTrue(a.validated(6));
        assertTrue(a.averaging());
        assertThrows(IllegalStateException.class, () -> a.validated(1));

        NonMonotonicAveraging b = new NonMonotonicAveraging(2);
        for (double loss : new double[] {5, 4, 3, 3.5, 4.0}) {
            // [5, 4, 3] then 3.5: the best before the last two is 5, not beaten (no switch) though 3.5 > 3;
            // [5, 4, 3, 3.5] then 4.0: the best before the last two is min(5, 4) = 4, and 4.0 is not worse
            assertFalse(b.validated(loss), "loss " + loss);
        }
        // [5, 4, 3, 3.5, 4] then 3.2: min(5, 4, 3) = 3 < 3.2
        assertTrue(b.validated(3.2));
    }

    @Test
    void theAverageIsTheMeanOfTheIteratesFromTheSecondAveragedStepOnAsPyTorchsAsgd() {
        NonMonotonicAveraging a = new NonMonotonicAveraging(1);
        SplittableRandom rng = new SplittableRandom(7);
        INDArray weights = Nd4j.createFromArray(rng.doubles(6, -1, 1).toArray());
        a.stepped(weights);
        assertNull(a.average(), "no average before the switch");
        a.validated(1);
        a.validated(2);
        assertTrue(a.validated(3), "3 > min([1]) with nonmono 1");
        int n = 9;
        double[][] iterates = new double[n][];
        for (int step = 0; step < n; step++) {
            weights.assign(Nd4j.createFromArray(rng.doubles(6, -1, 1).toArray()));
            iterates[step] = weights.toDoubleVector();
            a.stepped(weights);
            double[] mean = new double[6];
            // ASGD(t0=0, lambd=0): after step 1 the copy of step 1; after step k >= 2 the mean of steps 2 .. k
            int from = step == 0 ? 0 : 1;
            for (int i = from; i <= step; i++) {
                for (int j = 0; j < 6; j++) {
                    mean[j] += iterates[i][j] / (step + 1 - from);
                }
            }
            // the running mean passes each value through at most 3 roundings per step (sub, mul, add), values
            // below 1 in magnitude: gamma(3 n) in DOUBLE
            assertArrayEquals(mean, a.average().toDoubleVector(), Tolerances.gamma(DataType.DOUBLE, 3L * n),
                    "after averaged step " + (step + 1));
        }
    }

    @Test
    void badValuesAreNamed() {
        assertEquals("nonmono must be >= 1, but was 0", assertThrows(IllegalArgumentException.class,
                () -> new NonMonotonicAveraging(0)).getMessage());
    }
}
