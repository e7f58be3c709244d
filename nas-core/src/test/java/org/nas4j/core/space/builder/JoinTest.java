package org.nas4j.core.space.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Graph;

/** Joins: steps reading several earlier parts, each through an op choice, summed, then an op. */
class JoinTest {

    /** A layer, then a join of its output (an op choice) and an optional skip from the stem, then BN. */
    private static ComposedSpace space() {
        return SpaceBuilder.create("joined").input(1, 8, 8).classes(3)
                .layer("stem", "conv_bn_3x3", Width.of(4))
                .layer("a", "nor_conv_3x3", Width.same())
                .join("b", j -> j.input("op", "a", "nor_conv_3x3", "nor_conv_1x1")
                        .input("skip", "stem", "none", "skip_connect").then("batch_norm"))
                .join("r", j -> j.input("reduce", "b", "enas_factorized_reduce").stride(2).width(Width.of(8)))
                .head("pool_linear").build();
    }

    @Test
    void aJoinIsOneOpChoicePerInputAndItsPlanReadsTheNamedSteps() {
        ComposedSpace space = space();
        assertEquals(List.of("b.op", "b.skip"), space.choices().stream().map(c -> c.name()).toList());
        Architecture a = space.parse("b.op=nor_conv_1x1; b.skip=skip_connect");
        NetworkPlan plan = space.plan(a);
        NetworkPlan.CellStep b = (NetworkPlan.CellStep) plan.steps().get(2);
        assertTrue(b.join());
        assertEquals(List.of(2, 1), b.sources());   // the output of step 1 ('a') and of step 0 ('stem')
        assertEquals("batch_norm", b.graph().nodes().get(2).op());
        // nor_conv_1x1 4 -> 4 with BN, the identity, then BN: 16 + 8 + 0 + 8
        assertEquals(32, b.parameters());
        NetworkPlan.CellStep r = (NetworkPlan.CellStep) plan.steps().get(3);
        assertEquals("8x4x4", r.output().toString());
        assertTrue(r.reduction());
        // the network graph draws each join's inputs from the states they read
        Graph network = space.cells(a).get(0);
        assertTrue(network.edges().contains(new Graph.Edge(1, 3, "skip_connect")), network.toString());
        assertEquals("batch_norm", network.nodes().get(3).op());
    }

    @Test
    void theKeyIsTheComputationAndTheDefinitionTextListsTheInputs() {
        ComposedSpace space = space();
        Architecture with = space.parse("b.op=nor_conv_3x3; b.skip=skip_connect");
        Architecture without = space.parse("b.op=nor_conv_3x3; b.skip=none");
        assertNotEquals(space.canonicalKey(with), space.canonicalKey(without));
        assertTrue(space.canonicalKey(with).contains("join(s1+s2@nor_conv_3x3).batch_norm>4"),
                space.canonicalKey(with));
        assertTrue(space.canonicalKey(without).contains("join(s2@nor_conv_3x3).batch_norm>4"),
                space.canonicalKey(without));
        assertTrue(space.definition().contains("\n  join b -> same, then batch_norm:\n"
                + "    input op from a: [nor_conv_3x3, nor_conv_1x1]\n"
                + "    input skip from stem: [none, skip_connect]\n"
                + "  join r -> 8, stride 2:\n"
                + "    input reduce from b: enas_factorized_reduce\n"), space.definition());
    }

    private static void fails(DefinitionError error, String part, Supplier<Object> build) {
        SpaceDefinitionException e = assertThrows(SpaceDefinitionException.class, build::get);
        assertEquals(error, e.error(), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static SpaceBuilder base() {
        return SpaceBuilder.create("bad").input(1, 8, 8).layer("stem", "conv_bn_3x3", Width.of(4))
                .layer("a", "nor_conv_3x3", Width.same());
    }

    @Test
    void badJoinsAreNamed() {
        fails(DefinitionError.UNKNOWN_INPUT, "join 'j', input 'x' reads 'later', which is not an earlier part here",
                () -> base().join("j", j -> j.input("x", "later", "skip_connect")).head("pool_linear").build());
        fails(DefinitionError.UNKNOWN_INPUT, "reads 'j'",
                () -> base().join("j", j -> j.input("x", "j", "skip_connect")).head("pool_linear").build());
        fails(DefinitionError.MISSING_PART, "join 'j' has no input",
                () -> base().join("j", j -> { }).head("pool_linear").build());
        fails(DefinitionError.DUPLICATE_NAME, "join 'j' has two inputs labelled 'x'",
                () -> base().join("j", j -> j.input("x", "a", "skip_connect").input("x", "stem", "none"))
                        .head("pool_linear").build());
        fails(DefinitionError.EMPTY_CHOICE, "op choice 'j.x' has no op",
                () -> base().join("j", j -> j.input("x", "a")).head("pool_linear").build());
        fails(DefinitionError.UNKNOWN_OP, "'j.x': unknown op 'warp_drive'",
                () -> base().join("j", j -> j.input("x", "a", "warp_drive")).head("pool_linear").build());
        fails(DefinitionError.UNKNOWN_OP, "join 'j': unknown op 'warp_drive' after the sum",
                () -> base().join("j", j -> j.input("x", "a", "skip_connect").then("warp_drive"))
                        .head("pool_linear").build());
        // a skip from the 8x8 stem into a join whose other input was reduced to 4x4
        fails(DefinitionError.SHAPE_MISMATCH, "a join sums maps of one shape",
                () -> base().join("r", j -> j.input("x", "a", "enas_factorized_reduce").stride(2))
                        .join("j", j -> j.input("x", "r", "skip_connect").input("s", "stem", "none", "skip_connect"))
                        .head("pool_linear").build());
        fails(DefinitionError.SHAPE_MISMATCH, "op 'skip_connect' keeps the channels of its input (4) but the join's"
                + " width asks for 6", () -> base().join("j", j -> j.input("x", "a", "nor_conv_3x3", "skip_connect")
                        .width(Width.of(6))).head("pool_linear").build());
        assertEquals("stride of a join must be 1 or 2, but was 3", assertThrows(IllegalArgumentException.class,
                () -> base().join("j", j -> j.stride(3))).getMessage());
    }
}
