package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.spaces.darts.DartsCostModel;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.darts.Genotype;
import org.nas4j.spaces.darts.Genotypes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class DartsFactoryTest {

    static final DartsSpace SPACE = DartsSpace.darts();

    @Test
    void parameterCountsEqualTheReferenceNetwork() {
        for (Genotype g : List.of(Genotypes.DARTS_V1, Genotypes.DARTS_V2)) {
            for (int[] cl : new int[][] {{8, 5}, {16, 8}, {36, 20}}) {
                Architecture a = SPACE.parse(g.toString());
                long expected = DartsCostModel.cifar(g).channels(cl[0]).layers(cl[1]).auxiliary(false).build()
                        .parameters();
                TrainableNetwork net = new DartsFactory(SPACE, cl[0], cl[1], 10, 3, 32).build(a, 1);
                assertEquals(expected, net.parameterCount(), g + " C=" + cl[0] + " L=" + cl[1]);
            }
        }
    }

    @Test
    void trainingATinyDartsNetworkLowersTheLoss() {
        TrainableNetwork net = new DartsFactory(SPACE, 4, 3, 10, 1, 8).build(SPACE.parse(Genotypes.DARTS_V2
                .toString()), 3);
        INDArray x = GradientCheck.random(4, 8, 1, 8, 8).castTo(DataType.FLOAT);
        INDArray y = SoftmaxCrossEntropy.oneHot(new SplittableRandom(1).ints(8, 0, 10).toArray(), 10, DataType.FLOAT);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Adam adam = Adam.builder(net.parameters(), LearningRateSchedule.constant(0.01)).build();
        double first = 0;
        double last = 0;
        for (int step = 0; step < 8; step++) {
            last = loss.forward(net.forward(x, Mode.TRAINING), y);
            first = step == 0 ? last : first;
            net.backward(loss.backward());
            adam.step();
        }
        assertTrue(last < 0.8 * first, "loss went from " + first + " to " + last);
    }
}
