package org.nas4j.strategies.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.BrightnessImages;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.oneshot.LatencyLoss;
import org.nas4j.estimators.oneshot.SupernetTrainer;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.spaces.darts.DartsDefinition;
import org.nd4j.linalg.api.buffer.DataType;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nas4j.strategies.Strategies;

class GradientOneShotTest {

    /** NAS-Bench-201's cell in a tiny network: 4 channels, one cell per stage, 1x8x8 inputs. */
    static final ComposedSpace NB201 = NasBench201Definition.of(NasBench201Space.builder().channels(4)
            .cellsPerStage(1).inputChannels(1).imageSize(8).build());
    static final ImageDataset DATA = images(96, 1);

    /** Tiny 1x8x8 images whose mean brightness encodes the class. */
    static ImageDataset images(int n, long seed) {
        return BrightnessImages.tenClasses(n, seed, 8);
    }

    private static SearchResult run(GradientOneShot strategy, Path journal, Budget budget) {
        SearchRunner.Builder b = SearchRunner.builder(NB201, strategy)
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)).budget(budget).seed(5);
        if (journal != null) {
            b.journal(journal);
        }
        return b.build().run();
    }

    @Test
    void dartsProposesTheDerivedArchitectureOfEveryEpochWithTheSupernetsMeasurements() {
        SearchResult r = run(Strategies.darts(DATA).epochs(3).stepsPerEpoch(3).batchSize(8), null,
                Budget.trials(100));
        assertEquals(3, r.trials().size());
        for (int i = 0; i < 3; i++) {
            Trial t = r.trials().get(i);
            assertEquals(TrialState.COMPLETE, t.state(), t.reason());
            assertTrue(NB201.isValid(t.architecture()));
            assertEquals(i + 1, t.metrics().get(Metric.EPOCHS));
            double acc = t.metrics().get(Metric.VALIDATION_ACCURACY);
            assertTrue(acc >= 0 && acc <= 100, "accuracy " + acc);
            assertTrue(t.metrics().get(GradientOneShot.EPOCH_SECONDS) > 0);
            assertEquals(GradientOneShot.parameterFreeOps(t.architecture()),
                    t.metrics().get(GradientOneShot.PARAM_FREE_OPS));
            assertEquals((double) NB201.parameters(t.architecture()), t.metrics().get(Metric.PARAMETERS));
            // the architecture weights of the epoch: a probability per candidate of each of the six edges
            for (int e = 0; e < 6; e++) {
                double sum = 0;
                for (String op : NasBench201Space.OPS) {
                    sum += t.value(Metric.named("arch_weight.e" + e + "." + op));
                }
                assertEquals(1.0, sum, 1e-9, "softmax of edge " + e);
            }
        }
    }

    @Test
    void dartsRunsOnTheDartsSearchNetworkAndDerivesByTheReferencesRule() {
        ComposedSpace darts = dartsSearch();
        GradientOneShot s = Strategies.darts(DATA).epochs(2).stepsPerEpoch(2).batchSize(8).supernet("darts-c4-l3",
                (space, policy, seed) -> ComposedSupernet.compile((ComposedSpace) space, policy,
                        ModuleCatalogue.dartsSearch(), DataType.FLOAT, seed));
        SearchResult r = SearchRunner.builder(darts, s).objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
                .seed(3).build().run();
        assertEquals(2, r.trials().size());
        Trial last = r.trials().get(1);
        assertEquals(TrialState.COMPLETE, last.state(), last.reason());
        assertTrue(darts.isValid(last.architecture()), darts.format(last.architecture()));
        assertTrue(last.metrics().get(GradientOneShot.PARAM_FREE_OPS) >= 0);
        assertTrue(s.configuration().contains("darts-c4-l3"), s.configuration());
        // the architecture weights of the 2 x 14 edges of none and the 7 DARTS ops, named by op
        assertTrue(last.metrics().containsKey(Metric.named("arch_weight.e27.dil_conv_5x5")), last.metrics().toString());
    }

    /** The DARTS search network (C = 4, 3 cells) of DARTS' cells on the test's 1 x 8 x 8 images of 10 classes. */
    private static ComposedSpace dartsSearch() {
        DartsSpace space = DartsSpace.darts();
        return SpaceBuilder.create("darts-search").input(1, 8, 8).classes(10)
                .layer("stem", "conv_bn_3x3", Width.of(12))
                .cell(DartsDefinition.cell(space, false), Width.of(4))
                .cell(DartsDefinition.cell(space, true), Width.of(8))
                .cell(DartsDefinition.cell(space, true), Width.of(16))
                .head("pool_linear").build();
    }

    @Test
    void secondOrderDartsIsItsOwnStrategyAndChangesTheSearch() {
        GradientOneShot darts2 = Strategies.darts(DATA).secondOrder().epochs(2).stepsPerEpoch(3).batchSize(8);
        assertEquals("darts2", darts2.name());
        SearchResult second = run(darts2, null, Budget.trials(100));
        SearchResult first = run(Strategies.darts(DATA).epochs(2).stepsPerEpoch(3).batchSize(8), null,
                Budget.trials(100));
        assertEquals(2, second.trials().size());
        assertTrue(second.trials().stream().allMatch(t -> t.state() == TrialState.COMPLETE));
        assertTrue(!second.trials().get(1).metrics().get(Metric.VALIDATION_LOSS)
                .equals(first.trials().get(1).metrics().get(Metric.VALIDATION_LOSS)), "the gradient differs");
        assertThrows(IllegalArgumentException.class, () -> Strategies.gdas(DATA).secondOrder());
    }

    @Test
    void warmUpEpochsLeaveTheArchitectureWeightsAsTheyWere() {
        SearchResult r = run(Strategies.proxylessNas(DATA).epochs(2).warmupEpochs(2).stepsPerEpoch(5).batchSize(8),
                null, Budget.trials(100));
        assertEquals(r.trials().get(0).architecture(), r.trials().get(1).architecture());
        assertEquals("warmupEpochs must be >= 0, but was -1", assertThrows(IllegalArgumentException.class,
                () -> Strategies.proxylessNas(DATA).warmupEpochs(-1)).getMessage());
    }

    @Test
    void eachMethodTrainsItsWeightsWithItsReferencesOptimizer() {
        SearchContext context = new SearchContext(NB201, Objective.maximize(Metric.VALIDATION_ACCURACY), 3);
        // DARTS' train_search.py: plain momentum, weight decay 3e-4; GDAS' configurations: Nesterov, 5e-4
        SupernetTrainer.Settings darts = trainerOf(Strategies.darts(DATA), context);
        assertFalse(darts.nesterov());
        assertEquals(3e-4, darts.weightDecay());
        SupernetTrainer.Settings gdas = trainerOf(Strategies.gdas(DATA), context);
        assertTrue(gdas.nesterov());
        assertEquals(5e-4, gdas.weightDecay());
        assertEquals(0.025, gdas.weightLearningRate());
        assertEquals(0.001, gdas.weightMinLearningRate());
        assertEquals(0.9, gdas.momentum());
        assertTrue(gdas.weightsFirst());
        assertTrue(gdas.toString().contains("momentum=0.9 nesterov, weightDecay=5.0E-4"), gdas.toString());
        // ProxylessNAS' imagenet_arch_search.py: Nesterov, 4e-5, cosine to 0
        SupernetTrainer.Settings proxyless = trainerOf(Strategies.proxylessNas(DATA), context);
        assertTrue(proxyless.nesterov());
        assertEquals(4e-5, proxyless.weightDecay());
        assertEquals(0, proxyless.weightMinLearningRate());
        assertEquals(5, proxyless.architectureEvery());
        // ENAS' utils.get_train_ops: tf.train.MomentumOptimizer(use_nesterov=True)
        SupernetTrainer.Settings enas = ((Enas.Search) Strategies.enas(DATA).batchSize(8).create(context))
                .trainerSettings();
        assertTrue(enas.nesterov());
        assertEquals(1e-4, enas.weightDecay());
    }

    /** The settings of the trainer that a search of {@code strategy} (batches of 8) builds. */
    private static SupernetTrainer.Settings trainerOf(GradientOneShot strategy, SearchContext context) {
        return ((GradientOneShot.Search) strategy.batchSize(8).create(context)).trainerSettings();
    }

    @Test
    void gdasAndProxylessRunOnTheSameSupernet() {
        for (GradientOneShot s : List.of(Strategies.gdas(DATA), Strategies.proxylessNas(DATA))) {
            SearchResult r = run(s.epochs(2).stepsPerEpoch(5).batchSize(8), null, Budget.trials(100));
            assertEquals(2, r.trials().size(), s.name());
            assertTrue(r.trials().stream().allMatch(t -> t.state() == TrialState.COMPLETE), s.name());
        }
    }

    @Test
    void aSearchStoppedAfterTwoEpochsResumesFromItsCheckpointAndEndsAsAnUninterruptedOne(@TempDir Path dir)
            throws Exception {
        GradientOneShot gdas = Strategies.gdas(DATA).epochs(4).stepsPerEpoch(3).batchSize(8);
        SearchResult whole = run(gdas, dir.resolve("whole"), Budget.trials(100));
        SearchResult first = run(gdas, dir.resolve("cut"), Budget.trials(2));
        assertEquals(2, first.trials().size());
        assertTrue(Files.exists(dir.resolve("cut").resolve(GradientOneShot.CHECKPOINT)));
        SearchResult resumed = run(gdas, dir.resolve("cut"), Budget.trials(100));
        assertEquals(whole.trials().size(), resumed.trials().size());
        for (int i = 0; i < whole.trials().size(); i++) {
            assertEquals(whole.trials().get(i).architecture(), resumed.trials().get(i).architecture(), "epoch " + i);
            assertEquals(withoutTimes(whole.trials().get(i)), withoutTimes(resumed.trials().get(i)), "epoch " + i);
        }
    }

    @Test
    void proxylessWithAMeasuredLatencyTableReportsLatencyAndResumesWithTheSameTable(@TempDir Path dir) {
        // the additive form: any measured latency is valid for it (mul#log needs E and the target on one side of 1 ms)
        GradientOneShot proxyless = Strategies.proxylessNas(DATA).epochs(3).stepsPerEpoch(5).batchSize(8)
                .latency(null, 0.5, LatencyLoss.Form.ADD_LINEAR);
        SearchResult whole = run(proxyless, dir.resolve("whole"), Budget.trials(100));
        assertTrue(Files.exists(dir.resolve("whole").resolve(GradientOneShot.LATENCY_TABLE)));
        assertTrue(whole.trials().stream().allMatch(t -> t.metrics().get(Metric.LATENCY_MS) > 0));
        SearchResult first = run(proxyless, dir.resolve("cut"), Budget.trials(1));
        assertEquals(1, first.trials().size());
        // the resumed search must use the table measured by the first run, not a new measurement
        SearchResult resumed = run(proxyless, dir.resolve("cut"), Budget.trials(100));
        assertEquals(3, resumed.trials().size());
        assertEquals(first.trials().get(0).metrics().get(Metric.LATENCY_MS),
                resumed.trials().get(0).metrics().get(Metric.LATENCY_MS));
        assertTrue(proxyless.configuration().contains("latencyTargetMs"), proxyless.configuration());
    }

    private static Map<Metric, Double> withoutTimes(Trial t) {
        Map<Metric, Double> m = new HashMap<>(t.metrics());
        m.remove(GradientOneShot.EPOCH_SECONDS);
        return m;
    }

    @Test
    void aStopRequestEndsTrainingBetweenTwoStepsAndTheSearch() {
        int[] asked = {0};
        Strategy s = Strategies.darts(DATA).epochs(2).stepsPerEpoch(50).batchSize(8).create(new SearchContext(NB201,
                Objective.maximize(Metric.VALIDATION_ACCURACY), 1, Optional.empty(), () -> ++asked[0] > 5));
        assertEquals(Ask.Kind.DONE, s.ask().kind());
        assertEquals(6, asked[0], "checked before every step, stopped at the sixth");
        assertEquals(Ask.Kind.DONE, s.ask().kind());
    }

    @Test
    void aSpentWallClockBudgetEndsTheSearch() {
        SearchResult r = run(Strategies.darts(DATA).epochs(1000).stepsPerEpoch(1000).batchSize(8), null,
                Budget.wallClock(Duration.ofSeconds(2)));
        assertTrue(r.trials().isEmpty());
    }

    @Test
    void otherSpacesAndBadSettingsGetNamedErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SearchRunner.builder(NasBench201Space.standard(), Strategies.darts(DATA))
                        .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)).build().run());
        assertTrue(e.getMessage().contains("builder space"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.darts(DATA).epochs(0));
        assertEquals("epochs must be positive, but was 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.gdas(DATA).temperature(0.1, 1));
        assertFalse(e.getMessage().isEmpty());
    }
}
