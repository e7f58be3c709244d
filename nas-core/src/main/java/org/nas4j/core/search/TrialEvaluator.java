package org.nas4j.core.search;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nas4j.core.journal.Journal;

/**
 * Runs one evaluation on a worker thread and turns whatever happens (metrics, an exception, NaN, running out of
 * memory) into a finished {@link Trial}, journaled before it is returned.
 */
final class TrialEvaluator {
    private final Estimator estimator;
    private final Objective objective;
    private final Journal journal;
    private final int concurrentTrials;

    TrialEvaluator(Estimator estimator, Objective objective, Journal journal, int concurrentTrials) {
        this.estimator = estimator;
        this.objective = objective;
        this.journal = journal;
        this.concurrentTrials = concurrentTrials;
    }

    Trial evaluate(int id, Proposal proposal, long seed) {
        long start = System.nanoTime();
        Trial trial;
        try {
            trial = rejected(id, proposal, seed, start);
            if (trial == null) {
                Evaluation e = estimator.evaluate(new EvaluationRequest(id, proposal.architecture(), seed,
                        proposal.fidelity(), proposal.parent(), concurrentTrials));
                trial = finished(id, proposal, seed, e, seconds(start));
            }
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            trial = failed(id, proposal, seed, proposal.measured(), describe(e), seconds(start));
        }
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

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
