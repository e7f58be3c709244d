package org.nas4j.estimators.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.core.space.SpaceRestriction;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ForwardingModule;
import org.nas4j.estimators.network.Module;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A supernet trained over rounds: the ops actually run in training are counted by wrapping every op's module, so
 * a removed op is seen never to run, not only never to be drawn.
 */
class SupernetRoundsTest {

    /** Training-mode forward passes per op, counted by the modules of {@link #counting}. */
    private final Map<String, Integer> trainingPasses = new TreeMap<>();

    private static ComposedSpace space() {
        return space("rounds");
    }

    private static ComposedSpace space(String name) {
        return SpaceBuilder.create(name).input(1, 8, 8).classes(3).value("w", 4, 6)
                .layer("stem", "conv_bn_3x3", Width.value("w"))
                .choice("a", List.of("nor_conv_3x3", "max_pool_3x3", "skip_connect"))
                .choice("b", List.of("conv_bn_relu_3x3", "avg_pool_3x3"))
                .head("bn_relu_pool_linear").build();
    }

    private static ImageDataset images(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] values = new float[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(3);
            for (int p = 0; p < 64; p++) {
                values[i * 64 + p] = (float) (labels[i] - 1 + 0.4 * rng.nextGaussian());
            }
        }
        return new ImageDataset(values, labels, 1, 8, 8, 3);
    }

    /** The standard modules, each counting its training-mode forward passes under its op's name. */
    private ModuleCatalogue counting() {
        return ModuleCatalogue.standard().wrapped(Counted::new);
    }

    private final class Counted extends ForwardingModule {
        private final String op;

        Counted(String op, Module module) {
            super(module);
            this.op = op;
        }

        @Override
        public INDArray forward(INDArray input, Mode mode) {
            if (mode == Mode.TRAINING) {
                trainingPasses.merge(op, 1, Integer::sum);
            }
            return super.forward(input, mode);
        }
    }

    private SupernetRounds rounds(ComposedSpace space, Path dir) {
        return SupernetRounds.builder(space, images(64, 1), images(32, 2), dir).epochsPerRound(2).batchSize(16)
                .recalibrationBatches(1).modules(counting()).seed(3).build();
    }

    @Test
    void aRoundAfterARestrictionTrainsOnlyTheAllowedOps(@TempDir Path dir) throws Exception {
        ComposedSpace space = space();
        SupernetRounds rounds = rounds(space, dir);
        rounds.prepare(SpaceRestriction.none().applyTo(space), 1);
        // 2 epochs x 4 steps of 16 samples; the seed's draws run max_pool_3x3 in round 1, so round 2's zero counts
        assertTrue(trainingPasses.getOrDefault("max_pool_3x3", 0) > 0, trainingPasses.toString());
        assertEquals(8, trainingPasses.get("bn_relu_pool_linear"), "one head pass per step: " + trainingPasses);

        trainingPasses.clear();
        SearchSpace restricted = SpaceRestriction.none().remove("a", "max_pool_3x3").pin("b", "avg_pool_3x3")
                .applyTo(space);
        rounds.prepare(restricted, 2);
        assertEquals(8, trainingPasses.get("bn_relu_pool_linear"), trainingPasses.toString());
        assertEquals(0, trainingPasses.getOrDefault("max_pool_3x3", 0), trainingPasses.toString());
        assertEquals(0, trainingPasses.getOrDefault("conv_bn_relu_3x3", 0), trainingPasses.toString());
        assertEquals(8, trainingPasses.get("avg_pool_3x3"), trainingPasses.toString());
        assertEquals(8, trainingPasses.getOrDefault("nor_conv_3x3", 0) + trainingPasses.getOrDefault("skip_connect",
                0), trainingPasses.toString());
        assertTrue(Files.exists(rounds.checkpoint(2)));
    }

    @Test
    void aPreparedRoundRestoresItsCheckpointWithoutTraining(@TempDir Path dir) throws Exception {
        ComposedSpace space = space();
        SearchSpace restricted = SpaceRestriction.none().remove("a", "skip_connect").applyTo(space);
        String trained = rounds(space, dir).prepare(SpaceRestriction.none().applyTo(space), 1).description();
        String round2 = rounds(space, dir).prepare(restricted, 2).description();

        trainingPasses.clear();
        SupernetRounds again = rounds(space, dir);
        assertEquals(trained, again.prepare(SpaceRestriction.none().applyTo(space), 1).description());
        assertEquals(round2, again.prepare(restricted, 2).description());
        assertEquals(Map.of(), trainingPasses, "a round with a checkpoint trains nothing");

        // round 2 trained again from round 1's checkpoint, in another directory, reaches the same weights
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.copy(again.checkpoint(1), other.resolve("round-1.ckpt"));
        assertEquals(round2, rounds(space, other).prepare(restricted, 2).description());
        assertTrue(trainingPasses.getOrDefault("nor_conv_3x3", 0) > 0, trainingPasses.toString());
    }

    @Test
    void refusesARoundWithoutTheRoundBeforeOrOnAnotherRestriction(@TempDir Path dir) throws Exception {
        ComposedSpace space = space();
        SupernetRounds rounds = rounds(space, dir);
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> rounds.prepare(SpaceRestriction.none().applyTo(space), 2));
        assertTrue(missing.getMessage().contains("round-1.ckpt"), missing.getMessage());

        rounds.prepare(SpaceRestriction.none().applyTo(space), 1);
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> rounds.prepare(SpaceRestriction.none().remove("a", "skip_connect").applyTo(space), 1));
        assertTrue(other.getMessage().contains("remove a=[skip_connect]"), other.getMessage());
    }

    @Test
    void refusesTheArchitecturesOfAnotherSpace() {
        ComposedSupernet supernet = ComposedSupernet.compile(space(), PathPolicies.singlePath(1),
                ModuleCatalogue.standard(), DataType.FLOAT, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RestrictedSinglePath(supernet, SpaceRestriction.none().applyTo(space("another")), 1));
        assertTrue(e.getMessage().startsWith("space must be the supernet's space"), e.getMessage());
    }
}
