package org.nas4j.strategies.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.zerocost.ArchitectureSaliency;
import org.nas4j.spaces.Spaces;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;

class FreeDartsTest {
    private static final ComposedSpace SPACE = NasBench201Definition.of(NasBench201Space.builder().channels(4)
            .cellsPerStage(1).inputChannels(1).imageSize(8).build());

    @Test
    void derivesTheStrongestCandidateOfEveryEdgeFromTheSaliencies() {
        ArchitectureSaliency.Result r = ArchitectureSaliency.synflow(SPACE, 3, DataType.DOUBLE);
        assertEquals(6, r.scores().length, "the six edges of the NAS-Bench-201 cell");
        for (int e = 0; e < 6; e++) {
            assertEquals(5, r.scores()[e].length);
            int best = 0;
            for (int k = 1; k < 5; k++) {
                if (r.scores()[e][k] > r.scores()[e][best]) {
                    best = k;
                }
            }
            assertEquals(best, r.architecture().index(e), "edge " + e + ": " + java.util.Arrays.toString(r.scores()[e]));
            for (double score : r.scores()[e]) {
                // through the softmax even 'none' has a gradient (minus the weighted mean of the others' flows)
                assertTrue(Double.isFinite(score) && score > 0, "edge " + e + ": " + java.util.Arrays.toString(r.scores()[e]));
            }
        }
        assertEquals(r.architecture(), ArchitectureSaliency.synflow(SPACE, 3, DataType.DOUBLE).architecture(),
                "deterministic for a seed");
    }

    @Test
    void proposesOneArchitectureThroughTheRunnerAndResumes(@TempDir Path dir) {
        SearchRunner.Builder b = SearchRunner.builder(SPACE, FreeDarts.create())
                .estimator(new org.nas4j.core.search.Estimator() {
                    @Override
                    public String description() {
                        return "count-convs";
                    }

                    @Override
                    public Evaluation evaluate(org.nas4j.core.search.EvaluationRequest request) {
                        Architecture a = request.architecture();
                        double convs = 0;
                        for (int i = 0; i < a.size(); i++) {
                            convs += a.index(i) >= 2 && a.index(i) <= 3 ? 1 : 0;
                        }
                        return Evaluation.of(Metric.VALIDATION_ACCURACY, convs);
                    }
                }).budget(Budget.trials(10)).seed(5).journal(dir);
        SearchResult first = b.build().run();
        assertEquals(1, first.trials().size(), "one proposal, then done");
        assertEquals(TrialState.COMPLETE, first.best().state());
        assertTrue(first.best().value(FreeDarts.SEARCH_SECONDS) >= 0);
        SearchResult resumed = b.build().run();
        assertEquals(first.best().architecture(), resumed.best().architecture());
    }

    @Test
    void synflowWithBatchNormInInferenceModeScoresAnotherFlow() {
        // training-mode batch norm normalises the one all-ones image by its own statistics, inference mode by the
        // initial running statistics (nearly the identity): the flows through a convolution followed by batch norm
        // differ, so every edge's scores do
        ArchitectureSaliency.Result training = ArchitectureSaliency.synflow(SPACE, 3, DataType.DOUBLE);
        ArchitectureSaliency.Result inference = ArchitectureSaliency.synflow(SPACE, 3, DataType.DOUBLE,
                org.nas4j.estimators.engine.Mode.INFERENCE);
        for (int e = 0; e < 6; e++) {
            assertTrue(!java.util.Arrays.equals(training.scores()[e], inference.scores()[e]), "edge " + e);
            for (double score : inference.scores()[e]) {
                assertTrue(Double.isFinite(score) && score > 0, java.util.Arrays.toString(inference.scores()[e]));
            }
        }
        FreeDarts strategy = FreeDarts.create().synflowBatchNorm(org.nas4j.estimators.engine.Mode.INFERENCE);
        assertEquals("freedarts(proxy=synflow, batchNorm=INFERENCE, dataType=DOUBLE)", strategy.configuration());
        Architecture proposed = strategy.create(new org.nas4j.core.search.SearchContext(SPACE,
                org.nas4j.core.search.Objective.maximize(Metric.VALIDATION_ACCURACY), 5)).ask().proposal()
                .architecture();
        long supernetSeed = org.nas4j.core.random.Seeds.derive(5, "freedarts supernet");
        assertEquals(ArchitectureSaliency.synflow(SPACE, supernetSeed, DataType.DOUBLE,
                org.nas4j.estimators.engine.Mode.INFERENCE).architecture(), proposed);
    }

    @Test
    void refusesAHandWrittenSpaceAndABadDataType() {
        IllegalArgumentException space = assertThrows(IllegalArgumentException.class, () -> FreeDarts.create()
                .create(new org.nas4j.core.search.SearchContext(Spaces.nasBench201(),
                        org.nas4j.core.search.Objective.maximize(Metric.VALIDATION_ACCURACY), 1)));
        assertTrue(space.getMessage().contains("SpaceBuilder"), space.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> FreeDarts.create().dataType(DataType.HALF));
        assertTrue(type.getMessage().contains("HALF"), type.getMessage());
    }

    @Test
    void theSnipVariantProposesTheArchitectureOfTheSnipScores() {
        ComposedSpace fashion = NasBench201Definition.of(NasBench201Space.builder().channels(3).cellsPerStage(1)
                .inputChannels(1).imageSize(28).build());
        org.nas4j.estimators.data.TrainTest data = org.nas4j.estimators.data.FashionMnist.bundled();
        FreeDarts snip = FreeDarts.create().snip(data, 8);
        assertTrue(snip.configuration().startsWith("freedarts(proxy=snip, batchSize=8, data="), snip.configuration());
        org.nas4j.core.search.Strategy s = snip.create(new org.nas4j.core.search.SearchContext(fashion,
                org.nas4j.core.search.Objective.maximize(Metric.VALIDATION_ACCURACY), 5));
        Architecture proposed = s.ask().proposal().architecture();
        long supernetSeed = org.nas4j.core.random.Seeds.derive(5, "freedarts supernet");
        assertEquals(ArchitectureSaliency.snip(fashion, data, 8, supernetSeed, DataType.DOUBLE).architecture(),
                proposed);
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> FreeDarts.create().snip(data, 0));
        assertTrue(batch.getMessage().startsWith("batchSize must be in [1, ") && batch.getMessage().endsWith(
                "but was 0"), batch.getMessage());
    }

    @Test
    void theGraspVariantProposesTheArchitectureOfTheGraspScores() {
        ComposedSpace fashion = NasBench201Definition.of(NasBench201Space.builder().channels(3).cellsPerStage(1)
                .inputChannels(1).imageSize(28).build());
        org.nas4j.estimators.data.TrainTest data = org.nas4j.estimators.data.FashionMnist.bundled();
        FreeDarts grasp = FreeDarts.create().grasp(data, 8).dataType(DataType.FLOAT);
        assertTrue(grasp.configuration().startsWith("freedarts(proxy=grasp, batchSize=8, data="),
                grasp.configuration());
        assertTrue(grasp.configuration().endsWith("dataType=FLOAT)"), grasp.configuration());
        assertEquals("freedarts(proxy=synflow, dataType=DOUBLE)", FreeDarts.create().configuration());
        org.nas4j.core.search.Strategy s = grasp.create(new org.nas4j.core.search.SearchContext(fashion,
                org.nas4j.core.search.Objective.maximize(Metric.VALIDATION_ACCURACY), 5));
        Architecture proposed = s.ask().proposal().architecture();
        long supernetSeed = org.nas4j.core.random.Seeds.derive(5, "freedarts supernet");
        assertEquals(ArchitectureSaliency.grasp(fashion, data, 8, supernetSeed, DataType.FLOAT).architecture(),
                proposed);
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> FreeDarts.create().grasp(data, data.train().size() + 1));
        assertTrue(batch.getMessage().startsWith("batchSize must be in [1, ") && batch.getMessage().endsWith(
                "but was " + (data.train().size() + 1)), batch.getMessage());
        NullPointerException none = assertThrows(NullPointerException.class, () -> FreeDarts.create().grasp(null));
        assertTrue(none.getMessage().contains("data"), none.getMessage());
    }
}
