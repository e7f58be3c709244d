package org.nas4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.spaces.Spaces;
import org.nas4j.strategies.Strategies;

/**
 * A search on {@code local-cluster[2,1,1024]}: two executor JVMs started by in-process standalone workers, one of
 * which dies in the middle of a trial. The search still completes, with every trial journaled exactly once.
 */
class SparkClusterTest {
    private static final int TRIALS = 8;

    @Test
    void anExecutorJvmDyingMidTrialLosesNoTrialAndJournalsNoneTwice(@TempDir Path dir) throws IOException {
        Path sparkHome = Path.of(System.getenv("SPARK_HOME"));
        Files.createDirectories(sparkHome.resolve("jars"));
        SparkContext spark = new SparkContext(SparkExecutorTest.localConf("local-cluster[2,1,1024]")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path")));
        try {
            Recipe<SearchSpace> space = Spaces::nasBench201;
            String markers = dir.toString();
            int victim = 3;
            Recipe<Estimator> dying = () -> new TestEstimators.DyingOnce(50, markers, victim); // ~0.5 s a trial
            Path journal = dir.resolve("journal");
            SearchResult result = SearchRunner.builder(Spaces.nasBench201(), Strategies.regularizedEvolution()
                            .populationSize(6).sampleSize(2))
                    .estimator(new TestEstimators.DyingOnce(50, markers, victim))
                    .executor(SparkExecutor.of(spark, space, dying).maxAttempts(3))
                    .budget(Budget.trials(TRIALS)).parallelism(2).seed(5).journal(journal).build().run();

            Path marker = TestEstimators.DyingOnce.marker(markers, victim);
            assertTrue(Files.exists(marker), "no executor JVM died in trial " + victim);
            assertTrue(ProcessHandle.of(Long.parseLong(Files.readString(marker).substring(4))).isEmpty(),
                    "the JVM that evaluated trial " + victim + " first is gone");
            assertEquals(TRIALS, result.trials().size());
            List<Integer> journaledIds = new ArrayList<>();
            for (Trial t : Journal.read(journal, Spaces.nasBench201()).trials()) {
                journaledIds.add(t.id());
            }
            journaledIds.sort(null);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < TRIALS; i++) {
                expected.add(i);
            }
            assertEquals(expected, journaledIds, "every trial journaled exactly once");
            for (Trial t : result.trials()) {
                assertEquals(TrialState.COMPLETE, t.state(), "trial " + t.id() + ": " + t.reason());
            }
        } finally {
            spark.stop();
        }
    }
}
