package org.nas4j.strategies.random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.CheckpointableStrategy;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;

/**
 * Random search: architectures drawn uniformly from the space, never proposing two with the same canonical key
 * (so on NAS-Bench-201 no two isomorphic cells). It stops proposing when {@code maxAttempts} draws in a row
 * found nothing new (it answers {@link Ask#done() DONE}). Immutable configuration; each search gets its own {@link Strategy}.
 *
 * <pre>{@code
 * StrategyFactory rs = Strategies.randomSearch();
 * }</pre>
 */
public final class RandomSearch implements StrategyFactory {
    private final int maxAttempts;

    private RandomSearch(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** Random search without duplicates, giving up after 10,000 draws in a row that found nothing new. */
    public static RandomSearch create() {
        return new RandomSearch(10_000);
    }

    /** Consecutive draws without a new architecture before the space is taken as exhausted, >= 1. Default 10,000. */
    public RandomSearch maxAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, but was " + attempts);
        }
        return new RandomSearch(attempts);
    }

    @Override
    public String name() {
        return "rs";
    }

    @Override
    public String configuration() {
        return Configuration.of("random-search").with("maxAttempts", maxAttempts).toString();
    }

    @Override
    public Strategy create(SearchContext context) {
        return new Search(context.space(), new SplitMix64(context.seed()), maxAttempts);
    }

    private static final class Search implements CheckpointableStrategy {
        private final SearchSpace space;
        private final int maxAttempts;
        private SplitMix64 rng;
        private final List<Architecture> proposed = new ArrayList<>();
        private final Set<String> seen = new HashSet<>();

        Search(SearchSpace space, SplitMix64 rng, int maxAttempts) {
            this.space = space;
            this.rng = rng;
            this.maxAttempts = maxAttempts;
        }

        @Override
        public Ask ask() {
            for (int attempt = 0; attempt < maxAttempts; attempt++) {
                Architecture a = space.sample(rng);
                if (seen.add(a.key())) {
                    proposed.add(a);
                    return Ask.propose(a);
                }
            }
            return Ask.done();
        }

        @Override
        public void tell(Trial trial) {
            // random search does not learn
        }

        @Override
        public ObjectNode saveState() {
            ObjectNode s = JsonNodeFactory.instance.objectNode();
            s.put("rng", rng.state());
            proposed.forEach(a -> s.withArray("proposed").add(a.toString()));
            return s;
        }

        @Override
        public void restoreState(ObjectNode state) {
            rng = SplitMix64.fromState(state.get("rng").asLong());
            proposed.clear();
            seen.clear();
            for (JsonNode a : state.withArray("proposed")) {
                Architecture arch = space.parse(a.asText());
                proposed.add(arch);
                seen.add(arch.key());
            }
        }
    }
}
