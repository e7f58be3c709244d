package org.nas4j.core.search;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.nas4j.core.space.SearchSpace;

/**
 * Where a search's trials are evaluated. The {@link SearchRunner} stays the only owner of the strategy and the
 * journal: it hands each proposal to the executor as an {@link EvaluationRequest}, and records what comes back.
 * The default is {@link LocalExecutor} (a thread pool in this JVM); {@code nas-spark}'s {@code SparkExecutor} runs
 * each trial as a Spark task.
 *
 * <p>Results may come back in any order and on any thread: the runner journals each trial when it finishes and tells
 * the strategy in id order, so the same seed gives the same trials whatever finishes first.
 *
 * <pre>{@code
 * SearchRunner.builder(space, strategy).estimator(estimator).executor(LocalExecutor.create())...
 * }</pre>
 */
public interface TrialExecutor {

    /**
     * Opens this executor for one run of a search; the runner closes the session when the run ends.
     *
     * @param space       the search's space: the architectures of the requests belong to it
     * @param estimator   the search's estimator
     * @param parallelism how many trials the runner keeps in flight at once, >= 1
     * @param wallClock   the time left to the run's wall-clock budget, or empty if it has none
     */
    Session open(SearchSpace space, Estimator estimator, int parallelism, Optional<Duration> wallClock);

    /** One run's use of an executor. */
    interface Session extends AutoCloseable {

        /**
         * Starts evaluating {@code request} without waiting for it. The future completes with the estimator's
         * evaluation, or exceptionally with why there is none (the estimator threw, the task was lost, it was
         * cancelled): the runner then records the trial FAILED with that reason ({@link TrialFailedException}'s
         * message as is, else the exception's class and message). It may complete on any thread, in any order.
         */
        CompletableFuture<Evaluation> submit(EvaluationRequest request);

        /** Stops whatever still runs and frees what this run held. */
        @Override
        void close();
    }
}
