package org.nas4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialExecutor;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.estimators.tabular.TabularEstimator;
import org.nas4j.spaces.Spaces;
import org.nas4j.strategies.Strategies;

/** Searches on {@code local[2]}: the same trials as on one machine, failures as data, the budget's cancellation. */
class SparkExecutorTest {
    private static SparkContext spark;

    @BeforeAll
    static void startSpark() {
        spark = new SparkContext(localConf("local[2]"));
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    static SparkConf localConf(String master) {
        return new SparkConf().setMaster(master).setAppName("nas4j-test").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
    }

    private static List<Trial> search(SearchSpace space, Estimator estimator, TrialExecutor executor,
                                      Budget budget, Path journal) throws IOException {
        SearchRunner.Builder b = SearchRunner.builder(space, Strategies.regularizedEvolution().populationSize(8)
                        .sampleSize(3)).estimator(estimator).budget(budget).parallelism(2).seed(2024)
                .journal(journal);
        if (executor != null) {
            b.executor(executor);
        }
        SearchResult result = b.build().run();
        List<Trial> journaled = new ArrayList<>(Journal.read(journal, space).trials());
        journaled.sort(Comparator.comparingInt(Trial::id));
        assertEquals(result.trials().size(), journaled.size(), "every finished trial is journaled once");
        return journaled;
    }

    /** Everything a journaled trial holds but its duration. */
    private static List<String> content(List<Trial> trials) {
        List<String> s = new ArrayList<>();
        for (Trial t : trials) {
            s.add(t.id() + " " + t.architecture() + " " + t.state() + " " + t.metrics() + " '" + t.reason() + "' "
                    + t.seed() + " " + t.fidelity() + " " + t.parent());
        }
        return s;
    }

    @Test
    void aTabularSearchOnSparkGivesTheTrialsOfTheLocalExecutor(@TempDir Path dir) throws IOException {
        Recipe<SearchSpace> space = Spaces::nasBench201;
        Recipe<Estimator> table = TabularEstimator::nasBench201Cifar10;
        Estimator estimator = TabularEstimator.nasBench201Cifar10();
        Budget budget = Budget.trials(30);

        List<Trial> local = search(Spaces.nasBench201(), estimator, null, budget, dir.resolve("local"));
        List<Trial> onSpark = search(Spaces.nasBench201(), estimator, SparkExecutor.of(spark, space, table),
                budget, dir.resolve("spark"));

        assertEquals(30, local.size());
        assertEquals(content(local), content(onSpark));
    }

    @Test
    void anEstimatorsFailureIsAFailedTrialWithTheReasonOfTheLocalExecutor(@TempDir Path dir) throws IOException {
        Recipe<SearchSpace> space = Spaces::nasBench201;
        Recipe<Estimator> flaky = TestEstimators.Flaky::new;
        Budget budget = Budget.trials(12);

        List<Trial> local = search(Spaces.nasBench201(), new TestEstimators.Flaky(), null, budget,
                dir.resolve("local"));
        List<Trial> onSpark = search(Spaces.nasBench201(), new TestEstimators.Flaky(),
                SparkExecutor.of(spark, space, flaky), budget, dir.resolve("spark"));

        assertEquals(content(local), content(onSpark));
        assertEquals(12, onSpark.size());
        assertEquals(TrialState.FAILED, onSpark.get(5).state());
        assertEquals("IllegalStateException: no memory left for trial 5", onSpark.get(5).reason());
    }

    @Test
    void aLostTaskIsRetriedThenFailedWithItsReason(@TempDir Path dir) throws IOException {
        Recipe<SearchSpace> space = Spaces::nasBench201;
        Recipe<Estimator> losing = TestEstimators.Losing::new;

        List<Trial> trials = search(Spaces.nasBench201(), new TestEstimators.Losing(),
                SparkExecutor.of(spark, space, losing).maxAttempts(3), Budget.trials(8), dir.resolve("spark"));

        assertEquals(8, trials.size());
        assertEquals(TrialState.COMPLETE, trials.get(2).state(), "lost once, then run again: " + trials.get(2));
        assertEquals(TrialState.FAILED, trials.get(5).state());
        assertTrue(trials.get(5).reason().startsWith("the trial's task failed in 3 job(s) on Spark; the last: ")
                && trials.get(5).reason().contains("executor gone during trial 5, attempt 3"), trials.get(5).reason());
        assertEquals(7, trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count());
    }

    @Test
    void theWallClockBudgetCancelsTheRunningTasks(@TempDir Path dir) throws IOException {
        int steps = 12_000; // 2 minutes a trial
        Recipe<SearchSpace> space = Spaces::nasBench201;
        Recipe<Estimator> slow = () -> new TestEstimators.Slow(steps);

        long start = System.nanoTime();
        List<Trial> trials = search(Spaces.nasBench201(), new TestEstimators.Slow(steps),
                SparkExecutor.of(spark, space, slow), Budget.wallClock(Duration.ofSeconds(2)), dir.resolve("spark"));
        double seconds = (System.nanoTime() - start) / 1e9;

        assertTrue(seconds < 60, "the search took " + seconds + " s: its trials were not stopped at the budget");
        assertEquals(2, trials.size());
        for (Trial t : trials) {
            assertEquals(TrialState.FAILED, t.state());
            assertTrue(t.reason().startsWith("cancelled: the search's wall-clock budget"), t.reason());
        }
        // the cancelled tasks freed their slots: a job of two tasks runs at once
        long jobStart = System.nanoTime();
        assertEquals(2L, org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark)
                .parallelize(List.of(1, 2), 2).count());
        assertTrue((System.nanoTime() - jobStart) / 1e9 < 30, "the executor slots were still busy");
    }

    @Test
    void recipesThatBuildAnotherEstimatorAreRefused(@TempDir Path dir) {
        Recipe<SearchSpace> space = Spaces::nasBench201;
        Recipe<Estimator> flaky = TestEstimators.Flaky::new;
        SearchRunner runner = SearchRunner.builder(Spaces.nasBench201(), Strategies.randomSearch())
                .estimator(new TestEstimators.Losing()).executor(SparkExecutor.of(spark, space, flaky))
                .budget(Budget.trials(2)).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, runner::run);
        assertEquals("the estimator recipe builds estimator flaky, but the search's estimator is losing",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparkExecutor.of(spark, space, flaky).maxAttempts(0));
    }
}
