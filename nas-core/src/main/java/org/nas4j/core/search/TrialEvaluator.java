package org.nas4j.core.search;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.nas4j.core.journal.Journal;

/**
 * Starts one trial on the search's {@link TrialExecutor} and turns whatever comes back (metrics, an exception, NaN,
 * running out of memory, a lost task) into a finished {@link Trial}, journaled, in this JVM, before it is returned.
 * Constraints on the costs the estimator knows beforehand are checked here, without the executor.
 */
final class TrialEvaluator {
    private final Estimator estimator;
    private final Objective objective;
    private final Journal journal;
    private final int concurrentTrials;
    private final TrialExecutor.Session executor;

    TrialEvaluator(Estimator estimator, Objective objective, Journal journal, int concurrentTrials,
                   TrialExecutor.Session executor) {
        this.estimator = estimator;
        this.objective = objective;
        this.journal = journal;
        this.concurrentTrials = concurrentTrials;
        this.executor = executor;
    }

    /** The trial, once finished and journaled; completes exceptionally only for an error that stops the search. */
    CompletableFuture<Trial> start(int id, Proposal proposal, long seed) {
        long start = System.nanoTime();
        CompletableFuture<Evaluation> evaluation;
        try {
            Trial rejected = rejected(id, proposal, seed, start);
            if (rejected != null) {
                return CompletableFuture.completedFuture(journaled(rejected));
            }
            evaluation = executor.submit(new EvaluationRequest(id, proposal.architecture(), seed,
                    proposal.fidelity(), proposal.parent(), concurrentTrials));
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            return CompletableFuture.completedFuture(
                    journaled(failed(id, proposal, seed, proposal.measured(), reason(e), seconds(start))));
        }
        return evaluation.handle((e, error) -> journaled(error == null
                ? finished(id, proposal, seed, e, seconds(start))
                : failed(id, proposal, seed, proposal.measured(), reason(unwrap(error)), seconds(start))));
    }

    private Trial journaled(Trial trial) {
        if (journal != null) {
            journal.append(trial);
        }
        return trial;
    }

    /**
     * The trial as REJECTED if the costs the estimator knows before evaluating violate a constraint of the objective
     * on them (constraints on metrics it does not know are left to the evaluation); null to evaluate it.
     */
    private Trial rejected(int id, Proposal p, long seed, long start) {
        if (objective.constraints().isEmpty()) {
            return null;
        }
        Map<Metric, Double> costs = estimator.costs(p.architecture());
        for (Constraint c : objective.constraints()) {
            Double v = costs.get(c.metric());
            if (v != null && !c.isSatisfied(costs)) {
                return new Trial(id, p.architecture(), TrialState.REJECTED, costs, "not evaluated: " + c.metric()
                        + " = " + v + " violates the constraint " + c, seed, p.fidelity(), seconds(start),
                        p.parent());
            }
        }
        return null;
    }

    private Trial finished(int id, Proposal p, long seed, Evaluation e, double seconds) {
        if (e == null) {
            return failed(id, p, seed, p.measured(), "the estimator returned null", seconds);
        }
        Map<Metric, Double> metrics = new LinkedHashMap<>(p.measured());
        metrics.putAll(e.metrics());
        Double v = metrics.get(objective.metric());
        if (v == null) {
            return failed(id, p, seed, metrics, "the estimator did not report the objective's metric "
                    + objective.metric() + " (it reported " + metrics.keySet() + ")", seconds);
        }
        if (!Double.isFinite(v)) {
            return failed(id, p, seed, metrics, "the objective's metric " + objective.metric() + " is " + v
                    + " (diverged)", seconds);
        }
        TrialState state = e.pruned() ? TrialState.PRUNED : TrialState.COMPLETE;
        return new Trial(id, p.architecture(), state, metrics, e.pruned() ? "stopped early" : "", seed,
                p.fidelity(), seconds, p.parent());
    }

    private static Trial failed(int id, Proposal p, long seed, Map<Metric, Double> metrics, String reason,
                                double seconds) {
        return new Trial(id, p.architecture(), TrialState.FAILED, metrics, reason, seed, p.fidelity(), seconds,
                p.parent());
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /**
     * The recorded reason of a failure; an {@link Error} other than running out of memory or stack is not a
     * trial's failure but the search's, and is thrown on.
     */
    private static String reason(Throwable e) {
        if (e instanceof Error error && !(e instanceof OutOfMemoryError || e instanceof StackOverflowError)) {
            throw error;
        }
        return e instanceof TrialFailedException ? e.getMessage() : TrialFailedException.reasonOf(e);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
