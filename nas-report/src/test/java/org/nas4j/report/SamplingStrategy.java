package org.nas4j.report;

import java.util.SplittableRandom;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;

/** Uniform sampling from the space, one proposal per ask, from the search's seed; named as given. */
final class SamplingStrategy implements StrategyFactory {
    private final String name;

    SamplingStrategy(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String configuration() {
        return name;
    }

    @Override
    public Strategy create(SearchContext context) {
        SplittableRandom rng = new SplittableRandom(context.seed());
        return new Strategy() {
            @Override
            public Ask ask() {
                return Ask.propose(context.space().sample(rng));
            }

            @Override
            public void tell(Trial trial) {
            }
        };
    }
}
