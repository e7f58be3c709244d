package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.spaces.Spaces;

/**
 * Every strategy runs on every built-in space through the generic choice vector: proposals are valid members of
 * the space, searches are reproducible, and nothing fails.
 */
class EverySpaceTest {

    /** Every registered space but {@code pnas} (the same cells as {@code nasnet}'s family; pnas-progressive covers it). */
    static List<SearchSpace> spaces() {
        return Spaces.names().stream().filter(n -> !n.equals("pnas")).map(Spaces::byName).toList();
    }

    static Stream<Arguments> strategiesTimesSpaces() {
        List<Arguments> out = new ArrayList<>();
        for (String s : Strategies.names()) {
            for (SearchSpace space : spaces()) {
                out.add(Arguments.of(s, space));
            }
        }
        return out.stream();
    }

    /** A deterministic score per canonical key, with a cost metric that grows with the vector. */
    static final Estimator HASHED = new Estimator() {
        @Override
        public String description() {
            return "hashed";
        }

        @Override
        public Evaluation evaluate(EvaluationRequest r) {
            Architecture a = r.architecture();
            double score = (a.key().hashCode() & 0xffff) / 655.36 * r.fidelity();
            double cost = 0;
            for (int i = 0; i < a.size(); i++) {
                cost += a.index(i);
            }
            return Evaluation.of(Metric.VALIDATION_ACCURACY, score).with(Metric.PARAMETERS, 1000 + cost)
                    .with(Metric.TRAINING_SECONDS, 1 + cost / 10);
        }
    };

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("strategiesTimesSpaces")
    void runsReproduciblyWithValidProposals(String strategy, SearchSpace space) {
        SearchResult a = run(strategy, space);
        SearchResult b = run(strategy, space);
        assertTrue(a.trials().size() >= 20, strategy + " on " + space.name() + ": " + a.trials().size());
        List<String> ta = new ArrayList<>();
        List<String> tb = new ArrayList<>();
        for (Trial t : a.trials()) {
            assertTrue(space.isValid(t.architecture()), t.architecture().toString());
            assertEquals(TrialState.COMPLETE, t.state(), t.reason());
            assertEquals(t.architecture(), space.parse(t.architecture().toString()));
            ta.add(t.architecture() + "@" + t.fidelity());
        }
        b.trials().forEach(t -> tb.add(t.architecture() + "@" + t.fidelity()));
        assertEquals(ta, tb);
    }

    private static SearchResult run(String strategy, SearchSpace space) {
        return SearchRunner.builder(space, Strategies.byName(strategy)).estimator(HASHED)
                .budget(Budget.trials(40)).parallelism(2).seed(13).build().run();
    }
}
