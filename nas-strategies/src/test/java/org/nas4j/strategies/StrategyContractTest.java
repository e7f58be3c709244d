package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.core.testing.StrategyContract;
import org.nas4j.spaces.Spaces;

/**
 * Every registered strategy keeps nas-core's {@link StrategyContract} (one nested class per name of
 * {@link Strategies#names()}, on NAS-Bench-201 with a formula as the estimator), learns from its tells, and
 * round-trips through the registry. A new strategy joins by being registered in {@link Strategies} and given a
 * nested class here (a test fails until it has one).
 */
class StrategyContractTest {
    private static final SearchSpace SPACE = Spaces.nasBench201();
    private static final int STEPS = 120;

    /** A deterministic stand-in for accuracy on NAS-Bench-201: rewards convolutions, with a little structure. */
    static double formula(Architecture a) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += switch (a.option(i)) {
                case "nor_conv_3x3" -> 3;
                case "nor_conv_1x1" -> 2;
                case "skip_connect" -> 1 + i * 0.1;
                case "avg_pool_3x3" -> 0.5;
                default -> 0;
            };
        }
        return s;
    }

    /** The contract on NAS-Bench-201 for the strategy registered as {@link #name()}. */
    abstract static class Registered extends StrategyContract {
        abstract String name();

        @Override
        protected StrategyFactory factory() {
            return Strategies.byName(name());
        }

        @Override
        protected SearchSpace space() {
            return SPACE;
        }

        @Override
        protected Map<Metric, Double> metrics(Architecture a, double fidelity) {
            Map<Metric, Double> m = new LinkedHashMap<>(super.metrics(a, fidelity));
            m.put(Metric.VALIDATION_ACCURACY, formula(a) * (1 + fidelity) / 2);
            return m;
        }
    }

    @Nested
    class Rs extends Registered {
        String name() {
            return "rs";
        }
    }

    @Nested
    class Rea extends Registered {
        String name() {
            return "rea";
        }
    }

    @Nested
    class EvolutionNoAging extends Registered {
        String name() {
            return "evolution-no-aging";
        }
    }

    @Nested
    class Evolution extends Registered {
        String name() {
            return "evolution";
        }
    }

    @Nested
    class EvolutionWithInheritance extends Registered {
        String name() {
            return "evolution";
        }

        @Override
        protected StrategyFactory factory() {
            return Strategies.largeScaleEvolution().weightInheritance(true);
        }
    }

    @Nested
    class ReinforceLstm extends Registered {
        String name() {
            return "reinforce";
        }
    }

    @Nested
    class ReinforceNb201 extends Registered {
        String name() {
            return "reinforce-nb201";
        }
    }

    @Nested
    class ReinforcePaper extends Registered {
        String name() {
            return "reinforce-paper";
        }
    }

    @Nested
    class ReinforceNb201Paper extends Registered {
        String name() {
            return "reinforce-nb201-paper";
        }
    }

    @Nested
    class PnasSearch extends Registered {
        String name() {
            return "pnas";
        }
    }

    @Nested
    class PopnasSearch extends Registered {
        String name() {
            return "popnas";
        }
    }

    @Nested
    class HyperbandSearch extends Registered {
        String name() {
            return "hyperband";
        }
    }

    @Test
    void everyRegisteredStrategyHasItsContractTest() throws Exception {
        List<String> covered = new ArrayList<>();
        for (Class<?> c : StrategyContractTest.class.getDeclaredClasses()) {
            if (c.isAnnotationPresent(Nested.class) && Registered.class.isAssignableFrom(c)) {
                Registered r = (Registered) c.getDeclaredConstructor(StrategyContractTest.class).newInstance(this);
                covered.add(r.name());
            }
        }
        for (String name : Strategies.names()) {
            assertTrue(covered.contains(name), "no contract test for registered strategy " + name);
        }
    }

    @Test
    void everyRegisteredNameRoundTripsAndIsUnique() {
        List<String> names = Strategies.names();
        assertEquals(names.size(), new HashSet<>(names).size(), "duplicate names: " + names);
        for (String n : names) {
            assertEquals(n, Strategies.byName(n).name());
            assertFalse(Strategies.description(n).isBlank());
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Strategies.byName("bayes"));
        assertEquals("unknown strategy 'bayes'; known names: " + Strategies.names(), e.getMessage());
    }

    static Stream<String> strategies() {
        return Strategies.names().stream();
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void learnsFromTellsOrAtLeastCoversTheSpace(String name) {
        // every strategy should beat the mean of the formula over the space within 120 trials
        // (the space's mean is about 8.1). Multi-fidelity strategies spend most of their 120 proposals on
        // re-evaluating promoted architectures at higher fidelity, so they see fewer distinct ones: 12 for them.
        Strategy s = Strategies.byName(name).create(new SearchContext(SPACE,
                Objective.maximize(Metric.VALIDATION_ACCURACY), 5));
        double best = Double.NEGATIVE_INFINITY;
        boolean lowFidelity = false;
        for (int i = 0; i < STEPS; i++) {
            Ask ask = s.ask();
            if (!ask.isProposal()) {
                break;
            }
            Proposal p = ask.proposal();
            Architecture a = p.architecture();
            best = Math.max(best, formula(a));
            lowFidelity |= p.fidelity() < 1;
            s.tell(new Trial(i, a, TrialState.COMPLETE, Map.of(Metric.VALIDATION_ACCURACY, formula(a)), "", 0,
                    p.fidelity(), 0));
        }
        assertTrue(best >= (lowFidelity ? 12 : 15), name + " found only " + best);
    }
}
