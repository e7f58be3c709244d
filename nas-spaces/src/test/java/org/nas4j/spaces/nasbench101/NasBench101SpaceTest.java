package org.nas4j.spaces.nasbench101;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Graph;

class NasBench101SpaceTest {
    private final NasBench101Space space = NasBench101Space.create();

    @Test
    void choiceVectorIs21EdgesThen5Ops() {
        List<Choice> choices = space.choices();
        assertEquals(26, choices.size());
        assertEquals("edge 0->1", choices.get(0).name());
        assertEquals("edge 0->6", choices.get(5).name());
        assertEquals("edge 1->2", choices.get(6).name());
        assertEquals("edge 5->6", choices.get(20).name());
        for (int k = 0; k < 21; k++) {
            assertEquals(Choice.Kind.INPUT, choices.get(k).kind());
            assertEquals(List.of("0", "1"), choices.get(k).options());
        }
        for (int k = 21; k < 26; k++) {
            assertEquals(Choice.Kind.OPERATION, choices.get(k).kind());
            assertEquals(NasBench101Ops.OPERATIONS, choices.get(k).options());
        }
        assertEquals((1L << 21) * 243, space.vectorCount());
    }

    @Test
    void formatParseRoundTripAndKeyIsTheBenchmarkHash() {
        Architecture a = space.parse(Nb101Data.INCEPTION);
        assertEquals(Nb101Data.INCEPTION, a.toString());
        assertEquals(a, space.parse(a.toString()));
        assertEquals("28cfc7874f6d200472e1a9dcd8650aa0", a.key());
        assertEquals(2_694_282L, space.parameters(a));
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            Architecture s = space.sample(rng);
            assertEquals(s, space.parse(space.format(s)));
        }
    }

    @Test
    void prunedSubsetCellsPlacedInTheSevenVertexCellKeepTheirHash() {
        for (Nb101Data.Row row : Nb101Data.subset()) {
            NasBench101Cell pruned = row.cell().pruned().orElseThrow();
            Architecture a = space.parse(pruned.toString());
            assertTrue(space.isValid(a));
            assertEquals(row.hash(), a.key());
            assertEquals(pruned, space.cell(a).pruned().orElseThrow());
        }
    }

    @Test
    void validityFollowsTheBenchmark() {
        Architecture empty = Architecture.of(space, new int[26]);
        assertFalse(space.isValid(empty));
        assertEquals(space.format(empty), empty.key()); // no hash without a path: the text form instead
        int[] direct = new int[26];
        direct[5] = 1; // edge 0->6
        assertTrue(space.isValid(Architecture.of(space, direct)));
        int[] all = new int[26];
        java.util.Arrays.fill(all, 0, 21, 1);
        assertFalse(space.isValid(Architecture.of(space, all))); // 21 edges
    }

    @Test
    void cellsArePrunedGraphsWithOpsOnNodesAndAConcatOutput() {
        Graph g = space.cells(space.parse(Nb101Data.INCEPTION)).get(0);
        assertEquals(7, g.nodes().size());
        assertEquals(Graph.Combine.INPUT, g.nodes().get(0).combine());
        assertEquals("conv1x1-bn-relu", g.nodes().get(1).op());
        assertEquals(Graph.Combine.SUM, g.nodes().get(1).combine());
        assertEquals(Graph.Combine.CONCAT, g.nodes().get(6).combine());
        assertEquals(9, g.edges().size());
        assertTrue(g.edges().stream().allMatch(e -> e.op().equals("identity")));
        Architecture withDeadEnd = space.parse(
                "adjacency=0100011/0000001/0000000/0000000/0000000/0000000/0000000;"
                        + "ops=input|conv3x3-bn-relu|maxpool3x3|maxpool3x3|maxpool3x3|maxpool3x3|output");
        Graph p = space.cells(withDeadEnd).get(0);
        assertEquals(3, p.nodes().size()); // vertex 5 has no way to the output
        assertThrows(IllegalArgumentException.class, () -> space.cells(Architecture.of(space, new int[26])));
    }

    @Test
    void samplesAreAlwaysValidAndCoverTheOpsEvenly() {
        SplittableRandom rng = new SplittableRandom(11);
        int[] opCounts = new int[3];
        Set<String> keys = new HashSet<>();
        int n = 3000;
        for (int i = 0; i < n; i++) {
            Architecture a = space.sample(rng);
            assertTrue(space.isValid(a), a::toString);
            assertTrue(space.cell(a).isValid());
            opCounts[a.index(21)]++;
            keys.add(a.key());
        }
        for (int c : opCounts) {
            assertEquals(n / 3.0, c, 0.06 * n, "op 1 counts " + java.util.Arrays.toString(opCounts));
        }
        // uniform over vectors is not uniform over cells: pruning maps many vectors to the same small cells
        // (1,211 distinct hashes in these 3,000 draws)
        assertTrue(keys.size() > n / 3, "distinct cells " + keys.size());
    }

    @Test
    void sameSeedSameSamplesAndMutations() {
        SplittableRandom r1 = new SplittableRandom(5);
        SplittableRandom r2 = new SplittableRandom(5);
        Architecture a = space.sample(r1);
        assertEquals(a, space.sample(r2));
        assertEquals(space.mutate(a, r1), space.mutate(a, r2));
    }

    @Test
    void mutationsAreValidDifferentAndFlipAboutOneEdgeInSeven() {
        SplittableRandom rng = new SplittableRandom(17);
        Architecture parent = space.parse(Nb101Data.INCEPTION);
        int n = 2000;
        long edgeChanges = 0;
        long opChanges = 0;
        for (int i = 0; i < n; i++) {
            Architecture child = space.mutate(parent, rng);
            assertTrue(space.isValid(child), child::toString);
            assertNotEquals(parent, child);
            for (int k = 0; k < 26; k++) {
                if (child.index(k) != parent.index(k)) {
                    if (k < 21) {
                        edgeChanges++;
                    } else {
                        opChanges++;
                    }
                }
            }
            parent = i % 10 == 9 ? space.sample(rng) : child;
        }
        // rate 1.0: 21/7 = 3 edge flips and 1 op change expected before rejection of invalid/unchanged children
        double edges = edgeChanges / (double) n;
        double ops = opChanges / (double) n;
        assertTrue(edges > 1.8 && edges < 3.5, "edge flips per mutation " + edges);
        assertTrue(ops > 0.7 && ops < 1.5, "op changes per mutation " + ops);
    }

    @Test
    void lowerMutationRateChangesLess() {
        NasBench101Space gentle = space.withMutationRate(0.3);
        SplittableRandom rng = new SplittableRandom(23);
        Architecture parent = gentle.parse(Nb101Data.INCEPTION);
        long changes = 0;
        for (int i = 0; i < 1000; i++) {
            Architecture child = gentle.mutate(parent, rng);
            assertTrue(gentle.isValid(child));
            for (int k = 0; k < 26; k++) {
                changes += child.index(k) != parent.index(k) ? 1 : 0;
            }
        }
        assertTrue(changes / 1000.0 < 2.0, "changes per mutation " + changes / 1000.0);
        assertThrows(IllegalArgumentException.class, () -> space.withMutationRate(0));
        assertThrows(IllegalArgumentException.class, () -> space.withMutationRate(Double.NaN));
    }

    @Test
    void badInputIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> space.parse(
                "adjacency=01/00/00;ops=input|output"));
        assertTrue(e.getMessage().contains("square"), e.getMessage());
        NasBench101Cell eight = NasBench101Cell.of(new int[8][8], List.of("input", "maxpool3x3", "maxpool3x3",
                "maxpool3x3", "maxpool3x3", "maxpool3x3", "maxpool3x3", "output"));
        e = assertThrows(IllegalArgumentException.class, () -> space.architecture(eight));
        assertTrue(e.getMessage().contains("at most 7 vertices, but had 8"), e.getMessage());
    }
}
