package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A few Adam steps on one batch, the check that a compiled network trains. */
final class AdamSteps {

    private AdamSteps() {
    }

    /**
     * Trains {@code net} {@code steps} Adam steps (learning rate 0.01) on {@code x} with {@code labels} and asserts
     * that the logits have the batch's shape and that the loss falls from the first step to the last.
     */
    static void assertLossFalls(TrainableNetwork net, INDArray x, int[] labels, int steps, String what) {
        INDArray y = SoftmaxCrossEntropy.oneHot(labels, net.classes(), DataType.FLOAT);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Adam adam = Adam.builder(net.parameters(), LearningRateSchedule.constant(0.01)).build();
        double first = 0;
        double last = 0;
        for (int step = 0; step < steps; step++) {
            INDArray logits = net.forward(x, Mode.TRAINING);
            assertArrayEquals(new long[] {labels.length, net.classes()}, logits.shape());
            last = loss.forward(logits, y);
            first = step == 0 ? last : first;
            net.backward(loss.backward());
            adam.step();
        }
        assertTrue(Double.isFinite(last) && last < first, what + ": loss " + first + " -> " + last);
    }
}
