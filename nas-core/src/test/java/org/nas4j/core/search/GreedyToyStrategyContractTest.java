package org.nas4j.core.search;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.nas4j.core.testing.StrategyContract;

/** The shipped contract passes a correct strategy, and catches a saved state that omits a field. */
class GreedyToyStrategyContractTest extends StrategyContract {

    @Override
    protected StrategyFactory factory() {
        return new GreedyToyStrategy();
    }

    @Test
    void catchesAStateThatOmitsAField() {
        StrategyContract forgetful = new StrategyContract() {
            @Override
            protected StrategyFactory factory() {
                return GreedyToyStrategy.forgetful();
            }
        };
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                forgetful::restoredStateContinuesIdenticallyEvenOverADifferentHistory);
        assertTrue(e.getMessage().contains("saved state misses something"), e.getMessage());
    }

    @Test
    void catchesWaitWithNothingInFlight() {
        StrategyContract waiting = new StrategyContract() {
            @Override
            protected StrategyFactory factory() {
                return new StrategyFactory() {
                    @Override
                    public String name() {
                        return "waiting";
                    }

                    @Override
                    public String configuration() {
                        return "waiting()";
                    }

                    @Override
                    public Strategy create(SearchContext context) {
                        Strategy inner = new GreedyToyStrategy().create(context);
                        return new Strategy() {
                            private int asked;

                            @Override
                            public Ask ask() {
                                return ++asked > 5 ? Ask.waitForTrials() : inner.ask();
                            }

                            @Override
                            public void tell(Trial trial) {
                                inner.tell(trial);
                            }
                        };
                    }
                };
            }
        };
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                waiting::waitsOnlyWithTrialsInFlightAndDoneIsFinal);
        assertTrue(e.getMessage().contains("WAIT with no trial in flight"), e.getMessage());
    }
}
