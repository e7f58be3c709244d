package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GenotypeInfoTest {

    private static String[] run(int expectedCode, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GenotypeInfo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectedCode, code, err.toString(StandardCharsets.UTF_8));
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void printsCountsForANamedGenotype() {
        String out = run(0, "DARTS_V2")[0];
        assertTrue(out.startsWith("params=3349342 flops=528359040\n"), out);
        assertTrue(out.contains("  node 5 = skip_connect(0) + dil_conv_3x3(2)"), out);
        assertTrue(out.contains("  output = concat[2, 3, 4, 5]"), out);
    }

    @Test
    void auxiliaryImagenetAndSizesAreApplied() {
        assertTrue(run(0, "DARTS_V2", "--auxiliary")[0].startsWith("params=3825768 "));
        assertTrue(run(0, "DARTS_V2", "--imagenet")[0].startsWith("params=4718752 flops=529911552"));
        String small = run(0, "DARTS_V2", "--channels", "16", "--layers", "8")[0];
        assertTrue(small.contains("C=16 layers=8"), small);
    }

    @Test
    void acceptsGenotypeText() {
        String text = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], normal_concat=range(2, 3),"
                + " reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=[2])";
        String out = run(0, text)[0];
        assertTrue(out.contains("normal cell:\n  node 2 = sep_conv_3x3(0) + sep_conv_3x3(1)"), out);
    }

    @Test
    void badArgumentsExitWithUsage() {
        assertTrue(run(2, "NOPE")[1].contains("unknown genotype name 'NOPE'"));
        assertTrue(run(2, "DARTS_V2", "--channels", "x")[1]
                .contains("Invalid value for option '--channels': 'x' is not an int"));
        String missing = run(2)[1];
        assertTrue(missing.contains("Missing required parameter: 'GENOTYPE'"), missing);
        assertTrue(missing.contains("Usage: genotype [-hV] [--auxiliary] [--imagenet]"), missing);
        assertTrue(missing.contains("DARTS_V2"), "the names in the usage: " + missing);
    }
}
