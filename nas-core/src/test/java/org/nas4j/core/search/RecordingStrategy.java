package org.nas4j.core.search;

import java.util.ArrayList;
import java.util.List;

/** Wraps {@link GreedyToyStrategy} and records every trial its strategies are told, as they are told it. */
final class RecordingStrategy implements StrategyFactory {
    /** The trials told so far, in order, with the metrics the runner let through. */
    final List<Trial> told = new ArrayList<>();

    @Override
    public String name() {
        return "spy";
    }

    @Override
    public String configuration() {
        return "spy";
    }

    @Override
    public Strategy create(SearchContext context) {
        Strategy inner = new GreedyToyStrategy().create(context);
        return new Strategy() {
            @Override
            public Ask ask() {
                return inner.ask();
            }

            @Override
            public void tell(Trial trial) {
                told.add(trial);
                inner.tell(trial);
            }
        };
    }
}
