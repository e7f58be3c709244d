package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.spaces.darts.DartsDefinition;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.darts.Genotypes;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class SpaceCompilerTest {

    @Test
    void networkCompilerDispatchesBuilderSpaces() {
        assertInstanceOf(SpaceCompiler.class, NetworkCompiler.factoryFor(ComposedSpaces.blocks()));
    }

    @Test
    void randomArchitecturesTrainAndHaveThePlannedParameters() {
        for (ComposedSpace space : List.of(ComposedSpaces.blocks(), ComposedSpaces.cells())) {
            SplitMix64 rng = new SplitMix64(4);
            INDArray x = GradientCheck.random(5, 4, 1, 16, 16).castTo(DataType.FLOAT);
            INDArray y = SoftmaxCrossEntropy.oneHot(new int[] {1, 3, 5, 7}, 10, DataType.FLOAT);
            for (int i = 0; i < 6; i++) {
                Architecture a = space.sample(rng);
                TrainableNetwork net = NetworkCompiler.compile(a, i);
                assertEquals(space.parameters(a), net.parameterCount(), a.toString());
                SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
                Adam adam = Adam.builder(net.parameters(), LearningRateSchedule.constant(0.01)).build();
                double first = 0;
                double last = 0;
                for (int step = 0; step < 8; step++) {
                    INDArray logits = net.forward(x, Mode.TRAINING);
                    assertArrayEquals(new long[] {4, 10}, logits.shape());
                    last = loss.forward(logits, y);
                    first = step == 0 ? last : first;
                    net.backward(loss.backward());
                    adam.step();
                }
                assertTrue(Double.isFinite(last) && last < first, a + ": loss " + first + " -> " + last);
            }
        }
    }

    @Test
    void gradientsOfACompiledNetworkMatchFiniteDifferences() {
        for (ComposedSpace space : List.of(ComposedSpaces.blocks(), ComposedSpaces.cells())) {
            Architecture a = space.sample(new SplitMix64(8));
            TrainableNetwork net = new SpaceCompiler(space).dataType(DataType.DOUBLE).build(a, 3);
            GradientCheck.check(in -> net.forward(in, Mode.TRAINING), net.body()::backward, net.parameters(),
                    GradientCheck.random(2, 2, 1, 16, 16), 3);
        }
    }

    @Test
    void builtInSpacesWrittenWithTheBuilderCompileToTheSameSizes() {
        NasBench201Space nb201 = NasBench201Space.builder().channels(4).cellsPerStage(1).inputChannels(1)
                .imageSize(16).build();
        ComposedSpace built = NasBench201Definition.of(nb201);
        Architecture hand = nb201.parse(NetworkCompilerTest.CELLS.get(0));
        assertEquals(nb201.network().parameters(hand),
                NetworkCompiler.compile(Architecture.of(built, hand.vector()), 1).parameterCount());

        ComposedSpace darts = DartsDefinition.cifar(DartsSpace.darts(), 4, 5, true).build();
        Architecture v2 = DartsDefinition.architecture(darts, Genotypes.DARTS_V2);
        TrainableNetwork net = new SpaceCompiler(darts).build(v2, 1);
        DartsFactory reference = new DartsFactory(DartsSpace.darts(), 4, 5, 10, 3, 32)
                .auxiliaryHead(DartsFactory.DEFAULT_AUXILIARY_WEIGHT);
        assertEquals(reference.build(DartsSpace.darts().parse(Genotypes.DARTS_V2.toString()), 1).parameterCount(),
                net.parameterCount());
        assertEquals(darts.parameters(v2), net.parameterCount());
        assertEquals(darts.plan(v2).parametersWithoutAuxiliary(),
                new SpaceCompiler(darts).auxiliaryWeight(0).build(v2, 1).parameterCount());
        INDArray x = GradientCheck.random(1, 2, 3, 32, 32).castTo(DataType.FLOAT);
        net.forward(x, Mode.TRAINING);
        assertNotNull(net.auxiliaryLogits());
        assertArrayEquals(new long[] {2, 10}, net.auxiliaryLogits().shape());
    }

    @Test
    void dropPathIsAnOptionOfTheCompiledCellsInTrainingOnly() {
        ComposedSpace cells = ComposedSpaces.cells();
        Architecture a = cells.sample(new SplitMix64(3));
        INDArray x = GradientCheck.random(6, 4, 1, 16, 16).castTo(DataType.FLOAT);
        TrainableNetwork plain = new SpaceCompiler(cells).build(a, 2);
        TrainableNetwork dropped = new SpaceCompiler(cells).dropPath(0.5).build(a, 2);
        assertTrue(plain.dropPathRate().isEmpty());
        assertEquals(0.5, dropped.dropPathRate().orElseThrow().get());
        assertEquals(plain.forward(x, Mode.INFERENCE), dropped.forward(x, Mode.INFERENCE), "no drop-path in inference");
        assertNotEquals(plain.forward(x, Mode.TRAINING), dropped.forward(x, Mode.TRAINING), "dropped in training");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SpaceCompiler(cells).dropPath(1));
        assertEquals("dropPathProbability must be in [0, 1), but was 1.0", e.getMessage());
    }
}
