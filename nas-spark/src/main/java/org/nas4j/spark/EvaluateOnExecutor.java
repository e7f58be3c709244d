package org.nas4j.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.TrialFailedException;

/**
 * The body of a trial's task, run on an executor: takes the space and estimator built there from the broadcast
 * recipes, evaluates the trial, and sends back its evaluation or the reason it failed. An exception, {@link
 * OutOfMemoryError} or {@link StackOverflowError} of the estimator fails the trial (it is data, as on one machine);
 * any other {@link Error} fails the task, which the driver then retries.
 *
 * <p>Native threads: the request asks for {@code max(1, cores / spark.task.cpus)} concurrent trials, so that the
 * estimators' default rule ({@code NativeThreads}: cores divided among the concurrent trials) gives each task the
 * {@code spark.task.cpus} cores Spark reserved for it; {@code OMP_NUM_THREADS} in the executor's environment
 * ({@code spark.executorEnv.OMP_NUM_THREADS}) still wins.
 */
final class EvaluateOnExecutor implements Function<TrialTask, TaskOutcome> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<TrialRecipes> recipes;

    EvaluateOnExecutor(Broadcast<TrialRecipes> recipes) {
        this.recipes = recipes;
    }

    @Override
    public TaskOutcome call(TrialTask task) {
        BuiltOnExecutor built;
        try {
            built = BuiltOnExecutor.of(recipes.value());
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            return TaskOutcome.failed("cannot build the space and estimator on the executor from their recipes: "
                    + TrialFailedException.reasonOf(e));
        }
        try {
            EvaluationRequest request = task.request(built.space(), concurrentTrials());
            return TaskOutcome.of(built.estimator().evaluate(request));
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            return TaskOutcome.failed(TrialFailedException.reasonOf(e));
        }
    }

    private static int concurrentTrials() {
        TaskContext context = TaskContext.get();
        int taskCpus = context == null ? 1 : Math.max(1, context.cpus());
        return Math.max(1, Runtime.getRuntime().availableProcessors() / taskCpus);
    }
}
