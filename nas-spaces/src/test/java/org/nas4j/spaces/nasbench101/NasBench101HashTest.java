package org.nas4j.spaces.nasbench101;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NasBench101HashTest {

    @Test
    void md5MatchesTheJdkForEveryLengthAroundTheBlockBoundaries() throws Exception {
        Random rng = new Random(7);
        Md5 md5 = new Md5();
        for (int len = 0; len < 300; len++) {
            byte[] data = new byte[len + 5];
            rng.nextBytes(data);
            md5.digest(data, len);
            MessageDigest jdk = MessageDigest.getInstance("MD5");
            jdk.update(data, 0, len);
            assertEquals(HexFormat.of().formatHex(jdk.digest()), Md5.hexString(md5.hi(), md5.lo()), "length " + len);
        }
    }

    @Test
    void inceptionLikeCellHashesAsInTheBenchmarkReadme() {
        assertEquals("28cfc7874f6d200472e1a9dcd8650aa0", NasBench101Cell.parse(Nb101Data.INCEPTION).hash());
    }

    @Test
    void allCellsOfTheSubsetHashToTheirBenchmarkHash() {
        List<Nb101Data.Row> rows = Nb101Data.subset();
        assertEquals(500, rows.size());
        for (Nb101Data.Row row : rows) {
            assertEquals(row.hash(), row.cell().hash(), row.cell().toString());
        }
    }

    @Test
    void genericHashMatchesTheCellHashWithTheBenchmarkLabels() {
        NasBench101Cell cell = NasBench101Cell.parse(Nb101Data.INCEPTION);
        assertEquals(cell.hash(), NasBench101Hash.hash(cell.matrix(), new int[] {-1, 1, 0, 0, 0, 2, -2}));
        assertNotEquals(cell.hash(), NasBench101Hash.hash(cell.matrix(), new int[] {-1, 0, 0, 0, 0, 2, -2}));
    }

    @Test
    void isomorphicCellsShareTheHash() {
        // vertices 1 and 2 swapped, with their ops
        NasBench101Cell a = NasBench101Cell.parse(
                "adjacency=0110/0001/0001/0000;ops=input|conv3x3-bn-relu|maxpool3x3|output");
        NasBench101Cell b = NasBench101Cell.parse(
                "adjacency=0110/0001/0001/0000;ops=input|maxpool3x3|conv3x3-bn-relu|output");
        assertEquals(a.hash(), b.hash());
    }

    @Test
    void hashOfADisconnectedCellIsRefused() {
        NasBench101Cell c = NasBench101Cell.parse("adjacency=010/000/000;ops=input|maxpool3x3|output");
        assertThrows(IllegalStateException.class, c::hash);
    }

    @Test
    void twoVertexGraphHashIsThePythonOne() {
        // hash_module([[0,1],[0,0]], [-1,-2]): the md5 chain written out by hand in Java's MessageDigest
        String h0 = md5("(1, 0, -1)");
        String h1 = md5("(0, 1, -2)");
        for (int round = 0; round < 2; round++) {
            String n0 = md5("|" + h1 + "|" + h0);
            String n1 = md5(h0 + "||" + h1);
            h0 = n0;
            h1 = n1;
        }
        String first = h0.compareTo(h1) < 0 ? h0 : h1;
        String second = h0.compareTo(h1) < 0 ? h1 : h0;
        String expected = md5("['" + first + "', '" + second + "']");
        assertEquals(expected, NasBench101Hash.hash(new int[][] {{0, 1}, {0, 0}}, new int[] {-1, -2}));
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
