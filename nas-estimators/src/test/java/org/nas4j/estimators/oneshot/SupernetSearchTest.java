package org.nas4j.estimators.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Constraint;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.network.ComposedSupernet;

/** A search on a trained supernet under a cost constraint: candidates outside it are counted, never evaluated. */
class SupernetSearchTest {

    @Test
    void candidatesOutsideTheParameterBoundAreRejectedWithoutEvaluation() {
        ComposedSupernet supernet = SupernetEstimatorTest.trained(4);
        ComposedSpace space = supernet.space();
        SupernetEstimator estimator = Estimators.supernet(supernet, SupernetEstimatorTest.TRAIN,
                SupernetEstimatorTest.VALIDATION).recalibrationBatches(2).batchSize(16).validationSamples(20).build();
        List<Architecture> all = every(space);
        List<Long> params = all.stream().map(space::parameters).sorted().toList();
        long bound = params.get(params.size() / 2);
        long outside = params.stream().filter(p -> p > bound).count();
        assertTrue(outside > 0 && outside < all.size(), "bound " + bound + " splits " + params);
        Set<Integer> evaluated = ConcurrentHashMap.newKeySet();
        Estimator counting = new Estimator() {
            @Override
            public String description() {
                return estimator.description();
            }

            @Override
            public Evaluation evaluate(EvaluationRequest request) {
                evaluated.add(request.trialId());
                return estimator.evaluate(request);
            }

            @Override
            public Map<Metric, Double> costs(Architecture architecture) {
                return estimator.costs(architecture);
            }
        };
        SearchResult result = SearchRunner.builder(space, enumerate(all)).estimator(counting)
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)
                        .subjectTo(Constraint.atMost(Metric.PARAMETERS, bound)))
                .budget(Budget.trials(all.size())).parallelism(2).seed(1).build().run();
        assertEquals(all.size(), result.trials().size());
        assertEquals(outside, result.rejected());
        assertEquals(all.size() - outside, evaluated.size());
        for (Trial t : result.trials()) {
            boolean over = space.parameters(t.architecture()) > bound;
            assertEquals(over ? TrialState.REJECTED : TrialState.COMPLETE, t.state(), t.toString());
            assertEquals(!over, evaluated.contains(t.id()), t.toString());
            assertEquals((double) space.multiplyAdds(t.architecture()), t.value(Metric.FLOPS), t.toString());
            if (over) {
                assertTrue(t.reason().startsWith("not evaluated: params = "), t.reason());
            }
        }
        assertTrue(result.best().value(Metric.PARAMETERS) <= bound);
    }

    private static List<Architecture> every(ComposedSpace space) {
        List<Architecture> all = new ArrayList<>();
        int[] sizes = space.choices().stream().mapToInt(c -> c.size()).toArray();
        int[] v = new int[sizes.length];
        while (true) {
            Architecture a = Architecture.of(space, v.clone());
            if (space.isValid(a)) {
                all.add(a);
            }
            int i = 0;
            while (i < v.length && ++v[i] == sizes[i]) {
                v[i++] = 0;
            }
            if (i == v.length) {
                return all;
            }
        }
    }

    /** Proposes the given architectures in order, then is done. */
    private static StrategyFactory enumerate(List<Architecture> architectures) {
        return new StrategyFactory() {
            @Override
            public String name() {
                return "enumerate";
            }

            @Override
            public String configuration() {
                return "enumerate(" + architectures.size() + ")";
            }

            @Override
            public Strategy create(SearchContext context) {
                return new Strategy() {
                    private int next;

                    @Override
                    public Ask ask() {
                        return next < architectures.size() ? Ask.propose(architectures.get(next++)) : Ask.done();
                    }

                    @Override
                    public void tell(Trial trial) {
                    }
                };
            }
        };
    }
}
