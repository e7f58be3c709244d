package org.nas4j.spaces.nasbench101;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class NasBench101EnumerationTest {

    /**
     * The benchmark's figure; 6 to 20 s with 2 threads on the project's shared 2-core machine, so tagged "slow"
     * (it still runs in a plain {@code mvn test}; {@code -DexcludedGroups=slow} skips it).
     */
    @Test
    @Tag("slow")
    void wholeSpaceHas423624UniqueGraphs() {
        NasBench101Enumeration.Counts c = NasBench101Enumeration.count(7, 9, 2);
        assertEquals(423_624, c.total());
        assertEquals(List.of(1, 6, 84, 2441, 62010, 359082), c.uniqueByVertices());
        assertEquals(1_293_208L, c.labelled());
        assertEquals(c.total(), c.hashed()); // one hash per isomorphism class, and no two classes share one
    }

    @Test
    void classRepresentativesGiveTheSameCountsAsHashingEveryLabelledGraph() {
        for (int[] limits : new int[][] {{5, 9}, {6, 6}}) {
            NasBench101Enumeration.Counts fast = NasBench101Enumeration.count(limits[0], limits[1], 2);
            NasBench101Enumeration.Counts all = NasBench101Enumeration.countExhaustive(limits[0], limits[1], 2);
            assertEquals(all.uniqueByVertices(), fast.uniqueByVertices());
            assertEquals(all.total(), fast.total());
            assertEquals(all.labelled(), fast.labelled());
        }
    }

    @Test
    void smallSpacesByHand() {
        // 3 vertices: the chain 0->1->2 and the chain plus 0->2, each with 3 ops
        assertEquals(List.of(1, 6), NasBench101Enumeration.count(3, 9, 1).uniqueByVertices());
        // at most 2 edges: only the chain
        assertEquals(List.of(1, 3), NasBench101Enumeration.count(3, 2, 1).uniqueByVertices());
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> NasBench101Enumeration.count(8, 9, 1));
        assertThrows(IllegalArgumentException.class, () -> NasBench101Enumeration.count(7, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> NasBench101Enumeration.count(7, 9, 0));
    }
}
