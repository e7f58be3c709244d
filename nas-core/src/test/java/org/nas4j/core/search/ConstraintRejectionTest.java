package org.nas4j.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.space.Architecture;

/** Architectures whose costs known beforehand violate a constraint are recorded as REJECTED, never evaluated. */
class ConstraintRejectionTest {
    private final ToySpace space = new ToySpace(6, 4);

    /** Parameters = 10 * the toy score, known before evaluation; records which trials it evaluated. */
    private static Estimator costed(Set<Integer> evaluated) {
        return new Estimator() {
            @Override
            public String description() {
                return "costed";
            }

            @Override
            public Evaluation evaluate(EvaluationRequest r) {
                evaluated.add(r.trialId());
                return Evaluation.of(Metric.VALIDATION_ACCURACY, ToySpace.score(r.architecture()))
                        .with(Metric.PARAMETERS, 10 * ToySpace.score(r.architecture()));
            }

            @Override
            public Map<Metric, Double> costs(Architecture a) {
                return Map.of(Metric.PARAMETERS, 10 * ToySpace.score(a));
            }
        };
    }

    private SearchResult search(Set<Integer> evaluated, Path journal) {
        SearchRunner.Builder b = SearchRunner.builder(space, new GreedyToyStrategy()).estimator(costed(evaluated))
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)
                        .subjectTo(Constraint.atMost(Metric.PARAMETERS, 100)))
                .budget(Budget.trials(30)).parallelism(2).seed(3);
        if (journal != null) {
            b.journal(journal);
        }
        return b.build().run();
    }

    @Test
    void candidatesOutsideTheConstraintAreCountedAndNeverEvaluated() {
        Set<Integer> evaluated = ConcurrentHashMap.newKeySet();
        SearchResult result = search(evaluated, null);
        List<Trial> rejected = result.trials().stream().filter(t -> t.state() == TrialState.REJECTED).toList();
        assertTrue(!rejected.isEmpty(), "the greedy strategy climbs past the bound");
        assertEquals(rejected.size(), result.rejected());
        assertEquals(30 - rejected.size(), evaluated.size());
        for (Trial t : rejected) {
            assertTrue(!evaluated.contains(t.id()), "trial " + t.id() + " was evaluated");
            assertTrue(t.value(Metric.PARAMETERS) > 100, t.toString());
            assertEquals("not evaluated: params = " + t.value(Metric.PARAMETERS) + " violates the constraint "
                    + "params <= 100.0", t.reason());
        }
        for (Trial t : result.trials()) {
            if (t.state() != TrialState.REJECTED) {
                assertEquals(TrialState.COMPLETE, t.state());
                assertTrue(t.value(Metric.PARAMETERS) <= 100, t.toString());
            }
        }
        assertTrue(result.best().value(Metric.PARAMETERS) <= 100);
    }

    @Test
    void rejectedTrialsAreJournaledAndResumedWithoutEvaluation(@TempDir Path dir) {
        Set<Integer> first = ConcurrentHashMap.newKeySet();
        SearchResult a = search(first, dir);
        Set<Integer> second = ConcurrentHashMap.newKeySet();
        SearchResult b = search(second, dir);
        assertTrue(second.isEmpty(), "a resumed search re-evaluated " + second);
        assertEquals(a.rejected(), b.rejected());
        assertEquals(a.trials().stream().map(Trial::state).toList(), b.trials().stream().map(Trial::state).toList());
    }

    @Test
    void withoutConstraintsOrCostsEveryTrialIsEvaluated() {
        Set<Integer> evaluated = ConcurrentHashMap.newKeySet();
        SearchResult r = SearchRunner.builder(space, new GreedyToyStrategy()).estimator(costed(evaluated))
                .budget(Budget.trials(12)).seed(3).build().run();
        assertEquals(0, r.rejected());
        assertEquals(12, evaluated.size());
    }
}
