package org.nas4j.spaces.nasbench101;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NasBench101CostModelTest {

    @Test
    void inceptionLikeCellHasTheBenchmarksTrainableParameterCount() {
        assertEquals(2_694_282L, NasBench101CostModel.benchmark().parameters(NasBench101Cell.parse(Nb101Data.INCEPTION)));
    }

    /**
     * NASLib counts the same network in PyTorch; its column (millions, 6 decimals) agrees with ours to the
     * parameter for all 500 cells.
     */
    @Test
    void subsetMatchesNaslibsCountExactlyForAll500Cells() {
        List<Nb101Data.Row> rows = Nb101Data.subset();
        int exact = 0;
        for (Nb101Data.Row r : rows) {
            long ours = NasBench101CostModel.benchmark().parameters(r.cell());
            assertEquals(Math.round(r.paramsMillions() * 1e6), ours, r.cell().toString());
            exact++;
        }
        assertEquals(500, exact);
    }

    @Test
    void vertexChannelsSplitTheOutputAmongItsInputsFirstOnesGetTheRemainder() {
        // 0->1, 0->2, 0->3, 1->4, 2->4, 3->4: three vertices feed the output
        NasBench101Cell cell = NasBench101Cell.parse(
                "adjacency=01110/00001/00001/00001/00000;ops=input|conv3x3-bn-relu|conv1x1-bn-relu|maxpool3x3|output");
        assertArrayEquals(new int[] {128, 43, 43, 42, 128}, NasBench101CostModel.vertexChannels(cell, 128, 128));
        // interior vertex 1 feeds only vertex 2 and takes its channels
        NasBench101Cell chain = NasBench101Cell.parse(
                "adjacency=0100/0010/0001/0000;ops=input|conv3x3-bn-relu|conv3x3-bn-relu|output");
        assertArrayEquals(new int[] {64, 256, 256, 256}, NasBench101CostModel.vertexChannels(chain, 64, 256));
    }

    @Test
    void cellParametersFollowTheProjectionAndOpRules() {
        // input -> conv3x3 -> output, plus input -> output: projection to the vertex, its conv, projection to out
        NasBench101Cell cell = NasBench101Cell.parse(
                "adjacency=011/001/000;ops=input|conv3x3-bn-relu|output");
        long expected = (16L * 32 + 2 * 32) + (32L * 32 * 9 + 2 * 32) + (16L * 32 + 2 * 32);
        assertEquals(expected, NasBench101CostModel.cellParameters(cell.pruned().orElseThrow(), 16, 32));
        // a max pool has no parameters: only the projection into it counts
        NasBench101Cell pool = NasBench101Cell.parse("adjacency=010/001/000;ops=input|maxpool3x3|output");
        assertEquals(16L * 32 + 2 * 32, NasBench101CostModel.cellParameters(pool, 16, 32));
    }

    @Test
    void inputWiredStraightToOutputIsOneProjectionPerCell() {
        NasBench101Cell direct = NasBench101Cell.parse("adjacency=01/00;ops=input|output");
        long stem = 3L * 128 * 9 + 256;
        long cells = 3 * (128L * 128 + 256) + (128L * 256 + 512) + 2 * (256L * 256 + 512)
                + (256L * 512 + 1024) + 2 * (512L * 512 + 1024);
        assertEquals(stem + cells + 512 * 10 + 10, NasBench101CostModel.benchmark().parameters(direct));
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NasBench101CostModel(0, 3, 3, 3, 10));
        assertTrue(e.getMessage().contains("stemChannels") && e.getMessage().contains("0"), e.getMessage());
        NasBench101Cell cut = NasBench101Cell.parse("adjacency=010/000/000;ops=input|conv3x3-bn-relu|output");
        assertThrows(IllegalArgumentException.class, () -> NasBench101CostModel.benchmark().parameters(cut));
    }
}
