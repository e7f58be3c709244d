package org.nas4j.core.search;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.space.Architecture;

/**
 * A stateful test strategy: mutates the best architecture seen so far (random until one completed); with
 * inheritance, each mutant names the best trial as its parent.
 */
final class GreedyToyStrategy implements StrategyFactory {
    private final boolean inherit;

    GreedyToyStrategy() {
        this(false);
    }

    GreedyToyStrategy(boolean inherit) {
        this.inherit = inherit;
    }

    @Override
    public String name() {
        return "greedy";
    }

    @Override
    public String configuration() {
        return inherit ? "greedy(inherit)" : "greedy()";
    }

    @Override
    public boolean inheritsWeights() {
        return inherit;
    }

    @Override
    public Strategy create(SearchContext context) {
        return new Strategy() {
            private SplitMix64 rng = new SplitMix64(context.seed());
            private Architecture best;
            private int bestId;
            private double bestScore = Double.NEGATIVE_INFINITY;

            @Override
            public Optional<Proposal> ask() {
                if (best == null) {
                    return Optional.of(Proposal.of(context.space().sample(rng)));
                }
                Architecture a = context.space().mutate(best, rng);
                return Optional.of(inherit ? Proposal.child(a, bestId) : Proposal.of(a));
            }

            @Override
            public void tell(Trial trial) {
                double s = context.objective().score(trial);
                if (s > bestScore) {
                    bestScore = s;
                    best = trial.architecture();
                    bestId = trial.id();
                }
            }

            @Override
            public ObjectNode saveState() {
                ObjectNode n = JsonNodeFactory.instance.objectNode();
                n.put("rng", rng.state());
                return n;
            }

            @Override
            public void restoreState(ObjectNode state) {
                rng = SplitMix64.fromState(state.get("rng").asLong());
            }
        };
    }
}
