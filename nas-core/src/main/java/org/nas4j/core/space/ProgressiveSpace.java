package org.nas4j.core.space;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A capability of a {@link SearchSpace} whose architectures are made of <em>blocks</em> and can be grown one block
 * at a time, as the cells of progressive neural architecture search (PNAS, Liu et al., ECCV 2018): an architecture
 * has between 1 and {@link #maxBlocks()} blocks, and its {@link #expansions} are the architectures with one block
 * more that keep all of its blocks. Generic strategies use the plain {@link SearchSpace} API; a progressive
 * strategy checks for this interface and falls back to sampling and mutation without it.
 *
 * <p>A space may implement this interface with every architecture at {@link #maxBlocks()} blocks (a cell space
 * whose block count is fixed): then {@link #expansions} are always empty and so is
 * {@link #oneBlockArchitectures()} unless the maximum is 1. Implementations are immutable and thread-safe.
 *
 * <pre>{@code
 * if (space instanceof ProgressiveSpace p && !p.oneBlockArchitectures().isEmpty()) {
 *     List<Architecture> level1 = p.oneBlockArchitectures();           // 136 cells in the PNAS space
 *     List<Architecture> level2 = p.expansions(level1.get(0));          // every 2-block cell that keeps its block
 * }
 * }</pre>
 */
public interface ProgressiveSpace extends SearchSpace {

    /** The number of blocks of {@code architecture}, in [1, {@link #maxBlocks()}]. */
    int blocks(Architecture architecture);

    /** The largest number of blocks an architecture of this space can have. */
    int maxBlocks();

    /**
     * Every valid architecture with {@code blocks(architecture) + 1} blocks whose first blocks are those of
     * {@code architecture}, one per canonical key (no two are the same network); empty when {@code architecture}
     * already has {@link #maxBlocks()} blocks or the block count of this space is fixed.
     */
    List<Architecture> expansions(Architecture architecture);

    /** Every valid 1-block architecture, one per canonical key; empty when this space has none. */
    List<Architecture> oneBlockArchitectures();

    /**
     * The number of {@link #expansions} of {@code architecture}, without listing them (a space of two independent
     * cells has the square of one cell's). The default lists them.
     */
    default long expansionCount(Architecture architecture) {
        return expansions(architecture).size();
    }

    /**
     * One of the {@link #expansions} of {@code architecture}, uniformly at random, without listing them all where the
     * space can; an exception if there is none. The default lists them.
     */
    default Architecture randomExpansion(Architecture architecture, RandomGenerator rng) {
        List<Architecture> all = expansions(architecture);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("architecture has no expansion in space '" + name() + "' (it has "
                    + blocks(architecture) + " of at most " + maxBlocks() + " blocks): " + architecture);
        }
        return all.get(rng.nextInt(all.size()));
    }
}
