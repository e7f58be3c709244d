package org.nas4j.core.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.testing.ChainSpace;

class SpaceRestrictionTest {
    private final ChainSpace chain = new ChainSpace(4, 5);
    private final SpaceRestriction restriction = SpaceRestriction.none()
            .remove("edge 0", "o0", "o1")
            .remove("edge 2", "o4")
            .pin("edge 3", "o2");

    @Test
    void samplesNeverHoldARemovedOptionAndAlwaysThePinnedOne() {
        RestrictedSpace space = restriction.applyTo(chain);
        SplittableRandom rng = new SplittableRandom(1);
        int n = 30_000;
        int[] edge0 = new int[5];
        for (int k = 0; k < n; k++) {
            Architecture a = space.sample(rng);
            assertSame(chain, a.space(), "restricted samples are architectures of the wrapped space");
            assertFalse(Set.of("o0", "o1").contains(a.option(0)), a.toString());
            assertNotEquals("o4", a.option(2), a.toString());
            assertEquals("o2", a.option(3), a.toString());
            edge0[a.index(0)]++;
        }
        // the three allowed options of edge 0 are drawn uniformly: 1/3 each, within 5 standard deviations of a share
        double tolerance = 5 * Math.sqrt((1.0 / 3) * (2.0 / 3) / n);
        for (int o = 2; o < 5; o++) {
            assertEquals(1.0 / 3, (double) edge0[o] / n, tolerance, "share of o" + o);
        }
    }

    @Test
    void mutationsStayInsideTheRestrictionAndChangeOneChoice() {
        RestrictedSpace space = restriction.applyTo(chain);
        SplittableRandom rng = new SplittableRandom(2);
        Architecture a = space.sample(rng);
        for (int k = 0; k < 5_000; k++) {
            Architecture child = space.mutate(a, rng);
            assertTrue(space.allows(child), child.toString());
            int changed = 0;
            for (int i = 0; i < child.size(); i++) {
                changed += child.index(i) != a.index(i) ? 1 : 0;
            }
            assertEquals(1, changed, a + " -> " + child);
            a = child;
        }
    }

    @Test
    void aParentFromAWiderRoundMutatesIntoTheRestriction() {
        RestrictedSpace space = restriction.applyTo(chain);
        Architecture wide = chain.parse("o0-o0-o4-o4");
        SplittableRandom rng = new SplittableRandom(3);
        for (int k = 0; k < 1_000; k++) {
            assertTrue(space.allows(space.mutate(wide, rng)));
        }
    }

    @Test
    void neighboursAndValidityFollowTheRestriction() {
        RestrictedSpace space = restriction.applyTo(chain);
        Architecture a = chain.parse("o2-o0-o0-o2");
        assertTrue(space.isValid(a));
        assertFalse(space.isValid(chain.parse("o1-o0-o0-o2")), "removed option o1 on edge 0");
        assertFalse(space.isValid(chain.parse("o2-o0-o0-o3")), "edge 3 is pinned to o2");
        // edge 0: 2 other allowed options, edge 1: 4, edge 2: 3, edge 3: none
        assertEquals(2 + 4 + 3, space.neighbours(a).size());
        space.neighbours(a).forEach(n -> assertTrue(space.allows(n), n.toString()));
        assertEquals(3L * 5 * 4 * 1, space.vectorCount());
    }

    @Test
    void identityNamesTheRestrictionAndEqualsTheWrappedOneWhenEmpty() {
        assertEquals(chain.identity(), SpaceRestriction.none().applyTo(chain).identity());
        String identity = restriction.applyTo(chain).identity();
        assertEquals(chain.identity() + " restricted to {remove edge 0=[o0, o1]; remove edge 2=[o4]; pin edge 3=o2}",
                identity);
        assertEquals(restriction, new SpaceRestriction(Map.of("edge 2", Set.of("o4"), "edge 0", Set.of("o1", "o0")),
                Map.of("edge 3", "o2")), "value equality whatever the order of insertion");
    }

    @Test
    void formatParseAndCellsAreTheWrappedSpaces() {
        RestrictedSpace space = restriction.applyTo(chain);
        Architecture a = chain.parse("o2-o0-o0-o2");
        assertEquals("o2-o0-o0-o2", space.format(a));
        assertEquals(a, space.parse("o2-o0-o0-o2"));
        assertEquals(chain.cells(a), space.cells(Architecture.of(space, a.vector())));
        assertEquals(List.of("o2", "o3", "o4"), space.allowedOptions(0));
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException unknownChoice = assertThrows(IllegalArgumentException.class,
                () -> SpaceRestriction.none().remove("edge 9", "o0").applyTo(chain));
        assertTrue(unknownChoice.getMessage().contains("removed names choice 'edge 9'"), unknownChoice.getMessage());
        IllegalArgumentException unknownOption = assertThrows(IllegalArgumentException.class,
                () -> SpaceRestriction.none().pin("edge 1", "conv").applyTo(chain));
        assertTrue(unknownOption.getMessage().contains("pinned names option 'conv' of choice 'edge 1'"),
                unknownOption.getMessage());
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class,
                () -> SpaceRestriction.none().remove("edge 1", "o0", "o1", "o2", "o3", "o4").applyTo(chain));
        assertTrue(all.getMessage().contains("at least one option of choice 'edge 1'"), all.getMessage());
        IllegalArgumentException pinnedRemoved = assertThrows(IllegalArgumentException.class,
                () -> SpaceRestriction.none().remove("edge 1", "o3").pin("edge 1", "o3").applyTo(chain));
        assertTrue(pinnedRemoved.getMessage().contains("pinned option 'o3' of choice 'edge 1'"),
                pinnedRemoved.getMessage());
    }
}
