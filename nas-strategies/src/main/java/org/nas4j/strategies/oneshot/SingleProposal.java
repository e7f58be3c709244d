package org.nas4j.strategies.oneshot;

import java.util.Objects;
import java.util.function.Supplier;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.Trial;

/**
 * The strategy of a search that ends in one architecture (FreeDARTS, DARTS' recurrent search): at the first ask it
 * runs {@code search} and proposes its result, then waits for that trial and is done.
 */
final class SingleProposal implements Strategy {
    private final Supplier<Proposal> search;
    private boolean proposed;
    private boolean told;

    SingleProposal(Supplier<Proposal> search) {
        this.search = Objects.requireNonNull(search, "search");
    }

    @Override
    public Ask ask() {
        if (!proposed) {
            proposed = true;
            return Ask.propose(search.get());
        }
        return told ? Ask.done() : Ask.waitForTrials();
    }

    @Override
    public void tell(Trial trial) {
        Objects.requireNonNull(trial, "trial");
        told = true;
    }
}
