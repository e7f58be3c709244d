package org.nas4j.strategies.smbo;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;

/**
 * Where a model-based strategy finds the candidates its surrogate ranks each round. PNAS expands the K best cells
 * by one block; the generic {@link SearchSpace} has no notion of blocks, so the default generator is the fallback
 * the design allows: random architectures plus mutations (the space's own) of the best ones so far. A space with
 * progressive structure (DARTS cells) can supply its own expansion through this hook.
 *
 * <p>Implementations must be deterministic given {@code rng} and have a {@code toString} that names their
 * configuration (it is part of the strategy's configuration, checked when a journal is resumed).
 */
@FunctionalInterface
public interface CandidateGenerator {

    /**
     * Candidates for the next round. {@code best} lists the evaluated architectures from best to worst score.
     * Duplicates and already proposed architectures are removed by the caller.
     */
    List<Architecture> candidates(SearchSpace space, List<Architecture> best, RandomGenerator rng);

    /**
     * {@code random} uniform samples plus {@code mutationsPerParent} mutations of each of the {@code parents} best
     * architectures.
     */
    static CandidateGenerator randomAndMutated(int random, int parents, int mutationsPerParent) {
        if (random < 0) {
            throw new IllegalArgumentException("random must be >= 0, but was " + random);
        }
        if (parents < 0) {
            throw new IllegalArgumentException("parents must be >= 0, but was " + parents);
        }
        if (mutationsPerParent < 0) {
            throw new IllegalArgumentException("mutationsPerParent must be >= 0, but was " + mutationsPerParent);
        }
        if (random == 0 && (parents == 0 || mutationsPerParent == 0)) {
            throw new IllegalArgumentException("the generator must produce candidates: random=0 needs parents > 0 "
                    + "and mutationsPerParent > 0");
        }
        return new RandomAndMutated(random, parents, mutationsPerParent);
    }

    /**
     * PNAS's progressive growth on a {@link org.nas4j.core.space.ProgressiveSpace} (at most {@code maxCandidates}
     * expansions per round), {@code fallback} at the maximum block count and on other spaces; see
     * {@link ProgressiveCandidates}.
     */
    static CandidateGenerator progressive(int maxCandidates, CandidateGenerator fallback) {
        return new ProgressiveCandidates(maxCandidates, fallback);
    }

    /** The default generator; see {@link #randomAndMutated}. */
    record RandomAndMutated(int random, int parents, int mutationsPerParent) implements CandidateGenerator {
        @Override
        public List<Architecture> candidates(SearchSpace space, List<Architecture> best, RandomGenerator rng) {
            List<Architecture> out = new ArrayList<>();
            for (int p = 0; p < Math.min(parents, best.size()); p++) {
                for (int m = 0; m < mutationsPerParent; m++) {
                    out.add(space.mutate(best.get(p), rng));
                }
            }
            for (int i = 0; i < random; i++) {
                out.add(space.sample(rng));
            }
            return out;
        }

        @Override
        public String toString() {
            return Configuration.of("randomAndMutated").with("random", random).with("parents", parents)
                    .with("mutationsPerParent", mutationsPerParent).toString();
        }
    }
}
