package org.nas4j.spaces.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Graph;

class DartsSpaceTest {
    private final DartsSpace darts = DartsSpace.darts();

    @Test
    void choiceVectorHasTwoInputAndTwoOpChoicesPerNodeAndCell() {
        List<Choice> cs = darts.choices();
        assertEquals(2 * 4 * 4, cs.size());
        assertEquals("normal node 2 input 0", cs.get(0).name());
        assertEquals(Choice.Kind.INPUT, cs.get(0).kind());
        assertEquals(List.of("0", "1"), cs.get(0).options());
        assertEquals("normal node 2 op 0", cs.get(1).name());
        assertEquals(OpSet.DARTS.ops(), cs.get(1).options());
        assertEquals("reduce node 5 op 1", cs.get(31).name());
        assertEquals(List.of("0", "1", "2", "3", "4"), cs.get(30).options());
        assertFalse(darts.ops().contains("none"));
    }

    @Test
    void publishedDartsGenotypesAreMembersAndRoundTrip() {
        for (Genotype g : List.of(Genotypes.DARTS_V1, Genotypes.DARTS_V2, Genotypes.PDARTS,
                Genotypes.PC_DARTS_CIFAR, Genotypes.PC_DARTS_IMAGE)) {
            Architecture a = darts.architecture(g);
            assertTrue(darts.isValid(a));
            assertEquals(g, darts.genotype(a));
            assertEquals(g.toString(), a.toString());
            assertEquals(a, darts.parse(a.toString()));
        }
    }

    @Test
    void nasnetAndAmoebaNetAreMembersOfTheNasnetSpace() {
        DartsSpace nasnet = DartsSpace.nasnet();
        for (Genotype g : List.of(Genotypes.NASNET, Genotypes.AMOEBANET)) {
            Architecture a = nasnet.architecture(g);
            assertEquals(g, nasnet.genotype(a));
            assertEquals(a, nasnet.parse(g.toString()));
        }
        assertEquals(Genotypes.AMOEBANET, DartsSpace.pnas().genotype(DartsSpace.pnas().architecture(Genotypes.AMOEBANET)));
        assertEquals(13, nasnet.ops().size());
    }

    @Test
    void parseRefusesGenotypesOutsideTheSpace() {
        IllegalArgumentException nodes = assertThrows(IllegalArgumentException.class,
                () -> darts.parse(Genotypes.NASNET.toString()));
        assertTrue(nodes.getMessage().contains("must have 4 nodes"), nodes.getMessage());
        DartsSpace five = DartsSpace.builder().nodes(5).distinctInputs(false).build();
        IllegalArgumentException concat = assertThrows(IllegalArgumentException.class,
                () -> five.parse(Genotypes.NASNET.toString()));
        assertTrue(concat.getMessage().contains("normal_concat") || concat.getMessage().contains("reduce_concat"),
                concat.getMessage());
        DartsSpace fiveUnused = DartsSpace.builder().nodes(5).distinctInputs(false)
                .concat(ConcatRule.UNUSED_INTERMEDIATE).build();
        IllegalArgumentException op = assertThrows(IllegalArgumentException.class,
                () -> fiveUnused.parse(Genotypes.NASNET.toString()));
        assertTrue(op.getMessage().contains("operation 'sep_conv_7x7' of the reduce cell is not in this space"),
                op.getMessage());
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> darts.parse(Genotypes.DARTS_V2.toString().replace("[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)",
                        "[('sep_conv_3x3', 0), ('sep_conv_3x3', 0)")));
        assertTrue(same.getMessage().contains("same state twice"), same.getMessage());
    }

    @Test
    void sampleMutateAndNeighboursStayValid() {
        for (DartsSpace space : List.of(darts, DartsSpace.nasnet(), DartsSpace.builder().nodes(2).build())) {
            SplittableRandom rng = new SplittableRandom(7);
            for (int i = 0; i < 200; i++) {
                Architecture a = space.sample(rng);
                assertTrue(space.isValid(a));
                assertEquals(a, space.parse(a.toString()));
                Architecture m = space.mutate(a, rng);
                assertTrue(space.isValid(m));
                assertEquals(1, differences(a, m));
            }
            Architecture center = space.sample(rng);
            List<Architecture> ns = space.neighbours(center);
            assertFalse(ns.isEmpty());
            for (Architecture n : ns) {
                assertTrue(space.isValid(n));
                assertEquals(1, differences(center, n));
            }
        }
    }

    @Test
    void sampleNeverProposesNoneByDefaultAndNeverRepeatsAnInput() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 500; i++) {
            Genotype g = darts.genotype(darts.sample(rng));
            for (CellType t : CellType.values()) {
                List<Genotype.Pair> ps = g.pairs(t);
                for (int p = 0; p < ps.size(); p += 2) {
                    assertNotEquals(ps.get(p).input(), ps.get(p + 1).input());
                }
                assertTrue(ps.stream().noneMatch(p -> p.op().equals("none")));
            }
        }
    }

    /** Node 3 (4 input options): with distinct inputs each ordered pair of states has probability 1/12 (seeded). */
    @Test
    void sampleIsUniformOverValidInputPairs() {
        SplittableRandom rng = new SplittableRandom(11);
        Map<String, Integer> counts = new HashMap<>();
        int n = 24_000;
        for (int i = 0; i < n; i++) {
            Architecture a = darts.sample(rng);
            counts.merge(a.option("normal node 4 input 0") + a.option("normal node 4 input 1"), 1, Integer::sum);
        }
        assertEquals(12, counts.size());
        for (int c : counts.values()) {
            assertEquals(n / 12.0, c, n / 12.0 * 0.1);
        }
    }

    @Test
    void includeNoneAddsTheZeroOp() {
        DartsSpace supernet = DartsSpace.builder().includeNone(true).build();
        assertEquals("none", supernet.ops().get(0));
        assertEquals(8, supernet.choices().get(1).size());
        assertNotEquals(darts.identity(), supernet.identity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> darts.parse(Genotypes.DARTS_V2.toString().replace("dil_conv_3x3", "none")));
        assertTrue(e.getMessage().contains("operation 'none'"), e.getMessage());
        assertEquals("none", supernet.genotype(supernet.parse(Genotypes.DARTS_V2.toString()
                .replace("dil_conv_3x3", "none"))).normal().get(7).op());
    }

    @Test
    void canonicalKeyTreatsTheTwoPairsOfANodeAsUnordered() {
        Architecture a = darts.architecture(Genotypes.DARTS_V2);
        // DARTS_V2 normal node 2 is (sep_conv_3x3, 0) + (sep_conv_3x3, 1); write it the other way round
        Architecture swapped = darts.parse(Genotypes.DARTS_V2.toString().replace(
                "normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)", "normal=[('sep_conv_3x3', 1), ('sep_conv_3x3', 0)"));
        assertNotEquals(a, swapped);
        assertEquals(a.key(), swapped.key());
        Architecture other = darts.parse(Genotypes.DARTS_V2.toString().replace(
                "normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)", "normal=[('sep_conv_5x5', 0), ('sep_conv_3x3', 1)"));
        assertNotEquals(a.key(), other.key());
    }

    @Test
    void cellsAreTheNormalAndReduceGraphs() {
        List<Graph> cells = darts.cells(darts.architecture(Genotypes.DARTS_V2));
        assertEquals(2, cells.size());
        Graph normal = cells.get(0);
        assertEquals("normal", normal.name());
        assertEquals("reduce", cells.get(1).name());
        assertEquals(7, normal.nodes().size());
        assertEquals(Graph.Combine.INPUT, normal.nodes().get(1).combine());
        assertEquals(Graph.Combine.SUM, normal.nodes().get(2).combine());
        assertEquals(Graph.Combine.CONCAT, normal.nodes().get(6).combine());
        assertEquals(List.of(new Graph.Edge(0, 2, "sep_conv_3x3"), new Graph.Edge(1, 2, "sep_conv_3x3")),
                normal.inputsOf(2));
        assertEquals(new Graph.Edge(2, 5, "dil_conv_3x3"), normal.inputsOf(5).get(1));
        assertEquals(4, normal.inputsOf(6).size());
        // NASNet's reduce cell concatenates only the unused nodes 4, 5, 6
        DartsSpace nasnet = DartsSpace.nasnet();
        Graph reduce = nasnet.cells(nasnet.architecture(Genotypes.NASNET)).get(1);
        assertEquals(List.of(4, 5, 6), reduce.inputsOf(7).stream().map(Graph.Edge::from).toList());
    }

    @Test
    void builderValidatesAtOnce() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DartsSpace.builder().nodes(0))
                .getMessage().contains("nodes must be in [1, 16], but was 0"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DartsSpace.builder().ops(List.of("sep_conv_3x3", "conv_9x9")))
                .getMessage().contains("unknown operation 'conv_9x9'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DartsSpace.builder().ops(List.of("none", "sep_conv_3x3")))
                .getMessage().contains("includeNone"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DartsSpace.builder().ops(List.of("sep_conv_3x3", "sep_conv_3x3")))
                .getMessage().contains("distinct"));
        DartsSpace custom = DartsSpace.builder().nodes(3).ops(List.of("sep_conv_3x3", "skip_connect")).build();
        assertEquals(2 * 3 * 4, custom.choices().size());
        assertEquals(List.of("sep_conv_3x3", "skip_connect"), custom.ops());
    }

    @Test
    void architecturesOfAnotherSpaceAreRefused() {
        Architecture other = DartsSpace.builder().includeNone(true).build().sample(new SplittableRandom(3));
        assertThrows(IllegalArgumentException.class, () -> darts.genotype(other));
    }

    @Test
    void sampledArchitecturesBuildNetworks() {
        SplittableRandom rng = new SplittableRandom(5);
        for (DartsSpace space : List.of(darts, DartsSpace.nasnet(), DartsSpace.pnas())) {
            for (int i = 0; i < 20; i++) {
                DartsCostModel net = DartsCostModel.cifar(space.genotype(space.sample(rng))).layers(8).channels(16)
                        .auxiliary(true).build();
                assertTrue(net.parameters() > net.parametersWithoutAuxiliary());
            }
        }
    }

    private static int differences(Architecture a, Architecture b) {
        int d = 0;
        for (int i = 0; i < a.size(); i++) {
            if (a.index(i) != b.index(i)) {
                d++;
            }
        }
        return d;
    }
}
