package org.nas4j.spark;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.TrialExecutor;
import org.nas4j.core.space.SearchSpace;

/**
 * Runs each trial as a Spark task: a one-task job per trial, submitted from its own driver thread, so a trial never
 * waits for the others (asynchronous strategies keep every executor busy). The strategy and the journal stay in the
 * driver's {@link org.nas4j.core.search.SearchRunner}; give it a {@code parallelism} equal to the task slots of the
 * cluster (executors x cores per executor / {@code spark.task.cpus}).
 *
 * <p>What is shipped: the space and the estimator are not; their {@link Recipe}s are, once per search as a broadcast
 * (so once per executor), and each executor JVM builds them once and keeps them for the search's trials. Training
 * data therefore travels inside the estimator's recipe (as a path every executor reads, or captured data) once per
 * executor, never once per trial. Per trial only the architecture's text, the seed, the fidelity and the parent go
 * out, and the metrics come back. {@link #open} builds both recipes once on the driver too and refuses them if they
 * do not build the runner's space and estimator (same {@link SearchSpace#identity()} and {@link
 * Estimator#description()}).
 *
 * <p>Failures: an estimator's exception fails its trial with the same reason as on one machine; a task that is lost
 * (its executor died) or fails outside the estimator is submitted again, up to {@link #maxAttempts} jobs in all
 * (each of which Spark itself may retry, {@code spark.task.maxFailures}), then the trial is FAILED with the last
 * reason. At the end of the search's wall-clock budget the trials still running are cancelled (their tasks are
 * interrupted; nas4j's training loop stops between two steps) and recorded FAILED. Immutable and thread-safe.
 *
 * <pre>{@code
 * Recipe<SearchSpace> space = Spaces::nasBench201;
 * Recipe<Estimator> estimator = () -> Estimators.training(FashionMnist.bundled()).epochs(2).build();
 * SearchRunner.builder(space.create(), Strategies.regularizedEvolution())
 *         .estimator(estimator.create())
 *         .executor(SparkExecutor.of(spark.sparkContext(), space, estimator))
 *         .parallelism(8)          // the cluster's task slots
 *         .journal(Path.of("runs/nb201-spark"))
 *         .build().run();
 * }</pre>
 */
public final class SparkExecutor implements TrialExecutor {
    /** The default number of jobs a trial may take when its tasks are lost. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    private final SparkContext spark;
    private final Recipe<SearchSpace> space;
    private final Recipe<Estimator> estimator;
    private final int maxAttempts;

    private SparkExecutor(SparkContext spark, Recipe<SearchSpace> space, Recipe<Estimator> estimator,
                          int maxAttempts) {
        this.spark = spark;
        this.space = space;
        this.estimator = estimator;
        this.maxAttempts = maxAttempts;
    }

    /**
     * An executor on {@code spark} (from a {@code SparkSession}: {@code spark.sparkContext()}), whose executors
     * build the search's space and estimator from these recipes.
     */
    public static SparkExecutor of(SparkContext spark, Recipe<SearchSpace> space, Recipe<Estimator> estimator) {
        return new SparkExecutor(Objects.requireNonNull(spark, "spark"), Objects.requireNonNull(space, "space"),
                Objects.requireNonNull(estimator, "estimator"), DEFAULT_MAX_ATTEMPTS);
    }

    /**
     * This executor, giving a trial at most {@code attempts} jobs, in [1, 100], when its tasks are lost or fail
     * outside the estimator. Default: {@value #DEFAULT_MAX_ATTEMPTS}.
     */
    public SparkExecutor maxAttempts(int attempts) {
        if (attempts < 1 || attempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be in [1, 100], but was " + attempts);
        }
        return new SparkExecutor(spark, space, estimator, attempts);
    }

    /** At most how many jobs a trial takes. */
    public int maxAttempts() {
        return maxAttempts;
    }

    @Override
    public Session open(SearchSpace searchSpace, Estimator searchEstimator, int parallelism,
                        Optional<Duration> wallClock) {
        Objects.requireNonNull(searchSpace, "space");
        Objects.requireNonNull(searchEstimator, "estimator");
        Objects.requireNonNull(wallClock, "wallClock");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, but was " + parallelism);
        }
        if (spark.isStopped()) {
            throw new IllegalStateException("the SparkContext of this executor is stopped");
        }
        checkRecipes(searchSpace, searchEstimator);
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark);
        Broadcast<TrialRecipes> recipes;
        try {
            recipes = context.broadcast(new TrialRecipes(UUID.randomUUID().toString(), space, estimator));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the space and estimator recipes must be serializable (capture only "
                    + "serializable values: paths, numbers, strings): " + e, e);
        }
        return new SparkTrials(context, recipes, parallelism, maxAttempts, wallClock);
    }

    private void checkRecipes(SearchSpace searchSpace, Estimator searchEstimator) {
        SearchSpace built = build(space, "space");
        if (!built.identity().equals(searchSpace.identity())) {
            throw new IllegalArgumentException("the space recipe builds space " + built.identity()
                    + ", but the search runs in space " + searchSpace.identity());
        }
        String description = build(estimator, "estimator").description();
        if (!description.equals(searchEstimator.description())) {
            throw new IllegalArgumentException("the estimator recipe builds estimator " + description
                    + ", but the search's estimator is " + searchEstimator.description());
        }
    }

    private static <T> T build(Recipe<T> recipe, String what) {
        T built;
        try {
            built = recipe.create();
        } catch (Exception e) {
            throw new IllegalArgumentException("the " + what + " recipe failed on the driver: " + e, e);
        }
        if (built == null) {
            throw new IllegalArgumentException("the " + what + " recipe built null");
        }
        return built;
    }

    @Override
    public String toString() {
        return "spark(" + spark.master() + ", maxAttempts=" + maxAttempts + ")";
    }
}
