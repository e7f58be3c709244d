package org.nas4j.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nas4j.core.random.SplitMix64;

/** How the runner treats the three answers of ask(), and strategy validation at build(). */
class AskLoopTest {
    private final ToySpace space = new ToySpace(4, 3);

    private static final Estimator SCORE = new Estimator() {
        @Override
        public String description() {
            return "score";
        }

        @Override
        public Evaluation evaluate(EvaluationRequest r) {
            return Evaluation.of(Metric.VALIDATION_ACCURACY, ToySpace.score(r.architecture()));
        }
    };

    /**
     * A strategy whose answer is {@code answer} of {asks so far (from 0), proposals so far, trials told so far}.
     */
    private static StrategyFactory scripted(String name, Function<int[], Ask.Kind> answer) {
        return new StrategyFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String configuration() {
                return name + "()";
            }

            @Override
            public Strategy create(SearchContext context) {
                return new Strategy() {
                    private final SplitMix64 rng = new SplitMix64(context.seed());
                    private int asked;
                    private int proposed;
                    private int told;

                    @Override
                    public Ask ask() {
                        Ask.Kind k = answer.apply(new int[] {asked++, proposed, told});
                        return switch (k) {
                            case PROPOSE -> {
                                proposed++;
                                yield Ask.propose(context.space().sample(rng));
                            }
                            case WAIT -> Ask.waitForTrials();
                            case DONE -> Ask.done();
                        };
                    }

                    @Override
                    public void tell(Trial trial) {
                        told++;
                    }
                };
            }
        };
    }

    @Test
    void doneEndsTheSearchWithBudgetLeftAfterTheTrialsInFlight() {
        // proposes 3, then DONE: the 3 trials (2 in flight at the DONE) finish and are the whole search
        AtomicInteger asksAfterDone = new AtomicInteger();
        StrategyFactory three = scripted("three", at -> {
            if (at[0] < 3) {
                return Ask.Kind.PROPOSE;
            }
            if (at[0] > 3) {
                asksAfterDone.incrementAndGet();
            }
            return Ask.Kind.DONE;
        });
        SearchResult r = SearchRunner.builder(space, three).estimator(SCORE).budget(Budget.trials(100))
                .parallelism(2).build().run();
        assertEquals(3, r.trials().size());
        assertEquals(0, asksAfterDone.get(), "DONE is final: the runner must not ask again");
    }

    @Test
    void waitWithTrialsInFlightAsksAgainAfterATell() {
        // proposes only while nothing is in flight (one at a time despite parallelism 3)
        AtomicInteger waits = new AtomicInteger();
        StrategyFactory serial = scripted("serial", at -> {
            if (at[1] > at[2]) {
                waits.incrementAndGet();
                return Ask.Kind.WAIT;
            }
            return Ask.Kind.PROPOSE;
        });
        SearchResult r = SearchRunner.builder(space, serial).estimator(SCORE).budget(Budget.trials(7))
                .parallelism(3).build().run();
        assertEquals(7, r.trials().size());
        assertEquals(6, waits.get(), "one WAIT after each proposal but the last (the budget ends the search)");
    }

    @Test
    void waitWithNothingInFlightIsAStrategyBug() {
        StrategyFactory stuck = scripted("stuck", at -> at[0] < 2 ? Ask.Kind.PROPOSE : Ask.Kind.WAIT);
        SearchRunner runner = SearchRunner.builder(space, stuck).estimator(SCORE).budget(Budget.trials(10)).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, runner::run);
        assertEquals("strategy stuck() answered WAIT with no trial in flight (after 2 proposals): it would wait "
                + "forever; a strategy with nothing more to propose must answer DONE", e.getMessage());
    }

    @Test
    void buildValidatesTheStrategyBeforeAnyTrialRuns() {
        AtomicInteger evaluated = new AtomicInteger();
        StrategyFactory contradictory = new StrategyFactory() {
            @Override
            public String name() {
                return "contradictory";
            }

            @Override
            public String configuration() {
                return "contradictory()";
            }

            @Override
            public void validate() {
                throw new IllegalArgumentException("a=1 contradicts b=2");
            }

            @Override
            public Strategy create(SearchContext context) {
                throw new AssertionError("create must not be reached");
            }
        };
        Estimator counting = new Estimator() {
            @Override
            public String description() {
                return "counting";
            }

            @Override
            public Evaluation evaluate(EvaluationRequest r) {
                evaluated.incrementAndGet();
                return Evaluation.of(Metric.VALIDATION_ACCURACY, 1);
            }
        };
        SearchRunner.Builder b = SearchRunner.builder(space, contradictory).estimator(counting);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals("a=1 contradicts b=2", e.getMessage());
        assertEquals(0, evaluated.get());
    }

    @Test
    void askCarriesAProposalOnlyWhenItProposes() {
        var a = space.sample(new SplitMix64(1));
        assertEquals(Proposal.of(a), Ask.propose(a).proposal());
        assertTrue(Ask.propose(a).isProposal());
        assertEquals(Ask.Kind.WAIT, Ask.waitForTrials().kind());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Ask.done().proposal());
        assertEquals("ask answered DONE, which carries no proposal", e.getMessage());
        assertEquals(Ask.propose(a), Ask.propose(Proposal.of(a)));
    }
}
