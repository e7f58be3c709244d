package org.nas4j.spaces;

import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.nasbench101.NasBench101Space;
import org.nas4j.spaces.nasbench201.NasBench201Space;

/**
 * Factories of the built-in search spaces.
 *
 * <pre>{@code
 * SearchSpace space = Spaces.nasBench201();
 * }</pre>
 */
public final class Spaces {
    private Spaces() {
    }

    /** NAS-Bench-201 with the benchmark's network (C=16, N=5, 10 classes, 32x32 RGB images). */
    public static NasBench201Space nasBench201() {
        return NasBench201Space.standard();
    }

    /** NAS-Bench-101: 7x7 adjacency matrix plus 5 op labels; canonical key = the benchmark's graph hash. */
    public static NasBench101Space nasBench101() {
        return NasBench101Space.create();
    }

    /** The DARTS cell space: normal and reduction cells of 4 nodes over the DARTS op set (without 'none'). */
    public static DartsSpace darts() {
        return DartsSpace.darts();
    }

    /** The NASNet cell space: 5 nodes over the NASNet op set. */
    public static DartsSpace nasnet() {
        return DartsSpace.nasnet();
    }

    /** The PNAS cell space: normal and reduction cells of 5 nodes over the 8 PNAS ops. */
    public static DartsSpace pnas() {
        return DartsSpace.pnas();
    }

    /**
     * The space of progressive PNAS: one cell (normal, and reduction at stride 2) of 1 to 5 blocks over the 8 PNAS
     * ops; a {@link org.nas4j.core.space.ProgressiveSpace} with the paper's 136 one-block cells.
     */
    public static DartsSpace pnasProgressive() {
        return DartsSpace.pnasProgressive();
    }
}
