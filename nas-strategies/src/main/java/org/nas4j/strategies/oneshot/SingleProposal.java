package org.nas4j.strategies.oneshot;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.Trial;

/**
 * The strategy of a search that ends in one architecture (FreeDARTS, DARTS' recurrent search): at the first ask it
 * runs {@code search} and proposes its result, then waits for that trial and is done. A search that was stopped
 * (an empty result) proposes nothing: the strategy is done.
 */
final class SingleProposal implements Strategy {
    private final Supplier<Optional<Proposal>> search;
    private boolean proposed;
    private boolean told;

    private SingleProposal(Supplier<Optional<Proposal>> search) {
        this.search = search;
    }

    /** A strategy over a search that always ends in a proposal. */
    static SingleProposal of(Supplier<Proposal> search) {
        Objects.requireNonNull(search, "search");
        return new SingleProposal(() -> Optional.of(search.get()));
    }

    /** A strategy over a search that may stop without a result (then it proposes nothing and is done). */
    static SingleProposal stoppable(Supplier<Optional<Proposal>> search) {
        return new SingleProposal(Objects.requireNonNull(search, "search"));
    }

    @Override
    public Ask ask() {
        if (!proposed) {
            proposed = true;
            Optional<Proposal> p = search.get();
            if (p.isEmpty()) {
                told = true;
                return Ask.done();
            }
            return Ask.propose(p.get());
        }
        return told ? Ask.done() : Ask.waitForTrials();
    }

    @Override
    public void tell(Trial trial) {
        Objects.requireNonNull(trial, "trial");
        told = true;
    }
}
