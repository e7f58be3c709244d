package org.nas4j.core.search;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.space.Architecture;

/**
 * A stateful test strategy: mutates the best architecture seen so far (random until one completed); with
 * inheritance, each mutant names the best trial as its parent. Checkpointable; a {@linkplain #forgetful() forgetful}
 * one saves only its random generator, the kind of bug the strategy contract must catch.
 */
final class GreedyToyStrategy implements StrategyFactory {
    private final boolean inherit;
    private final boolean forgetful;

    GreedyToyStrategy() {
        this(false);
    }

    GreedyToyStrategy(boolean inherit) {
        this(inherit, false);
    }

    private GreedyToyStrategy(boolean inherit, boolean forgetful) {
        this.inherit = inherit;
        this.forgetful = forgetful;
    }

    /** A greedy strategy whose saved state omits the best architecture so far. */
    static GreedyToyStrategy forgetful() {
        return new GreedyToyStrategy(false, true);
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
        return new CheckpointableStrategy() {
            private SplitMix64 rng = new SplitMix64(context.seed());
            private Architecture best;
            private int bestId;
            private double bestScore = Double.NEGATIVE_INFINITY;

            @Override
            public Ask ask() {
                if (best == null) {
                    return Ask.propose(context.space().sample(rng));
                }
                Architecture a = context.space().mutate(best, rng);
                return Ask.propose(inherit ? Proposal.child(a, bestId) : Proposal.of(a));
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
                if (!forgetful && best != null) {
                    n.put("best", best.toString()).put("bestId", bestId).put("bestScore", bestScore);
                }
                return n;
            }

            @Override
            public void restoreState(ObjectNode state) {
                rng = SplitMix64.fromState(state.get("rng").asLong());
                if (!forgetful) {
                    best = state.has("best") ? context.space().parse(state.get("best").asText()) : null;
                    bestId = state.path("bestId").asInt(0);
                    bestScore = state.has("bestScore") ? state.get("bestScore").asDouble()
                            : Double.NEGATIVE_INFINITY;
                }
            }
        };
    }
}
