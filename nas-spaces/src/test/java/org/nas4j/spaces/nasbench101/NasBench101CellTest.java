package org.nas4j.spaces.nasbench101;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NasBench101CellTest {
    private static final String C3 = NasBench101Ops.CONV3X3;
    private static final String C1 = NasBench101Ops.CONV1X1;
    private static final String MP = NasBench101Ops.MAXPOOL3X3;

    @Test
    void pruningDropsVerticesOffEveryInputOutputPathAndRenumbers() {
        // vertex 2 has no input (dead start), vertex 3 no way to the output (dead end)
        NasBench101Cell cell = NasBench101Cell.parse(
                "adjacency=010100/000001/000001/000000/000000/000000;ops=input|conv3x3-bn-relu|maxpool3x3|"
                        + "conv1x1-bn-relu|maxpool3x3|output");
        NasBench101Cell p = cell.pruned().orElseThrow();
        assertEquals("adjacency=010/001/000;ops=input|conv3x3-bn-relu|output", p.toString());
        assertEquals(3, p.vertexCount());
        assertEquals(2, p.edgeCount());
    }

    @Test
    void pruningKeepsAConnectedCellAsItIs() {
        NasBench101Cell inception = NasBench101Cell.parse(Nb101Data.INCEPTION);
        assertEquals(inception, inception.pruned().orElseThrow());
    }

    @Test
    void disconnectedCellHasNoPrunedFormAndIsInvalid() {
        NasBench101Cell cell = NasBench101Cell.parse("adjacency=0100/0010/0000/0000;ops=input|conv3x3-bn-relu|"
                + "conv3x3-bn-relu|output");
        assertTrue(cell.pruned().isEmpty());
        assertFalse(cell.isValid());
    }

    @Test
    void validityCountsEdgesAfterPruning() {
        // 10 edges in all, but the 2 into dead-end vertex 5 are pruned: 8 remain
        int[][] m = new int[7][7];
        int[][] edges = {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {1, 6}, {2, 6}, {3, 6}, {4, 6}, {0, 5}, {1, 5}};
        for (int[] e : edges) {
            m[e[0]][e[1]] = 1;
        }
        NasBench101Cell cell = NasBench101Cell.of(m, List.of("input", C3, C3, C3, C3, C3, "output"));
        assertEquals(10, cell.edgeCount());
        assertTrue(cell.isValid());
        assertEquals(8, cell.pruned().orElseThrow().edgeCount());
        // wire vertex 5 to the output: 11 edges, all kept
        m[5][6] = 1;
        assertFalse(NasBench101Cell.of(m, List.of("input", C3, C3, C3, C3, C3, "output")).isValid());
    }

    @Test
    void subsetCellsPruneToTheirRecordedSize() {
        for (Nb101Data.Row row : Nb101Data.subset()) {
            NasBench101Cell p = row.cell().pruned().orElseThrow();
            assertTrue(row.cell().isValid(), row.cell().toString());
            assertEquals(row.prunedVertices(), p.vertexCount(), row.cell().toString());
            assertEquals(row.prunedEdges(), p.edgeCount(), row.cell().toString());
        }
    }

    @Test
    void textFormRoundTrips() {
        NasBench101Cell c = NasBench101Cell.parse(Nb101Data.INCEPTION);
        assertEquals(Nb101Data.INCEPTION, c.toString());
        assertEquals(c, NasBench101Cell.parse(c.toString()));
        assertEquals(List.of("input", C1, C3, C3, C3, MP, "output"), c.ops());
        assertTrue(c.hasEdge(3, 4));
        assertFalse(c.hasEdge(4, 3));
    }

    @Test
    void badMatricesAreRefusedNamingTheProblem() {
        List<String> ops3 = List.of("input", C3, "output");
        assertMessage(() -> NasBench101Cell.of(new int[][] {{0, 1}, {0, 0}, {0, 0}}, ops3), "square");
        assertMessage(() -> NasBench101Cell.of(new int[][] {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}}, ops3),
                "matrix[2][0] was 1");
        assertMessage(() -> NasBench101Cell.of(new int[][] {{0, 2, 0}, {0, 0, 1}, {0, 0, 0}}, ops3),
                "matrix[0][1] was 2");
        assertMessage(() -> NasBench101Cell.of(new int[][] {{0}}, List.of("input")), "but had 1");
        assertMessage(() -> NasBench101Cell.of(new int[3][3], List.of("input", "output")), "one label per matrix row");
    }

    @Test
    void badOpsAreRefusedNamingTheValue() {
        int[][] m = {{0, 1, 0}, {0, 0, 1}, {0, 0, 0}};
        assertMessage(() -> NasBench101Cell.of(m, List.of("input", "conv5x5", "output")), "ops[1]", "'conv5x5'");
        assertMessage(() -> NasBench101Cell.of(m, List.of(C3, C3, "output")), "ops[0] must be 'input'");
        assertMessage(() -> NasBench101Cell.of(m, List.of("input", C3, C3)), "ops[2] must be 'output'");
        assertMessage(() -> NasBench101Ops.label("avgpool"), "op must be one of", "'avgpool'");
    }

    @Test
    void malformedTextIsRefusedNamingIt() {
        assertMessage(() -> NasBench101Cell.parse("0110/0001"), "text must look like");
        assertMessage(() -> NasBench101Cell.parse("adjacency=01/0x;ops=input|output"), "row 1", "'0x'");
    }

    private static void assertMessage(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' should contain '" + p + "'");
        }
    }
}
