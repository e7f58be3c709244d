package org.nas4j.estimators.oneshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.BrightnessImages;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.supernet.PathDropoutPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.network.ComposedSpaces;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nd4j.linalg.api.buffer.DataType;

class SupernetTrainerTest {

    static final ComposedSpace SPACE = ComposedSpaces.cells();
    static final ImageDataset DATA = images(64, 1);

    /** 1x16x16 images whose mean brightness encodes the class. */
    static ImageDataset images(int n, long seed) {
        return BrightnessImages.tenClasses(n, seed, 16);
    }

    private static SupernetTrainer.Builder trainer(PathPolicy.Factory policy) {
        ComposedSupernet net = ComposedSupernet.compile(SPACE, policy, ModuleCatalogue.standard(), DataType.FLOAT, 3);
        return SupernetTrainer.builder(net, DATA).epochs(3).stepsPerEpoch(2).batchSize(8).seed(4);
    }

    @Test
    void aTrainerRestoredFromAnEpochsCheckpointContinuesExactlyAsTheSavedOne(@TempDir Path dir) throws Exception {
        SupernetTrainer whole = trainer(PathPolicies.gdas(9, pass -> 5.0)).build();
        List<SupernetTrainer.EpochReport> reports = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            reports.add(whole.trainEpoch(() -> false).orElseThrow());
        }
        SupernetTrainer first = trainer(PathPolicies.gdas(9, pass -> 5.0)).build();
        first.trainEpoch(() -> false).orElseThrow();
        first.save(dir.resolve("c.bin"), "history");
        SupernetTrainer resumed = trainer(PathPolicies.gdas(9, pass -> 5.0)).build();
        assertEquals("history", resumed.restore(dir.resolve("c.bin")));
        assertEquals(1, resumed.epochsDone());
        for (int e = 1; e < 3; e++) {
            SupernetTrainer.EpochReport r = resumed.trainEpoch(() -> false).orElseThrow();
            assertEquals(reports.get(e).trainLoss(), r.trainLoss(), "epoch " + e);
            assertEquals(reports.get(e).validationAccuracy(), r.validationAccuracy(), "epoch " + e);
            assertEquals(reports.get(e).derived(), r.derived(), "epoch " + e);
            for (int k = 0; k < r.architectureWeights().length; k++) {
                assertArrayEquals(reports.get(e).architectureWeights()[k], r.architectureWeights()[k]);
            }
        }
        assertArrayEquals(whole.supernet().weights().values().toFloatVector(),
                resumed.supernet().weights().values().toFloatVector());
    }

    @Test
    void architectureWeightsMoveOnlyAfterTheWarmUp() {
        SupernetTrainer t = trainer(PathPolicies.mixed()).warmupEpochs(1).build();
        double[][] initial = t.architectureWeights();
        t.trainEpoch(() -> false).orElseThrow();
        for (int e = 0; e < initial.length; e++) {
            assertArrayEquals(initial[e], t.architectureWeights()[e], "warm-up epoch: no architecture step");
        }
        t.trainEpoch(() -> false).orElseThrow();
        boolean moved = false;
        for (int e = 0; e < initial.length; e++) {
            for (int k = 0; k < initial[e].length; k++) {
                moved |= initial[e][k] != t.architectureWeights()[e][k];
            }
        }
        assertTrue(moved);
    }

    @Test
    void aSinglePathSupernetTrainsOnAllTheDataWithoutArchitectureSteps() {
        SupernetTrainer t = trainer(PathPolicies.singlePath(2)).architectureFraction(0).stepsPerEpoch(0).build();
        assertEquals(DATA.size() / 8, t.stepsPerEpoch());
        SupernetTrainer.EpochReport r = t.trainEpoch(() -> false).orElseThrow();
        assertTrue(r.derived().isEmpty());
        assertTrue(Double.isNaN(r.validationAccuracy()));
        assertTrue(Double.isFinite(r.trainLoss()));
    }

    @Test
    void bendersPathDropoutRisesLinearlyAndDropsEachOfKOpsWithTheKthRootOfTheRate() {
        ComposedSupernet net = ComposedSupernet.compile(SPACE, PathPolicies.scheduledPathDropout(5),
                ModuleCatalogue.standard(), DataType.FLOAT, 3);
        PathDropoutPolicy policy = (PathDropoutPolicy) net.policy();
        List<Double> seen = new ArrayList<>();
        SupernetTrainer t = SupernetTrainer.builder(net, DATA).epochs(3).stepsPerEpoch(1).batchSize(8).architectureFraction(0)
                .linearPathDropout(0.5).onEpochStart(e -> seen.add(policy.rate())).build();
        for (int e = 0; e < 3; e++) {
            t.trainEpoch(() -> false).orElseThrow();
        }
        assertEquals(List.of(0.0, 0.25, 0.5), seen);
        // each of 4 ops is kept with probability 1 - 0.5^(1/4) per pass (one drawn if all were dropped)
        PathDropoutPolicy four = new PathDropoutPolicy(new int[] {4}, 0.5, 11).perEdgeRoot(true);
        int passes = 20_000;
        int kept = 0;
        for (int i = 0; i < passes; i++) {
            four.beginPass(org.nas4j.estimators.engine.Mode.TRAINING);
            kept += four.path(0).ops().length;
        }
        double q = 1 - Math.pow(0.5, 0.25);
        double expected = 4 * q + Math.pow(1 - q, 4);   // the fallback keeps one when all four were dropped
        double sigma = Math.sqrt(4 * q * (1 - q) / passes) + 1.0 / passes;
        assertEquals(expected, (double) kept / passes, 6 * sigma);
    }

    @Test
    void nesterovMomentumChangesTheWeightStepsAndTheTrainersDescription(@TempDir Path dir) throws Exception {
        SupernetTrainer plain = trainer(PathPolicies.singlePath(2)).architectureFraction(0).build();
        SupernetTrainer nesterov = trainer(PathPolicies.singlePath(2)).architectureFraction(0).nesterov(true).build();
        assertTrue(nesterov.settings().nesterov());
        assertTrue(nesterov.settings().toString().contains("momentum=0.9 nesterov, "), nesterov.settings().toString());
        assertTrue(plain.settings().toString().contains("momentum=0.9, "), plain.settings().toString());
        plain.trainEpoch(() -> false).orElseThrow();
        nesterov.trainEpoch(() -> false).orElseThrow();
        // the same draws and batches; the first step already differs (Nesterov steps by g + 0.9 g)
        assertNotEquals(plain.supernet().weights().values(), nesterov.supernet().weights().values());
        plain.save(dir.resolve("plain.bin"), "");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> nesterov.restore(dir.resolve("plain.bin")))
                .getMessage().contains("was written by a different trainer"));
        assertEquals("nesterov needs momentum > 0, but momentum was 0", assertThrows(IllegalArgumentException.class,
                () -> trainer(PathPolicies.singlePath(2)).weightOptimizer(0.025, 0.001, 0, 3e-4).nesterov(true)
                        .build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> trainer(PathPolicies.mixed()).secondOrder()
                .nesterov(true).build()).getMessage().endsWith("but nesterov was true"));
    }

    @Test
    void badSettingsGetNamedErrors(@TempDir Path dir) throws Exception {
        assertEquals("epochs must be positive, but was 0", assertThrows(IllegalArgumentException.class,
                () -> trainer(PathPolicies.mixed()).epochs(0)).getMessage());
        assertEquals("architectureFraction must be in [0, 1), but was 1.0", assertThrows(
                IllegalArgumentException.class, () -> trainer(PathPolicies.mixed()).architectureFraction(1))
                .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> trainer(PathPolicies.mixed())
                .architectureFraction(0).build()).getMessage().startsWith("architectureFraction must be > 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> trainer(PathPolicies.mixed()).batchSize(500)
                .build()).getMessage().startsWith("batchSize must be at most the 32 samples"));
        SupernetTrainer t = trainer(PathPolicies.mixed()).build();
        t.save(dir.resolve("c.bin"), "");
        SupernetTrainer other = trainer(PathPolicies.mixed()).batchSize(4).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> other.restore(dir.resolve("c.bin")))
                .getMessage().contains("was written by a different trainer"));
    }

    @Test
    void drawnPathPoliciesValidateWithTheBatchsStatisticsAndDartsWithTheRunningOnes() {
        // two identical trainers; after the first epoch one has its running statistics corrupted, which training
        // never reads: the second epoch's validation shows whether the validation read them
        for (boolean drawn : new boolean[] {true, false}) {
            PathPolicy.Factory policy = drawn ? PathPolicies.gdas(9, pass -> 5.0) : PathPolicies.mixed();
            SupernetTrainer clean = trainer(policy).epochs(2).build();
            SupernetTrainer corrupted = trainer(drawn ? PathPolicies.gdas(9, pass -> 5.0) : PathPolicies.mixed())
                    .epochs(2).build();
            clean.trainEpoch(() -> false).orElseThrow();
            corrupted.trainEpoch(() -> false).orElseThrow();
            ((ComposedSupernet) corrupted.supernet()).states().values().forEach(v -> java.util.Arrays.fill(v, 1e3));
            SupernetTrainer.EpochReport a = clean.trainEpoch(() -> false).orElseThrow();
            SupernetTrainer.EpochReport b = corrupted.trainEpoch(() -> false).orElseThrow();
            assertEquals(a.trainLoss(), b.trainLoss(), "training never reads the running statistics");
            if (drawn) {
                assertEquals(a.validationLoss(), b.validationLoss(), "GDAS validates with the batch's statistics");
            } else {
                assertTrue(Math.abs(a.validationLoss() - b.validationLoss()) > 1e-3,
                        "DARTS validates with the running statistics: " + a.validationLoss() + " and "
                                + b.validationLoss());
            }
            for (var r : ((ComposedSupernet) clean.supernet()).runningStatistics()) {
                assertEquals(false, r.batchStatisticsInInference(), "switched back after the validation");
            }
        }
    }
}
