package org.nas4j.estimators.oneshot;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.BrightnessImages;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.spaces.mobile.SposSpace;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * SPOS' supernet training on its own space: the small ShuffleNetV2 supernet (every block at every channel scale, the
 * scales sliced from the widest) trained one uniformly sampled path per step by {@link SupernetTrainer}.
 */
class SposSupernetTrainingTest {

    @Test
    void theSposSupernetTrainsOnSampledPathsWithFallingLoss() {
        ComposedSpace space = SposSpace.small().input(1, 16).build();
        ImageDataset data = BrightnessImages.tenClasses(64, 1, 16);
        ComposedSupernet net = ComposedSupernet.compile(space, PathPolicies.singlePath(7), ModuleCatalogue.standard(),
                DataType.FLOAT, 3);
        SupernetTrainer trainer = SupernetTrainer.builder(net, data).epochs(6).stepsPerEpoch(4).batchSize(16)
                .architectureFraction(0).seed(4).build();
        double first = trainer.trainEpoch(() -> false).orElseThrow().trainLoss();
        double last = first;
        while (trainer.epochsDone() < trainer.epochs()) {
            last = trainer.trainEpoch(() -> false).orElseThrow().trainLoss();
        }
        assertTrue(Double.isFinite(last) && last < first, "train loss " + first + " -> " + last);
    }
}
