package org.nas4j.strategies.smbo;

import java.util.List;
import java.util.random.RandomGenerator;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;

/**
 * A {@link CandidateGenerator} that also plans the first round and knows the beam (the number of architectures
 * evaluated per round, K), as PNAS's progressive growth needs: the first round is every 1-block cell, each later
 * one expands the K best cells of the current level. A model-based search asks a plain generator only for
 * candidates and draws its first round at random.
 */
public interface BeamCandidateGenerator extends CandidateGenerator {

    /**
     * The first round: at most {@code size} distinct architectures, or an empty list to let the search draw
     * {@code size} random ones.
     */
    List<Architecture> firstRound(SearchSpace space, int size, RandomGenerator rng);

    /**
     * Candidates for the next round of {@code beamSize} evaluations. {@code best} lists the evaluated architectures
     * from best to worst score. Duplicates and already proposed architectures are removed by the caller.
     */
    List<Architecture> candidates(SearchSpace space, List<Architecture> best, int beamSize, RandomGenerator rng);

    /** The first round of {@code generator}; empty (random) for a plain generator. */
    static List<Architecture> firstRound(CandidateGenerator generator, SearchSpace space, int size,
                                         RandomGenerator rng) {
        return generator instanceof BeamCandidateGenerator g ? g.firstRound(space, size, rng) : List.of();
    }

    /** The candidates of {@code generator}, given the beam where it uses it. */
    static List<Architecture> candidates(CandidateGenerator generator, SearchSpace space, List<Architecture> best,
                                         int beamSize, RandomGenerator rng) {
        return generator instanceof BeamCandidateGenerator g ? g.candidates(space, best, beamSize, rng)
                : generator.candidates(space, best, rng);
    }
}
