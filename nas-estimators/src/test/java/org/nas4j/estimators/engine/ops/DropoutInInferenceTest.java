package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dropout that drops in inference too ({@link Dropout#dropInInference(boolean)}; ENAS' micro search child): the rate
 * of zeroed elements and the scale of the others, masks that change from pass to pass and repeat for a seed, and
 * training masks that the option does not change.
 */
class DropoutInInferenceTest {

    private static final int N = 100_000;

    @Test
    void inferenceZeroesTheRatesShareAndScalesTheRest() {
        Dropout d = new Dropout(0.1, 11);
        d.dropInInference(true);
        INDArray x = Nd4j.ones(DataType.DOUBLE, 1000, 100);
        INDArray y = d.forward(x, Mode.INFERENCE).dup();
        long zeros = 0;
        for (double v : y.data().asDouble()) {
            if (v == 0) {
                zeros++;
            } else {
                // survivors scaled by 1 / keep = 1 / 0.9, to the rounding of one division
                assertEquals(1 / 0.9, v, 1e-15);
            }
        }
        // binomial(1e5, 0.1): standard deviation 0.00095 of the share; 0.005 is over 5 of them
        assertEquals(0.1, zeros / (double) N, 0.005, "share of zeroed elements");
        INDArray again = d.forward(x, Mode.INFERENCE).dup();
        assertFalse(again.equals(y), "two inference passes drew the same mask");
    }

    @Test
    void inferenceMasksRepeatForASeedAndLeaveTheTrainingMasksAlone() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 50, 40).addi(0.5);
        Dropout plain = new Dropout(0.3, 7);
        Dropout dropping = new Dropout(0.3, 7);
        dropping.dropInInference(true);
        Dropout twin = new Dropout(0.3, 7);
        twin.dropInInference(true);
        for (int i = 0; i < 3; i++) {
            // inference passes between the training passes draw from the inference generator only
            INDArray inference = dropping.forward(x, Mode.INFERENCE).dup();
            assertEquals(inference, twin.forward(x, Mode.INFERENCE).dup());
            assertFalse(inference.equals(x));
            assertEquals(plain.forward(x, Mode.TRAINING).dup(), dropping.forward(x, Mode.TRAINING).dup());
            twin.forward(x, Mode.TRAINING);
        }
        // without the option inference is the identity, as before
        assertTrue(plain.forward(x, Mode.INFERENCE) == x);
        assertFalse(plain.dropInInference());
    }
}
