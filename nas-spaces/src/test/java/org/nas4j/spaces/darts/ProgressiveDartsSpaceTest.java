package org.nas4j.spaces.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Graph;
import org.nas4j.spaces.Spaces;

class ProgressiveDartsSpaceTest {
    private final DartsSpace pnas = DartsSpace.pnasProgressive();
    private final DartsSpace darts = DartsSpace.builder().progressive(true).build();

    @Test
    void thePnasSpaceHasThePapers136OneBlockCells() {
        List<Architecture> level1 = pnas.oneBlockArchitectures();
        assertEquals(136, level1.size());
        assertEquals(136, keys(level1).size());
        level1.forEach(a -> assertEquals(1, pnas.blocks(a)));
        // independently: every 1-block vector (2 inputs x 8 ops per slot), counted up to the order of the slots
        Set<String> brute = new HashSet<>();
        Architecture base = pnas.oneBlockArchitectures().get(0);
        for (int i0 = 0; i0 < 2; i0++) {
            for (int o0 = 0; o0 < 8; o0++) {
                for (int i1 = 0; i1 < 2; i1++) {
                    for (int o1 = 0; o1 < 8; o1++) {
                        brute.add(base.with(0, i0).with(1, o0).with(2, i1).with(3, o1).key());
                    }
                }
            }
        }
        assertEquals(keys(level1), brute);
    }

    @Test
    void thePnasSpaceHasOneCellAndABlockCount() {
        List<Choice> cs = pnas.choices();
        assertEquals(4 * 5 + 1, cs.size());
        assertEquals("cell node 2 input 0", cs.get(0).name());
        assertEquals(new Choice("blocks", Choice.Kind.VALUE, List.of("1", "2", "3", "4", "5")), cs.get(20));
        assertEquals(5, pnas.maxBlocks());
        assertTrue(pnas.progressive() && pnas.sharedCell());
        assertEquals(pnas.identity(), Spaces.pnasProgressive().identity());
        assertEquals("darts(nodes=5, ops=\"" + OpSet.PNAS.ops() + "\", distinctInputs=false, "
                + "concat=UNUSED_INTERMEDIATE, progressive=true, sharedCell=true)", pnas.identity());
        assertEquals(DartsSpace.pnas().identity(), Spaces.pnas().identity());
        assertEquals("darts(nodes=4, ops=\"" + OpSet.DARTS.ops() + "\", distinctInputs=true, "
                + "concat=ALL_INTERMEDIATE, progressive=false, sharedCell=false)", DartsSpace.darts().identity());
    }

    @Test
    void twoCellSpacesCountPairsOfOneBlockCells() {
        // distinct inputs: a 1-block cell reads states 0 and 1, one op each: 7 x 7 cells, for each of two cells
        assertEquals(49 * 49, darts.oneBlockArchitectures().size());
        assertEquals(49 * 49, keys(darts.oneBlockArchitectures()).size());
        assertTrue(DartsSpace.darts().oneBlockArchitectures().isEmpty());
        assertEquals(136 * 136, DartsSpace.builder().nodes(1).ops(OpSet.PNAS).distinctInputs(false).build()
                .oneBlockArchitectures().size());
    }

    @Test
    void sampledArchitecturesRoundTripThroughTheirText() {
        SplittableRandom rng = new SplittableRandom(3);
        for (DartsSpace space : List.of(pnas, darts, DartsSpace.builder().nodes(5).ops(OpSet.NASNET)
                .distinctInputs(false).concat(ConcatRule.UNUSED_INTERMEDIATE).progressive(true).build())) {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                Architecture a = space.sample(rng);
                int b = space.blocks(a);
                seen.add(b);
                assertTrue(space.isValid(a));
                Genotype g = space.genotype(a);
                assertEquals(b, g.nodes(CellType.NORMAL));
                assertEquals(b, g.nodes(CellType.REDUCE));
                assertEquals(a, space.parse(a.toString()), a.toString());
                assertEquals(a, space.canonical(a));
                List<Graph> cells = space.cells(a);
                assertEquals(2, cells.size());
                assertEquals(b + 3, cells.get(0).nodes().size());
                assertEquals(2 * b + g.normalConcat().size(), cells.get(0).edges().size());
                if (space.sharedCell()) {
                    assertEquals(g.normal(), g.reduce());
                }
            }
            assertEquals(space.maxBlocks(), seen.size(), space.identity());
        }
    }

    @Test
    void absentBlocksDoNotChangeTheNetwork() {
        Architecture a = pnas.parse("Genotype(normal=[('sep_conv_3x3', 0), ('max_pool_3x3', 1)], normal_concat=[2],"
                + " reduce=[('sep_conv_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=[2])");
        assertEquals(1, pnas.blocks(a));
        int absent = pnas.choices().size() - 2;   // the last op choice of node 6
        Architecture other = a.with(absent, 5).with(4, 2);
        assertNotEquals(a, other);
        assertFalse(pnas.isValid(other));
        assertTrue(pnas.isValid(a));
        assertEquals(a.key(), other.key());
        assertEquals(a.toString(), other.toString());
        assertEquals(a, pnas.canonical(other));
        assertEquals(a, pnas.parse(other.toString()));
        assertTrue(pnas.neighbours(a).stream().allMatch(n -> !n.key().equals(a.key()) && n.equals(pnas.canonical(n))));
        assertEquals(keys(pnas.neighbours(a)).size(), pnas.neighbours(a).size());
        assertTrue(pnas.neighbours(a).stream().allMatch(pnas::isValid));
        assertTrue(pnas.neighbours(a).stream().anyMatch(n -> pnas.blocks(n) == 2));
    }

    @Test
    void expansionsHaveOneBlockMoreAndKeepTheParentsBlocks() {
        SplittableRandom rng = new SplittableRandom(5);
        for (DartsSpace space : List.of(pnas, darts)) {
            for (int i = 0; i < 12; i++) {
                Architecture parent = space.sample(rng);
                int b = space.blocks(parent);
                if (b == space.maxBlocks()) {
                    assertTrue(space.expansions(parent).isEmpty());
                    assertEquals(0, space.expansionCount(parent));
                    assertThrows(IllegalArgumentException.class, () -> space.randomExpansion(parent, rng));
                    continue;
                }
                long expected = expectedExpansions(space, b);
                assertEquals(expected, space.expansionCount(parent));
                List<Architecture> children;
                if (expected <= 30_000) {
                    children = space.expansions(parent);
                    assertEquals(expected, children.size());
                    assertEquals(children.size(), keys(children).size());
                    Set<String> all = keys(children);
                    assertTrue(all.contains(space.randomExpansion(parent, rng).key()));
                } else {    // two cells of 3 blocks: 490 x 490 expansions, checked on a sample
                    children = new ArrayList<>();
                    for (int k = 0; k < 200; k++) {
                        children.add(space.randomExpansion(parent, rng));
                    }
                }
                Genotype pg = space.genotype(parent);
                for (Architecture c : children) {
                    assertTrue(space.isValid(c));
                    assertEquals(b + 1, space.blocks(c));
                    Genotype cg = space.genotype(c);
                    assertEquals(pg.normal(), cg.normal().subList(0, 2 * b));
                    assertEquals(pg.reduce(), cg.reduce().subList(0, 2 * b));
                }
            }
        }
        assertEquals(300, pnas.expansions(pnas.oneBlockArchitectures().get(0)).size());
    }

    /** Contents of a new node reading {@code b + 2} states, to the power of the cells chosen. */
    private static long expectedExpansions(DartsSpace space, int b) {
        long pairs = (long) (b + 2) * space.ops().size();
        long perCell = space.distinctInputs() ? pairs * (pairs - space.ops().size()) / 2 : pairs * (pairs + 1) / 2;
        return space.sharedCell() ? perCell : perCell * perCell;
    }

    @Test
    void mutationsAreValidCanonicalAndAnotherNetwork() {
        SplittableRandom rng = new SplittableRandom(9);
        Set<Integer> grownOrShrunk = new HashSet<>();
        for (DartsSpace space : List.of(pnas, darts)) {
            for (int i = 0; i < 300; i++) {
                Architecture a = space.sample(rng);
                Architecture m = space.mutate(a, rng);
                assertTrue(space.isValid(m));
                assertEquals(m, space.canonical(m));
                assertNotEquals(a.key(), m.key());
                grownOrShrunk.add(Integer.signum(space.blocks(m) - space.blocks(a)));
            }
        }
        assertEquals(Set.of(-1, 0, 1), grownOrShrunk);
    }

    @Test
    void aFixedBlockCountSpaceIsNotGrown() {
        DartsSpace fixed = DartsSpace.darts();
        Architecture a = fixed.sample(new SplittableRandom(1));
        assertEquals(4, fixed.blocks(a));
        assertEquals(4, fixed.maxBlocks());
        assertTrue(fixed.expansions(a).isEmpty());
        assertFalse(fixed.progressive());
    }

    @Test
    void parseRefusesGenotypesOutsideTheProgressiveSpace() {
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> darts.parse(Genotypes.NASNET.toString()));
        assertTrue(tooMany.getMessage().contains("must have 1 to 4 nodes"), tooMany.getMessage());
        IllegalArgumentException uneven = assertThrows(IllegalArgumentException.class, () -> darts.parse(
                "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_5x5', 1)], normal_concat=[2],"
                + " reduce=[('max_pool_3x3', 0), ('skip_connect', 1), ('max_pool_3x3', 0), ('skip_connect', 1)], reduce_concat=[2, 3])"));
        assertTrue(uneven.getMessage().contains("as many nodes as its normal cell (1)"), uneven.getMessage());
        IllegalArgumentException notShared = assertThrows(IllegalArgumentException.class, () -> pnas.parse(
                "Genotype(normal=[('sep_conv_3x3', 0), ('max_pool_3x3', 1)], normal_concat=[2],"
                + " reduce=[('sep_conv_5x5', 0), ('max_pool_3x3', 1)], reduce_concat=[2])"));
        assertTrue(notShared.getMessage().contains("sharedCell=true"), notShared.getMessage());
    }

    @Test
    void networksOfOneAndThreeBlockCellsAreCounted() {
        Architecture one = pnas.oneBlockArchitectures().get(17);
        Architecture three = pnas.expansions(pnas.expansions(one).get(40)).get(100);
        DartsCostModel small = DartsCostModel.cifar(pnas.genotype(one)).channels(16).layers(5).build();
        DartsCostModel large = DartsCostModel.cifar(pnas.genotype(three)).channels(16).layers(5).build();
        assertTrue(small.parameters() > 0);
        assertTrue(large.parameters() > small.parameters());
        assertEquals(1, small.cells().get(0).ops().size() / 2);
        assertEquals(3, large.cells().get(0).ops().size() / 2);
    }

    private static Set<String> keys(List<Architecture> as) {
        Set<String> out = new HashSet<>();
        as.forEach(a -> out.add(a.key()));
        return out;
    }
}
