package org.nas4j.strategies.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.RestrictedSpace;
import org.nas4j.core.space.SpaceRestriction;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.data.BrightnessImages;
import org.nas4j.spaces.darts.DartsDefinition;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nas4j.strategies.Strategies;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DARTS (first order), GDAS and ProxylessNAS on a restricted NAS-Bench-201 space (4 channels, one cell per stage,
 * the bundled Fashion-MNIST subset): every epoch's derived architecture, as journaled, holds no removed op and the
 * pinned op, and the journaled architecture weights of the removed ops are exactly 0 and of the pinned op 1.
 */
class RestrictedGradientOneShotTest {

    static final ComposedSpace NB201 = NasBench201Definition.of(NasBench201Space.builder().channels(4)
            .cellsPerStage(1).inputChannels(1).imageSize(28).build());
    static final ImageDataset FASHION = FashionMnist.bundled().normalized().train().head(160);
    static final RestrictedSpace RESTRICTED = MaskedSupernetTest.restricted(NB201);

    private static SearchResult run(GradientOneShot strategy, Path journal) {
        return run(strategy, journal, Budget.trials(100));
    }

    private static SearchResult run(GradientOneShot strategy, Path journal, Budget budget) {
        return SearchRunner.builder(RESTRICTED, strategy).objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
                .budget(budget).seed(5).journal(journal).build().run();
    }

    private static void assertEveryEpochHonoursTheRestriction(SearchResult r, int epochs) {
        assertEquals(epochs, r.trials().size());
        for (Trial t : r.trials()) {
            assertEquals(TrialState.COMPLETE, t.state(), t.reason());
            assertTrue(MaskedSupernetTest.honours(t.architecture()), t.architecture().toString());
            assertTrue(RESTRICTED.isValid(t.architecture()));
            for (int e = 0; e < 6; e++) {
                assertEquals(0.0, t.value(Metric.named("arch_weight.e" + e + "." + MaskedSupernetTest.REMOVED)),
                        "journaled weight of the removed op on edge " + e);
            }
            assertEquals(1.0, t.value(Metric.named("arch_weight.e0." + MaskedSupernetTest.PINNED)));
        }
        assertTrue(MaskedSupernetTest.honours(r.best().architecture()));
    }

    @Test
    void dartsDerivesOnlyAllowedArchitecturesEveryEpoch(@TempDir Path dir) {
        SearchResult r = run(Strategies.darts(FASHION).epochs(2).stepsPerEpoch(2).batchSize(16)
                .validationSamples(32), dir);
        assertEveryEpochHonoursTheRestriction(r, 2);
    }

    @Test
    void gdasDerivesOnlyAllowedArchitecturesEveryEpoch(@TempDir Path dir) {
        SearchResult r = run(Strategies.gdas(FASHION).epochs(2).stepsPerEpoch(2).batchSize(16)
                .validationSamples(32), dir);
        assertEveryEpochHonoursTheRestriction(r, 2);
    }

    @Test
    void proxylessDerivesOnlyAllowedArchitecturesEveryEpoch(@TempDir Path dir) {
        SearchResult r = run(Strategies.proxylessNas(FASHION).epochs(2).stepsPerEpoch(5).batchSize(16)
                .validationSamples(32), dir);
        assertEveryEpochHonoursTheRestriction(r, 2);
    }

    @Test
    void aRestrictedGdasSearchStoppedAfterOneEpochResumesAsAnUninterruptedOne(@TempDir Path dir) {
        GradientOneShot gdas = Strategies.gdas(FASHION).epochs(3).stepsPerEpoch(2).batchSize(16)
                .validationSamples(32);
        SearchResult whole = run(gdas, dir.resolve("whole"));
        assertEquals(1, run(gdas, dir.resolve("cut"), Budget.trials(1)).trials().size());
        SearchResult resumed = run(gdas, dir.resolve("cut"));
        assertEveryEpochHonoursTheRestriction(resumed, 3);
        for (int i = 0; i < 3; i++) {
            Trial a = whole.trials().get(i);
            Trial b = resumed.trials().get(i);
            assertEquals(a.architecture(), b.architecture(), "epoch " + i);
            assertEquals(a.value(Metric.VALIDATION_ACCURACY), b.value(Metric.VALIDATION_ACCURACY), "epoch " + i);
            assertEquals(a.value(GradientOneShot.SUPERNET_TRAIN_LOSS), b.value(GradientOneShot.SUPERNET_TRAIN_LOSS),
                    "epoch " + i);
        }
    }

    @Test
    void theDartsSearchNetworkWhoseNodesAreRelaxedIsRefusedOnARestrictedSpaceNamingTheSpace() {
        DartsSpace cells = DartsSpace.darts();
        ComposedSpace darts = SpaceBuilder.create("darts-search").input(1, 8, 8).classes(10)
                .layer("stem", "conv_bn_3x3", Width.of(12))
                .cell(DartsDefinition.cell(cells, false), Width.of(4))
                .cell(DartsDefinition.cell(cells, true), Width.of(8))
                .head("pool_linear").build();
        SpaceRestriction restriction = SpaceRestriction.none();
        for (Choice c : darts.choices()) {
            if (c.options().contains("sep_conv_3x3")) {
                restriction = restriction.remove(c.name(), "sep_conv_3x3", "skip_connect");
            }
        }
        RestrictedSpace restricted = restriction.applyTo(darts);
        GradientOneShot s = Strategies.darts(BrightnessImages.tenClasses(96, 1, 8)).epochs(2).stepsPerEpoch(2)
                .batchSize(8).supernet("darts-search", (space, policy, seed) -> ComposedSupernet.compile(
                        (ComposedSpace) space, policy, ModuleCatalogue.dartsSearch(), DataType.FLOAT, seed));
        // its state edges mix the ops of both op choices of a node: a removed op has no candidate of its own there
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchRunner.builder(
                restricted, s).objective(Objective.maximize(Metric.VALIDATION_ACCURACY)).seed(3).build().run());
        assertTrue(e.getMessage().contains("'darts-search'") && e.getMessage().contains("relaxed as DARTS"),
                e.getMessage());
    }

    @Test
    void aSupernetOfAnotherSpaceIsRefusedOnARestrictedSpaceNamingItsCompiler(@TempDir Path dir) {
        ComposedSpace other = NasBench201Definition.of(NasBench201Space.builder().channels(4).cellsPerStage(1)
                .inputChannels(1).imageSize(8).build());
        GradientOneShot own = Strategies.darts(FASHION).epochs(1).stepsPerEpoch(1).supernet("mine",
                (space, policy, seed) -> ComposedSupernet.compile(other, policy, ModuleCatalogue.standard(),
                        DataType.FLOAT, seed));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(own, dir));
        assertTrue(e.getMessage().contains("'mine'") && e.getMessage().contains(RESTRICTED.identity()),
                e.getMessage());
    }
}
