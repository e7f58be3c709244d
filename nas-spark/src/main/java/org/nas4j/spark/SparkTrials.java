package org.nas4j.spark;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.TrialExecutor;
import org.nas4j.core.search.TrialFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One search's use of Spark ({@link SparkExecutor#open}): each trial is a one-task job run from a driver thread of
 * its own, in a job group of this search that is cancelled, with interrupts, at the wall-clock budget and on close.
 */
final class SparkTrials implements TrialExecutor.Session {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrials.class);
    private final JavaSparkContext spark;
    private final Broadcast<TrialRecipes> recipes;
    private final int maxAttempts;
    private final String jobGroup = "nas4j-search-" + UUID.randomUUID();
    private final ExecutorService submitters;
    private final ScheduledExecutorService deadline;
    /** Why this search's trials were cancelled; null while they are not. */
    private final AtomicReference<String> cancelled = new AtomicReference<>();

    SparkTrials(JavaSparkContext spark, Broadcast<TrialRecipes> recipes, int parallelism, int maxAttempts,
                Optional<Duration> wallClock) {
        this.spark = spark;
        this.recipes = recipes;
        this.maxAttempts = maxAttempts;
        this.submitters = Executors.newFixedThreadPool(parallelism, daemonThreads("nas4j-spark-trial-"));
        this.deadline = Executors.newSingleThreadScheduledExecutor(daemonThreads("nas4j-spark-deadline-"));
        wallClock.ifPresent(d -> deadline.schedule(() -> cancel("cancelled: the search's wall-clock budget ("
                + d + " left when it started on Spark) was spent"), Math.max(0, d.toNanos()), TimeUnit.NANOSECONDS));
    }

    @Override
    public CompletableFuture<Evaluation> submit(EvaluationRequest request) {
        TrialTask task = TrialTask.of(request);
        return CompletableFuture.supplyAsync(() -> run(task), submitters);
    }

    /** Runs the trial's jobs until one ends with an outcome, the attempts are spent, or the search is cancelled. */
    private Evaluation run(TrialTask task) {
        String last = "";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (cancelled.get() != null) {
                throw new TrialFailedException(cancelled.get());
            }
            TaskOutcome outcome;
            try {
                spark.setJobGroup(jobGroup, "nas4j trial " + task.trialId() + " attempt " + attempt, true);
                outcome = spark.parallelize(List.of(task), 1).map(new EvaluateOnExecutor(recipes)).collect().get(0);
            } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared
                if (cancelled.get() != null) {
                    throw new TrialFailedException(cancelled.get());
                }
                last = TrialFailedException.reasonOf(e);
                LOG.warn("trial {}: job {} of at most {} failed: {}", task.trialId(), attempt, maxAttempts, last);
                continue;
            }
            if (outcome.failure() != null) {
                throw new TrialFailedException(outcome.failure());
            }
            return outcome.evaluation();
        }
        throw new TrialFailedException("the trial's task failed in " + maxAttempts + " job(s) on Spark; the last: "
                + last);
    }

    private void cancel(String reason) {
        if (cancelled.compareAndSet(null, reason)) {
            spark.sc().cancelJobGroup(jobGroup);
        }
    }

    @Override
    public void close() {
        deadline.shutdownNow();
        cancel("cancelled: the search ended");
        submitters.shutdownNow();
        recipes.destroy();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }
}
