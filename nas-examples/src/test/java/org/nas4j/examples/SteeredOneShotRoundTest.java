package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.SpaceRestriction;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.estimators.oneshot.SupernetEstimator;
import org.nas4j.estimators.oneshot.SupernetRounds;
import org.nas4j.report.RoundRunner;
import org.nas4j.report.SteeringSession;
import org.nas4j.strategies.Strategies;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A steered one-shot search: rounds of random search scored on one weight-sharing supernet
 * ({@code Estimators.supernet}); the restricted space's candidates are the supernet space's own architectures, so the
 * supernet estimator scores them, and after a restriction no candidate holds a removed op. With
 * {@link SupernetRounds} the supernet is also trained again in each round on the restricted paths, carried through
 * checkpoints in the session's directory, so that a replay reproduces every round.
 */
class SteeredOneShotRoundTest {

    private static ComposedSpace space() {
        return SpaceBuilder.create("steered").input(1, 8, 8).classes(3).value("w", 4, 6)
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

    @Test
    void aRestrictedRoundIsScoredOnTheSupernetWithoutTheRemovedOp(@TempDir Path dir) throws Exception {
        ComposedSpace space = space();
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.singlePath(1),
                ModuleCatalogue.standard(), DataType.FLOAT, 1);
        SupernetEstimator onSupernet = Estimators.supernet(supernet, images(64, 1), images(40, 2))
                .recalibrationBatches(2).batchSize(16).validationSamples(40).build();
        RoundRunner rounds = (restricted, journal, round) -> SearchRunner.builder(restricted, Strategies.randomSearch())
                .estimator(onSupernet).objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
                .budget(Budget.trials(6)).parallelism(1).seed(Seeds.derive(5, "round", round)).journal(journal)
                .build().run();
        SteeringSession session = new SteeringSession(dir, space);
        List<Trial> first = session.run(1, rounds).trials();
        assertTrue(first.stream().allMatch(t -> t.state() == TrialState.COMPLETE), first.toString());

        session.restrict(SpaceRestriction.none().remove("a", "max_pool_3x3").pin("b", "avg_pool_3x3"), "ana");
        List<Trial> second = session.run(2, rounds).trials();
        // 2 widths x 2 ops left on a x 1 pinned op on b: random search exhausts the 4 and stops
        assertEquals(4, session.restriction(2).applyTo(space).vectorCount());
        assertEquals(4, second.stream().map(t -> t.architecture().key()).distinct().count(), second.toString());
        for (Trial t : second) {
            assertEquals(TrialState.COMPLETE, t.state(), t.reason());
            assertNotEquals("max_pool_3x3", t.architecture().option("a"), t.architecture().toString());
            assertEquals("avg_pool_3x3", t.architecture().option("b"), t.architecture().toString());
        }
    }

    private static RoundRunner supernetRounds(ComposedSpace space, Path dir) {
        SupernetRounds supernet = SupernetRounds.builder(space, images(64, 1), images(40, 2), dir.resolve("supernet"))
                .epochsPerRound(1).batchSize(16).recalibrationBatches(2).seed(9).build();
        return (restricted, journal, round) -> SearchRunner.builder(restricted, Strategies.randomSearch())
                .estimator(supernet.prepare(restricted, round))
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)).budget(Budget.trials(5)).parallelism(1)
                .seed(Seeds.derive(5, "round", round)).journal(journal).build().run();
    }

    private static List<String> outcomes(List<Trial> trials) {
        return trials.stream().map(t -> t.architecture().key() + " " + t.state() + " "
                + t.value(Metric.VALIDATION_ACCURACY) + " " + t.value(Metric.VALIDATION_LOSS)).toList();
    }

    @Test
    void roundsRetrainTheSupernetOnTheRestrictionAndReplayToTheSameTrials(@TempDir Path dir) throws Exception {
        ComposedSpace space = space();
        SteeringSession session = new SteeringSession(dir.resolve("a"), space);
        List<Trial> first = session.run(1, supernetRounds(space, session.directory())).trials();
        session.restrict(SpaceRestriction.none().remove("a", "max_pool_3x3"), "ana");
        List<Trial> second = session.run(2, supernetRounds(space, session.directory())).trials();
        assertEquals(5, second.size(), second.toString());
        for (Trial t : second) {
            assertEquals(TrialState.COMPLETE, t.state(), t.reason());
            assertNotEquals("max_pool_3x3", t.architecture().option("a"), t.architecture().toString());
        }
        assertTrue(Files.exists(session.directory().resolve("supernet/round-2.ckpt")));

        // the same directory replayed: checkpoints restored, journals reloaded
        List<List<Trial>> replayed = session.replay(supernetRounds(space, session.directory())).stream()
                .map(r -> r.trials()).toList();
        assertEquals(outcomes(first), outcomes(replayed.get(0)));
        assertEquals(outcomes(second), outcomes(replayed.get(1)));

        // the restrictions alone, in an empty directory: both rounds trained and searched again to the same trials
        SteeringSession copy = new SteeringSession(dir.resolve("b"), space);
        Files.createDirectories(copy.directory());
        Files.copy(session.directory().resolve(SteeringSession.RESTRICTIONS),
                copy.directory().resolve(SteeringSession.RESTRICTIONS));
        RoundRunner fresh = supernetRounds(space, copy.directory());
        assertEquals(outcomes(first), outcomes(copy.run(1, fresh).trials()));
        assertEquals(outcomes(second), outcomes(copy.run(2, fresh).trials()));
    }
}
