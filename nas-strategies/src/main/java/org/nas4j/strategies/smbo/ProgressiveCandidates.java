package org.nas4j.strategies.smbo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.ProgressiveSpace;
import org.nas4j.core.space.SearchSpace;

/**
 * PNAS's progressive growth, for spaces that are a {@link ProgressiveSpace} with 1-block architectures: the first
 * round is every 1-block cell (a uniform random subset when there are more than the first round's size); each later
 * round expands the K best cells (K = the beam) of the current level &mdash; the largest block count evaluated so far
 * &mdash; by one block, and the search ranks all those expansions with its surrogate and evaluates the top K. Once
 * the cells have the space's maximum block count, and on any other space, the {@code fallback} generator proposes
 * the candidates (given only the maximum-size cells as its best ones, when there are any).
 *
 * <p>When the parents' expansions number more than {@code maxCandidates}, each parent contributes
 * {@code maxCandidates / parents} expansions drawn uniformly (with replacement; the search drops duplicates), so
 * the cost of a round stays bounded on spaces of two independent cells, whose expansions are the square of one
 * cell's. Stateless and deterministic given the random generator.
 *
 * @param maxCandidates the most expansions per round, at least 1
 * @param fallback      the generator at the maximum block count and on spaces without progressive structure
 */
public record ProgressiveCandidates(int maxCandidates, CandidateGenerator fallback) implements BeamCandidateGenerator {

    public ProgressiveCandidates {
        if (maxCandidates < 1) {
            throw new IllegalArgumentException("maxCandidates must be >= 1, but was " + maxCandidates);
        }
        Objects.requireNonNull(fallback, "fallback");
        if (fallback instanceof BeamCandidateGenerator) {
            throw new IllegalArgumentException("fallback must be a plain candidate generator, but was " + fallback);
        }
    }

    /** Every 1-block cell, or a uniform random subset of {@code size}; empty (random) for other spaces. */
    @Override
    public List<Architecture> firstRound(SearchSpace space, int size, RandomGenerator rng) {
        if (!(space instanceof ProgressiveSpace p) || p.maxBlocks() == 1) {
            return List.of();
        }
        List<Architecture> all = new ArrayList<>(p.oneBlockArchitectures());
        if (all.size() <= size) {
            return all;
        }
        for (int i = 0; i < size; i++) {          // partial Fisher-Yates shuffle: a uniform subset
            int j = i + rng.nextInt(all.size() - i);
            Architecture t = all.get(i);
            all.set(i, all.get(j));
            all.set(j, t);
        }
        return List.copyOf(all.subList(0, size));
    }

    @Override
    public List<Architecture> candidates(SearchSpace space, List<Architecture> best, int beamSize,
                                         RandomGenerator rng) {
        if (!(space instanceof ProgressiveSpace p)) {
            return fallback.candidates(space, best, rng);
        }
        int level = best.stream().mapToInt(p::blocks).max().orElse(0);
        List<Architecture> atLevel = best.stream().filter(a -> p.blocks(a) == level).toList();
        if (level >= p.maxBlocks()) {
            return fallback.candidates(space, atLevel, rng);
        }
        List<Architecture> parents = atLevel.subList(0, Math.min(beamSize, atLevel.size()));
        long total = parents.stream().mapToLong(p::expansionCount).sum();
        List<Architecture> out = new ArrayList<>();
        for (Architecture parent : parents) {
            if (total <= maxCandidates) {
                out.addAll(p.expansions(parent));
            } else {
                for (int i = 0; i < Math.max(1, maxCandidates / parents.size()); i++) {
                    out.add(p.randomExpansion(parent, rng));
                }
            }
        }
        return out;
    }

    /** Without a beam (called as a plain generator) the 10 best cells of the level are expanded. */
    @Override
    public List<Architecture> candidates(SearchSpace space, List<Architecture> best, RandomGenerator rng) {
        return candidates(space, best, 10, rng);
    }

    @Override
    public String toString() {
        return Configuration.of("progressive").with("maxCandidates", maxCandidates)
                .with("fallback", Configuration.valueOf(fallback.toString())).toString();
    }
}
