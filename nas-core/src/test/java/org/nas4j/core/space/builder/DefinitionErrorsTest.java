package org.nas4j.core.space.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.OpSpecs;

/** Every bad definition fails at build() with its named error and a message that points at the part. */
class DefinitionErrorsTest {

    private static SpaceBuilder base() {
        return SpaceBuilder.create("bad").input(3, 16, 16).layer("stem", "conv_bn_3x3", Width.of(8));
    }

    private static void fails(DefinitionError error, String part, Supplier<Object> build) {
        SpaceDefinitionException e = assertThrows(SpaceDefinitionException.class, build::get);
        assertEquals(error, e.error(), e.getMessage());
        assertTrue(e.getMessage().startsWith(error.name() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void missingInputOrHead() {
        fails(DefinitionError.MISSING_PART, "needs an input shape",
                () -> SpaceBuilder.create("x").head("pool_linear").build());
        fails(DefinitionError.MISSING_PART, "needs a head", () -> base().build());
    }

    @Test
    void unknownOp() {
        fails(DefinitionError.UNKNOWN_OP, "unknown op 'conv_9x9'",
                () -> base().choice("op", List.of("nor_conv_3x3", "conv_9x9")).head("pool_linear").build());
        fails(DefinitionError.UNKNOWN_OP, "unknown op 'nor_conv_9x9' (from 'nor_conv_{k}x{k}')",
                () -> base().value("k", 3, 9).layer("c", "nor_conv_{k}x{k}", Width.same()).head("pool_linear")
                        .build());
        CellTemplate cell = CellTemplate.builder("cell").nodes(1, n -> n.ops("warp_drive")).build();
        fails(DefinitionError.UNKNOWN_OP, "node 'n1': unknown op 'warp_drive'",
                () -> base().cell(cell, Width.same()).head("pool_linear").build());
    }

    @Test
    void emptyChoices() {
        fails(DefinitionError.EMPTY_CHOICE, "op choice 'op' has no op",
                () -> base().choice("op", List.of()).head("pool_linear").build());
        fails(DefinitionError.EMPTY_CHOICE, "value 'w' has no option",
                () -> base().value("w", new int[0]).head("pool_linear").build());
        CellTemplate cell = CellTemplate.builder("cell").nodes(1, n -> n).build();
        fails(DefinitionError.EMPTY_CHOICE, "has no op to choose",
                () -> base().cell(cell, Width.same()).head("pool_linear").build());
    }

    @Test
    void unknownAndUnusedValues() {
        fails(DefinitionError.UNKNOWN_VALUE, "reads value 'width'",
                () -> base().layer("c", "nor_conv_3x3", Width.value("width")).head("pool_linear").build());
        fails(DefinitionError.UNKNOWN_VALUE, "reads value 'k'",
                () -> base().layer("c", "nor_conv_{k}x{k}", Width.same()).head("pool_linear").build());
        fails(DefinitionError.UNKNOWN_VALUE, "reads value 'k'",   // a repetition's value is not seen outside
                () -> base().repeat("r", 1, 2, b -> b.value("k", 3, 5).layer("c", "nor_conv_{k}x{k}", Width.same()))
                        .layer("d", "nor_conv_{k}x{k}", Width.same()).head("pool_linear").build());
        fails(DefinitionError.UNUSED_VALUE, "value 'depth'",
                () -> base().value("depth", 1, 2).head("pool_linear").build());
        fails(DefinitionError.UNUSED_VALUE, "value 'r[0].k'",
                () -> base().repeat("r", 1, 2, b -> b.value("k", 3, 5).layer("c", "nor_conv_3x3", Width.same()))
                        .head("pool_linear").build());
    }

    @Test
    void badValue() {
        fails(DefinitionError.BAD_VALUE, "option 'wide' of value 'w'",
                () -> base().value("w", "8", "wide").layer("c", "nor_conv_3x3", Width.value("w"))
                        .head("pool_linear").build());
        fails(DefinitionError.BAD_VALUE, "width multiplier",
                () -> base().value("m", "0.5", "-1").layer("c", "nor_conv_3x3", Width.scaled(8, "m"))
                        .head("pool_linear").build());
    }

    @Test
    void duplicateNames() {
        fails(DefinitionError.DUPLICATE_NAME, "two parts are named 'stem'",
                () -> base().layer("stem", "nor_conv_3x3", Width.same()).head("pool_linear").build());
        fails(DefinitionError.DUPLICATE_NAME, "two values are named 'k'",
                () -> base().value("k", 3).value("k", 5).head("pool_linear").build());
        fails(DefinitionError.DUPLICATE_NAME, "lists an op twice",
                () -> base().choice("op", List.of("nor_conv_3x3", "nor_conv_3x3")).head("pool_linear").build());
        CellTemplate a = CellTemplate.builder("cell").nodes(1, n -> n.ops("nor_conv_3x3")).build();
        CellTemplate b = CellTemplate.builder("cell").nodes(2, n -> n.ops("nor_conv_3x3")).build();
        fails(DefinitionError.DUPLICATE_NAME, "two different cell templates are named 'cell'",
                () -> base().cell(a, Width.same()).cell(b, Width.same()).head("pool_linear").build());
        CellTemplate twice = CellTemplate.builder("cell").node("x", n -> n.ops("nor_conv_3x3"))
                .node("x", n -> n.ops("nor_conv_3x3")).build();
        fails(DefinitionError.DUPLICATE_NAME, "two states named 'x'",
                () -> base().cell(twice, Width.same()).head("pool_linear").build());
    }

    @Test
    void cellWiring() {
        CellTemplate unknown = CellTemplate.builder("cell").node("a", n -> n.from("0", "b").ops("nor_conv_3x3"))
                .build();
        fails(DefinitionError.UNKNOWN_INPUT, "reads unknown state 'b'",
                () -> base().cell(unknown, Width.same()).head("pool_linear").build());
        CellTemplate cycle = CellTemplate.builder("cell")
                .node("a", n -> n.from("0", "c").ops("nor_conv_3x3"))
                .node("b", n -> n.from("a").ops("nor_conv_3x3"))
                .node("c", n -> n.from("b").ops("nor_conv_3x3")).build();
        fails(DefinitionError.CYCLE, "nodes [a, b, c] read each other in a cycle",
                () -> base().cell(cycle, Width.same()).head("pool_linear").build());
        CellTemplate pick = CellTemplate.builder("cell").nodes(1, n -> n.pick(2).ops("nor_conv_3x3")).build();
        fails(DefinitionError.BAD_INPUT_CHOICE, "pick must be in [1, 1]",
                () -> base().cell(pick, Width.same()).head("pool_linear").build());
        CellTemplate empty = CellTemplate.builder("cell").build();
        fails(DefinitionError.MISSING_PART, "cell 'cell' has no node",
                () -> base().cell(empty, Width.same()).head("pool_linear").build());
    }

    @Test
    void forwardReferencesAreOrdered() {
        CellTemplate cell = CellTemplate.builder("cell")
                .node("late", n -> n.from("early").ops("nor_conv_3x3"))
                .node("early", n -> n.from("0").ops("nor_conv_1x1")).build();
        ComposedSpace space = base().cell(cell, Width.same()).head("pool_linear").build();
        assertEquals("[Edge[from=0, to=1, op=nor_conv_1x1], Edge[from=1, to=2, op=nor_conv_3x3]]",
                space.cells(org.nas4j.core.space.Architecture.of(space)).get(0).edges().toString());
    }

    @Test
    void badRepeat() {
        fails(DefinitionError.BAD_REPEAT, "min=3, max=2",
                () -> base().repeat("r", 3, 2, b -> b.layer("c", "nor_conv_3x3", Width.same())).head("pool_linear")
                        .build());
        fails(DefinitionError.BAD_REPEAT, "min=-1",
                () -> base().repeat("r", -1, 2, b -> b.layer("c", "nor_conv_3x3", Width.same())).head("pool_linear")
                        .build());
        fails(DefinitionError.MISSING_PART, "repeat 'r' has an empty body",
                () -> base().repeat("r", 1, 2, b -> { }).head("pool_linear").build());
    }

    @Test
    void shapesThatCannotMeet() {
        fails(DefinitionError.SHAPE_MISMATCH, "op 'max_pool_3x3' keeps the channels of its input (8)",
                () -> base().choice("op", List.of("nor_conv_3x3", "max_pool_3x3"), Width.of(16), 1)
                        .head("pool_linear").build());
        fails(DefinitionError.SHAPE_MISMATCH, "'r[4].c'",      // 16 -> 8 -> 4 -> 2 -> 1, then an odd size
                () -> base().repeat("r", 1, 6, b -> b.layer("c", "res_block_3x3", Width.same(), 2))
                        .head("pool_linear").build());
        CellTemplate cell = CellTemplate.builder("cell").nodes(1, n -> n.ops("nor_conv_3x3")).build();
        fails(DefinitionError.SHAPE_MISMATCH, "a cell with one input keeps its input's channels",
                () -> base().cell(cell, Width.of(16)).head("pool_linear").build());
        OpCatalogue ops = OpCatalogue.standard().with(OpSpecs.factorizedReduce("halve", true));
        CellTemplate mixed = CellTemplate.builder("cell").nodes(2, n -> n.ops("nor_conv_3x3", "halve")).build();
        fails(DefinitionError.SHAPE_MISMATCH, "could sum inputs of different shapes",
                () -> base().catalogue(ops).cell(mixed, Width.same()).head("pool_linear").build());
    }

    @Test
    void userOpsJoinTheCatalogue() {
        OpCatalogue ops = OpCatalogue.standard().with(OpSpecs.reluConvBn("my_conv_9x9", 9, false));
        ComposedSpace space = base().catalogue(ops).layer("c", "my_conv_9x9", Width.same()).head("pool_linear")
                .build();
        assertEquals(3 * 8 * 9 + 16 + 8 * 8 * 81 + 8 * 10 + 10, space.parameters(
                org.nas4j.core.space.Architecture.of(space)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ops.with(OpSpecs.zero("none")));
        assertTrue(e.getMessage().contains("op 'none' is already in the catalogue"));
    }
}
