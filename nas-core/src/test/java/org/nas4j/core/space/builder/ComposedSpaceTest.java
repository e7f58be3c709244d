package org.nas4j.core.space.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Graph;

class ComposedSpaceTest {

    static final List<String> NB201_OPS = List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3",
            "avg_pool_3x3");

    /** A stem of a shared width, 1-3 blocks of a chosen op and kernel, a residual reduction, one dense cell. */
    static SpaceBuilder blocks() {
        CellTemplate cell = CellTemplate.builder("cell").nodes(3, n -> n.ops(NB201_OPS)).build();
        return SpaceBuilder.create("blocks").input(1, 28, 28).classes(10)
                .value("width", 8, 16)
                .layer("stem", "conv_bn_3x3", Width.value("width"))
                .repeat("blocks", 1, 3, b -> b.value("k", 3, 5)
                        .choice("op", List.of("nor_conv_{k}x{k}", "sep_conv_{k}x{k}", "skip_connect")))
                .layer("reduce", "res_block_3x3", Width.times(2), 2)
                .cell(cell, Width.same())
                .head("bn_relu_pool_linear");
    }

    /**
     * Batch statistics in inference (ENAS' micro search child) is part of the definition: it shows in the text and
     * the identity, so two spaces that differ only by it are different spaces with the same choices.
     */
    @Test
    void batchStatisticsInInferenceIsPartOfTheDefinition() {
        ComposedSpace running = blocks().build();
        ComposedSpace batch = blocks().batchStatisticsInInference(true).build();
        assertFalse(running.batchStatisticsInInference());
        assertTrue(batch.batchStatisticsInInference());
        assertFalse(running.definition().contains("batch statistics"), running.definition());
        assertTrue(batch.definition().contains("\n  batch norm: batch statistics in inference\n"), batch.definition());
        assertNotEquals(running, batch);
        assertEquals(running.choices(), batch.choices());
    }

    /** Dropout in inference (ENAS' micro search child) is part of the definition too: text and identity. */
    @Test
    void dropoutInInferenceIsPartOfTheDefinition() {
        ComposedSpace plain = blocks().build();
        ComposedSpace dropping = blocks().dropoutInInference(true).build();
        assertFalse(plain.dropoutInInference());
        assertTrue(dropping.dropoutInInference());
        assertFalse(plain.definition().contains("dropout"), plain.definition());
        assertTrue(dropping.definition().contains("\n  dropout: also in inference\n"), dropping.definition());
        assertNotEquals(plain, dropping);
        assertEquals(plain.choices(), dropping.choices());
    }

    @Test
    void choicesFollowTheDefinition() {
        ComposedSpace space = blocks().build();
        List<String> names = space.choices().stream().map(Choice::name).toList();
        assertEquals(List.of("width", "blocks", "blocks[0].k", "blocks[0].op", "blocks[1].k", "blocks[1].op",
                "blocks[2].k", "blocks[2].op", "cell.n1.op0", "cell.n2.op0", "cell.n2.op1", "cell.n3.op0",
                "cell.n3.op1", "cell.n3.op2"), names);
        assertEquals(List.of("1", "2", "3"), space.choices().get(1).options());
        assertEquals(Choice.Kind.VALUE, space.choices().get(0).kind());
        assertEquals(Choice.Kind.OPERATION, space.choices().get(3).kind());
    }

    @Test
    void textFormReadsBackAndLeavesAbsentRepetitionsOut() {
        ComposedSpace space = blocks().build();
        String text = "width=16; blocks=2; blocks[0].k=5; blocks[0].op=sep_conv_{k}x{k}; blocks[1].k=3;"
                + " blocks[1].op=skip_connect; cell.n1=nor_conv_3x3~0; cell.n2=none~0+skip_connect~1;"
                + " cell.n3=avg_pool_3x3~0+nor_conv_1x1~1+none~2";
        Architecture a = space.parse(text);
        assertEquals(text, a.toString());
        assertEquals("16", a.option("width"));
        assertEquals(0, a.index(6));          // blocks[2].k: absent, option 0
        SplitMix64 rng = new SplitMix64(3);
        for (int i = 0; i < 500; i++) {
            Architecture s = space.sample(rng);
            assertEquals(s, space.parse(s.toString()), s.toString());
        }
    }

    @Test
    void parseNamesTheBadEntry() {
        ComposedSpace space = blocks().build();
        String ok = "width=8; blocks=1; blocks[0].k=3; blocks[0].op=skip_connect; cell.n1=none~0;"
                + " cell.n2=none~0+none~1; cell.n3=none~0+none~1+none~2";
        space.parse(ok);
        assertMessage(() -> space.parse(ok.replace("width=8", "widht=8")), "unknown key 'widht'");
        assertMessage(() -> space.parse(ok.replace("width=8", "width=12")), "unknown option '12'");
        assertMessage(() -> space.parse(ok.replace("blocks[0].k=3; ", "")), "missing 'blocks[0].k'");
        assertMessage(() -> space.parse(ok + "; blocks[1].k=3"), "'blocks[1].k' is given, but its repetition");
        assertMessage(() -> space.parse(ok.replace("cell.n1=none~0", "cell.n1=conv_9x9~0")), "unknown op 'conv_9x9'");
        assertMessage(() -> space.parse(ok.replace("none~0+none~1;", "none~1+none~0;")), "input 0 reads state 0");
        assertMessage(() -> space.parse(ok.replace("cell.n1=none~0", "cell.n1=none")), "must be op~state");
        assertMessage(() -> space.parse(ok.replace("none~0+none~1;", "none~0;")), "needs 2 inputs");
    }

    @Test
    void costsComeFromTheCatalogueFormulas() {
        ComposedSpace space = blocks().build();
        Architecture a = space.parse("width=8; blocks=1; blocks[0].k=3; blocks[0].op=nor_conv_{k}x{k};"
                + " cell.n1=none~0; cell.n2=none~0+none~1; cell.n3=none~0+none~1+none~2");
        // stem 1*8*9+16; block 8*8*9+16; residual 8*16*9+32 + 16*16*9+32 + 8*16; head 2*16 + 16*10 + 10
        assertEquals(88 + 592 + 3648 + 202, space.parameters(a));
        // stem 28*28*8*9; block 28*28*8*8*9; residual at 14x14: 196*16*8*9 + 196*16*16*9 + 196*16*8; head 16*10
        assertEquals(56_448 + 451_584 + 702_464 + 160, space.multiplyAdds(a));
        NetworkPlan plan = space.plan(a);
        assertEquals(List.of("stem", "blocks[0].op", "reduce", "cell#0", "head"),
                plan.steps().stream().map(NetworkPlan.Step::name).toList());
        assertEquals("10x1x1", plan.output().toString());
        Architecture conv = a.with(0, 1);   // width 16: stem and block both follow
        assertEquals(16, ((NetworkPlan.LayerStep) space.plan(conv).steps().get(1)).output().channels());
        assertEquals(32, space.plan(conv).steps().get(3).output().channels());
    }

    @Test
    void oneValueGovernsEveryLayerThatReadsIt() {
        ComposedSpace space = SpaceBuilder.create("shared").input(3, 8, 8)
                .value("width", 4, 6)
                .value("k", 3, 5)
                .layer("a", "nor_conv_{k}x{k}", Width.value("width"))
                .layer("b", "nor_conv_{k}x{k}", Width.value("width"))
                .head("pool_linear").build();
        assertEquals(2, space.choices().size());
        for (int w = 0; w < 2; w++) {
            for (int k = 0; k < 2; k++) {
                NetworkPlan plan = space.plan(Architecture.of(space, w, k));
                NetworkPlan.LayerStep a = (NetworkPlan.LayerStep) plan.steps().get(0);
                NetworkPlan.LayerStep b = (NetworkPlan.LayerStep) plan.steps().get(1);
                assertEquals(a.op(), b.op());
                assertEquals(a.output().channels(), b.output().channels());
                assertEquals(k == 0 ? "nor_conv_3x3" : "nor_conv_5x5", a.op());
            }
        }
    }

    @Test
    void samplingDrawsEachDepthAboutAsOften() {
        ComposedSpace space = blocks().build();
        SplitMix64 rng = new SplitMix64(11);
        int[] depth = new int[3];
        int n = 3000;
        for (int i = 0; i < n; i++) {
            Architecture a = space.sample(rng);
            assertTrue(space.isValid(a));
            depth[a.index(1)]++;
        }
        for (int d : depth) {
            assertEquals(1000, d, 90, "each depth 1/3 of 3000 draws (tolerance ~5 sd)");
        }
    }

    @Test
    void absentRepetitionsMustBeOptionZero() {
        ComposedSpace space = blocks().build();
        Architecture a = space.parse("width=8; blocks=1; blocks[0].k=3; blocks[0].op=skip_connect; cell.n1=none~0;"
                + " cell.n2=none~0+none~1; cell.n3=none~0+none~1+none~2");
        assertTrue(space.isValid(a));
        assertFalse(space.isValid(a.with(4, 1)));   // blocks[1].k set while blocks=1
        assertTrue(space.isValid(a.with(1, 1).with(4, 1)));
    }

    @Test
    void mutationChangesTheNetworkAndStaysValid() {
        ComposedSpace space = blocks().build();
        SplitMix64 rng = new SplitMix64(5);
        Architecture a = space.sample(rng);
        for (int i = 0; i < 500; i++) {
            Architecture child = space.mutate(a, rng);
            assertTrue(space.isValid(child), child.toString());
            assertNotEquals(a, child);
            a = child;
        }
        List<Architecture> neighbours = space.neighbours(a);
        assertFalse(neighbours.isEmpty());
        neighbours.forEach(nb -> assertTrue(space.isValid(nb)));
    }

    @Test
    void keyIsEqualForTheSameNetwork() {
        ComposedSpace space = blocks().build();
        String base = "width=8; blocks=1; blocks[0].k=3; blocks[0].op=skip_connect; cell.n1=nor_conv_3x3~0;"
                + " cell.n2=nor_conv_1x1~0+skip_connect~1; cell.n3=none~0+none~1+avg_pool_3x3~2";
        Architecture a = space.parse(base);
        // the kernel does not matter to a skip connection
        assertEquals(a.key(), space.parse(base.replace("blocks[0].k=3", "blocks[0].k=5")).key());
        // an identity layer is no layer: one block of skip_connect is the same network as two
        assertEquals(a.key(), space.parse(base.replace("blocks=1; blocks[0].k=3; blocks[0].op=skip_connect",
                "blocks=2; blocks[0].k=3; blocks[0].op=skip_connect; blocks[1].k=5; blocks[1].op=skip_connect"))
                .key());
        // a different op is a different network
        assertNotEquals(a.key(), space.parse(base.replace("blocks[0].op=skip_connect",
                "blocks[0].op=nor_conv_{k}x{k}")).key());
        // a zero input: node 2's op on the input does not matter when node 3 reads node 2 only through none
        String cutOff = base.replace("none~0+none~1+avg_pool_3x3~2", "none~0+nor_conv_3x3~1+none~2");
        assertEquals(space.parse(cutOff).key(), space.parse(cutOff.replace("nor_conv_1x1~0+skip_connect~1",
                "avg_pool_3x3~0+nor_conv_3x3~1")).key());
    }

    @Test
    void constraintsBoundEveryMember() {
        ComposedSpace space = blocks().maxParameters(6_000)
                .constraint("no skip connection in block 0", a -> !a.option("blocks[0].op").equals("skip_connect"))
                .build();
        SplitMix64 rng = new SplitMix64(9);
        Architecture a = space.sample(rng);
        for (int i = 0; i < 300; i++) {
            Architecture s = space.sample(rng);
            assertTrue(space.parameters(s) <= 6_000, s.toString());
            assertNotEquals("skip_connect", s.option("blocks[0].op"));
            a = space.mutate(a, rng);
            assertTrue(space.parameters(a) <= 6_000);
            assertNotEquals("skip_connect", a.option("blocks[0].op"));
        }
        assertTrue(space.identity().contains("constraint parameters <= 6000"), space.identity());
        assertTrue(space.identity().contains("constraint no skip connection in block 0"));
    }

    @Test
    void graphsShowTheCellAndTheNetwork() {
        ComposedSpace space = blocks().build();
        Architecture a = space.parse("width=8; blocks=2; blocks[0].k=3; blocks[0].op=skip_connect; blocks[1].k=3;"
                + " blocks[1].op=sep_conv_{k}x{k}; cell.n1=nor_conv_3x3~0; cell.n2=nor_conv_1x1~0+skip_connect~1;"
                + " cell.n3=none~0+none~1+avg_pool_3x3~2");
        List<Graph> graphs = space.cells(a);
        assertEquals(List.of("cell", "network"), graphs.stream().map(Graph::name).toList());
        Graph cell = graphs.get(0);
        assertEquals(4, cell.nodes().size());
        assertEquals(new Graph.Edge(2, 3, "avg_pool_3x3"), cell.edges().get(5));
        List<String> ops = graphs.get(1).edges().stream().map(Graph.Edge::op).toList();
        assertEquals(List.of("conv_bn_3x3", "skip_connect", "sep_conv_3x3", "res_block_3x3", "cell:cell",
                "bn_relu_pool_linear"), ops);
    }

    @Test
    void twoInputCellsPickDistinctInputsAndConcatenate() {
        List<String> ops = List.of("sep_conv_3x3", "max_pool_3x3", "skip_connect");
        CellTemplate normal = CellTemplate.builder("normal").inputs(2).output(CellOutput.CONCAT_ALL)
                .nodes(2, n -> n.pick(2).ops(ops)).build();
        CellTemplate reduce = normal.reducing("reduce");
        ComposedSpace space = SpaceBuilder.create("mini-darts").input(3, 16, 16)
                .layer("stem", "conv_bn_3x3", Width.of(12))
                .cell(normal, Width.of(4)).cell(reduce, Width.of(8)).cell(normal, Width.of(8))
                .head("pool_linear").build();
        // node n2 reads both inputs (2 of 2): op choices only; n3 picks 2 of 3 states
        assertEquals(12, space.choices().size());
        assertEquals("normal.n3.in0", space.choices().get(2).name());
        assertEquals(List.of("0", "1", "2"), space.choices().get(2).options());
        Architecture a = space.parse("normal.n2=sep_conv_3x3~0+skip_connect~1; normal.n3=max_pool_3x3~2+sep_conv_3x3~0;"
                + " reduce.n2=skip_connect~0+max_pool_3x3~1; reduce.n3=sep_conv_3x3~2+skip_connect~1");
        assertTrue(space.isValid(a));
        assertFalse(space.isValid(space.parse("normal.n2=sep_conv_3x3~0+skip_connect~1;"
                + " normal.n3=max_pool_3x3~0+sep_conv_3x3~0; reduce.n2=skip_connect~0+max_pool_3x3~1;"
                + " reduce.n3=sep_conv_3x3~2+skip_connect~1")));
        // swapping the two inputs of a node is the same network
        Architecture swapped = space.parse("normal.n2=sep_conv_3x3~0+skip_connect~1;"
                + " normal.n3=sep_conv_3x3~0+max_pool_3x3~2; reduce.n2=skip_connect~0+max_pool_3x3~1;"
                + " reduce.n3=sep_conv_3x3~2+skip_connect~1");
        assertNotEquals(a, swapped);
        assertEquals(a.key(), swapped.key());
        NetworkPlan plan = space.plan(a);
        NetworkPlan.CellStep first = (NetworkPlan.CellStep) plan.steps().get(1);
        assertEquals("8x16x16", first.output().toString());
        assertEquals(java.util.Arrays.asList("relu_conv_bn_1x1", "relu_conv_bn_1x1"), first.preprocess());
        NetworkPlan.CellStep red = (NetworkPlan.CellStep) plan.steps().get(2);
        assertEquals("16x8x8", red.output().toString());
        assertEquals(2, red.edges().get(0).stride());
        NetworkPlan.CellStep after = (NetworkPlan.CellStep) plan.steps().get(3);
        assertEquals("factorized_reduce", after.preprocess().get(0));
        Set<String> keys = new HashSet<>();
        SplitMix64 rng = new SplitMix64(1);
        for (int i = 0; i < 300; i++) {
            Architecture s = space.sample(rng);
            assertTrue(space.isValid(s));
            assertEquals(s, space.parse(s.toString()));
            keys.add(s.key());
        }
        assertTrue(keys.size() > 250);
    }

    static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
