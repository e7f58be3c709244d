package org.nas4j.strategies.oneshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.RestrictedSpace;
import org.nas4j.core.space.SpaceRestriction;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.WeightSharing;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nas4j.strategies.Strategies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ENAS on a supernet with conditional weights ({@link WeightSharing#CONDITIONAL}): its weight steps train only the
 * copies its sampled paths select, the copies train shared until the split epoch, and a search cut after the split
 * resumes as an uninterrupted one.
 *
 * <p>The rule, written out independently of the compiler (as in the estimators' {@code ConditionalWeightsTest}): in
 * NAS-Bench-201's network the edge before edge {@code j > 0} of a cell is edge {@code j - 1}, and the edge before
 * edge 0 is edge 5 of the cell before; a copy is named {@code ...edge<j>~<op>|after<k>=<op k>...}.
 */
class ConditionalEnasTest {

    private static final Pattern COPY = Pattern.compile("\\.edge(\\d)~([a-z0-9_]+)\\|after(\\d)=([a-z0-9_]+)\\.");
    private static final Pattern OP = Pattern.compile("\\.edge(\\d)~([a-z0-9_]+)[.|]");

    /** conv3x3, skip, conv3x3, conv1x1, conv3x3, conv1x1: every conv follows another op than the one before it. */
    private static final int[] PATH = {3, 1, 3, 2, 3, 2};

    private static Enas small() {
        return Strategies.enas(GradientOneShotTest.images(200, 3)).epochs(3).stepsPerEpoch(2).controllerSteps(4)
                .batchSize(8).weightSharing(WeightSharing.CONDITIONAL).conditionalSplitEpoch(1);
    }

    private static SearchResult run(Enas enas, Path journal, Budget budget) {
        return SearchRunner.builder(GradientOneShotTest.NB201, enas)
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)).budget(budget).seed(8).journal(journal)
                .build().run();
    }

    /** Every choice of the small NAS-Bench-201 space pinned to {@link #PATH}: the controller samples only it. */
    private static RestrictedSpace pinned() {
        SpaceRestriction r = SpaceRestriction.none();
        for (int i = 0; i < PATH.length; i++) {
            r = r.pin(GradientOneShotTest.NB201.choices().get(i).name(), NasBench201Space.OPS.get(PATH[i]));
        }
        return r.applyTo(GradientOneShotTest.NB201);
    }

    /** ENAS' first epoch (two weight steps on {@link #PATH}): by parameter name, whether it changed the value. */
    private static Map<String, Boolean> firstEpoch(Enas enas) {
        Enas.Search search = (Enas.Search) enas.create(new SearchContext(pinned(),
                Objective.maximize(Metric.VALIDATION_ACCURACY), 4));
        ComposedSupernet net = search.supernet();
        Map<String, INDArray> before = new LinkedHashMap<>();
        for (Parameter p : net.weights().parameters()) {
            before.put(p.name(), p.value().dup());
        }
        search.ask();    // the first epoch's weight steps, then one reward
        Map<String, Boolean> after = new LinkedHashMap<>();
        for (Parameter p : net.weights().parameters()) {
            after.put(p.name(), !before.get(p.name()).equals(p.value()));
        }
        return after;
    }

    /** Whether a path through {@link #PATH} runs the op of parameter {@code name} at its edge (true off the edges). */
    private static boolean opRuns(String name) {
        Matcher op = OP.matcher(name);
        return !op.find() || NasBench201Space.OPS.get(PATH[Integer.parseInt(op.group(1))]).equals(op.group(2));
    }

    /**
     * A parameter off the path keeps its value exactly (SGD and its weight decay skip a parameter without a
     * gradient); a convolution's weight on the path changes. A batch norm's shift on the path may keep its value: the
     * last cell's feeds the head's batch norm, which removes a constant per channel, so its gradient is zero.
     */
    private static void assertTrained(boolean runs, boolean changed, String name) {
        if (!runs) {
            assertFalse(changed, "a parameter off the path changed: " + name);
        } else if (!name.contains(".bn.")) {
            assertTrue(changed, "a weight on the path did not change: " + name);
        }
    }

    @Test
    void splitCopiesTrainOnlyWhereTheSampledPathSelectsThem() {
        Enas enas = Strategies.enas(GradientOneShotTest.images(200, 3)).epochs(1).stepsPerEpoch(2)
                .controllerSteps(1).batchSize(8).weightSharing(WeightSharing.CONDITIONAL);
        int copies = 0;
        int trained = 0;
        for (Map.Entry<String, Boolean> e : firstEpoch(enas).entrySet()) {
            String name = e.getKey();
            Matcher c = COPY.matcher(name);
            boolean runs = opRuns(name);
            if (c.find()) {
                int edge = Integer.parseInt(c.group(1));
                int before = edge == 0 ? 5 : edge - 1;
                runs &= PATH[before] == Integer.parseInt(c.group(3));
                copies++;
            }
            assertTrained(runs, e.getValue(), name);
            trained += e.getValue() ? 1 : 0;
        }
        assertTrue(copies > 100 && trained > 20, copies + " copies, " + trained + " trained");
    }

    @Test
    void beforeTheSplitEpochOnlyTheFirstCopyOfARunningOpTrains() {
        Enas enas = Strategies.enas(GradientOneShotTest.images(200, 3)).epochs(2).stepsPerEpoch(2)
                .controllerSteps(1).batchSize(8).weightSharing(WeightSharing.CONDITIONAL).conditionalSplitEpoch(1);
        int trainedCopies = 0;
        for (Map.Entry<String, Boolean> e : firstEpoch(enas).entrySet()) {
            Matcher c = COPY.matcher(e.getKey());
            boolean copy = c.find();
            boolean runs = opRuns(e.getKey()) && (!copy || Integer.parseInt(c.group(3)) == 0);
            assertTrained(runs, e.getValue(), e.getKey());
            trainedCopies += copy && e.getValue() ? 1 : 0;
        }
        assertTrue(trainedCopies > 10, trainedCopies + " first copies trained");
    }

    @Test
    void aConditionalSearchCutAfterTheSplitResumesAndEndsAsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        SearchResult whole = run(small(), dir.resolve("whole"), Budget.trials(100));
        assertEquals(12, whole.trials().size());
        for (Trial t : whole.trials()) {
            assertEquals(TrialState.COMPLETE, t.state(), t.reason());
        }
        // cut in the third epoch: the checkpoint of the second holds split copies that trained apart
        SearchResult first = run(small(), dir.resolve("cut"), Budget.trials(9));
        assertEquals(9, first.trials().size());
        assertTrue(Files.exists(dir.resolve("cut").resolve(Enas.CHECKPOINT)));
        SearchResult resumed = run(small(), dir.resolve("cut"), Budget.trials(100));
        assertEquals(whole.trials().size(), resumed.trials().size());
        for (int i = 0; i < whole.trials().size(); i++) {
            assertEquals(whole.trials().get(i).architecture(), resumed.trials().get(i).architecture(), "trial " + i);
            assertEquals(whole.trials().get(i).metrics().get(Metric.VALIDATION_ACCURACY),
                    resumed.trials().get(i).metrics().get(Metric.VALIDATION_ACCURACY), "trial " + i);
        }
        // the rewards of batches of 8 are coarse: the final checkpoints (every copy, the controller) must be equal
        assertArrayEquals(Files.readAllBytes(dir.resolve("whole").resolve(Enas.CHECKPOINT)),
                Files.readAllBytes(dir.resolve("cut").resolve(Enas.CHECKPOINT)));
    }

    @Test
    void aSplitEpochNeedsConditionalWeightsAndMustComeBeforeTheLastEpoch() {
        Objective o = Objective.maximize(Metric.VALIDATION_ACCURACY);
        Enas plain = Strategies.enas(GradientOneShotTest.images(200, 3)).epochs(3).conditionalSplitEpoch(1);
        assertEquals("conditionalSplitEpoch needs weightSharing CONDITIONAL, but it was 1 with weightSharing PLAIN",
                assertThrows(IllegalArgumentException.class,
                        () -> plain.create(new SearchContext(GradientOneShotTest.NB201, o, 1))).getMessage());
        Enas late = plain.weightSharing(WeightSharing.CONDITIONAL).conditionalSplitEpoch(3);
        assertEquals("conditionalSplitEpoch must be below epochs=3, but was 3", assertThrows(
                IllegalArgumentException.class,
                () -> late.create(new SearchContext(GradientOneShotTest.NB201, o, 1))).getMessage());
        assertEquals("conditionalSplitEpoch must be >= 0, but was -1",
                assertThrows(IllegalArgumentException.class, () -> plain.conditionalSplitEpoch(-1)).getMessage());
    }
}
