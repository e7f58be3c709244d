package org.nas4j.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nas4j.spaces.darts.Genotype;
import org.nas4j.spaces.darts.Genotypes;

/** Bad names and malformed architecture texts fail at once, naming what was wrong and the value given. */
class BadInputTest {

    private static void fails(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void unknownGenotypeName() {
        fails("unknown genotype name 'DARTS_V3'; known names: [NASNet, AmoebaNet, DARTS_V1, DARTS_V2, PDARTS, "
                + "PC_DARTS_cifar, PC_DARTS_image, DARTS, PCDARTS, NASNet-A, AmoebaNet-A]",
                () -> Genotypes.byName("DARTS_V3"));
    }

    @Test
    void malformedNasBench201ArchStrings() {
        fails("arch string must have 3 '+'-separated nodes, but had 2: '|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|'",
                () -> Spaces.nasBench201().parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|"));
        fails("unknown op 'conv_5x5' in arch string token 'conv_5x5~0'; known ops: [none, skip_connect, "
                + "nor_conv_1x1, nor_conv_3x3, avg_pool_3x3]", () -> Spaces.nasBench201().parse(
                "|conv_5x5~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|none~1|none~2|"));
        fails("input of arch string token 'nor_conv_3x3~1' must be in [0, 1), but was 1", () -> Spaces.nasBench201()
                .parse("|nor_conv_3x3~1|+|nor_conv_3x3~0|none~1|+|skip_connect~0|none~1|none~2|"));
        fails("arch string token must be op~input, but was 'nor_conv_3x3'", () -> Spaces.nasBench201()
                .parse("|nor_conv_3x3|+|nor_conv_3x3~0|none~1|+|skip_connect~0|none~1|none~2|"));
    }

    @Test
    void malformedNasBench101Text() {
        fails("text must look like 'adjacency=<rows of 0/1 separated by />;ops=<labels separated by |>', but was "
                + "'hello'", () -> Spaces.nasBench101().parse("hello"));
        fails("adjacency row 0 must hold only 0 and 1, but was '012' in "
                + "'adjacency=012/001/000;ops=input|conv3x3-bn-relu|output'",
                () -> Spaces.nasBench101().parse("adjacency=012/001/000;ops=input|conv3x3-bn-relu|output"));
        fails("ops must have one label per matrix row (3), but had 2: [input, output]",
                () -> Spaces.nasBench101().parse("adjacency=011/001/000;ops=input|output"));
        fails("ops[1] must be one of [conv3x3-bn-relu, conv1x1-bn-relu, maxpool3x3], but was 'conv5x5'",
                () -> Spaces.nasBench101().parse("adjacency=011/001/000;ops=input|conv5x5|output"));
    }

    @Test
    void malformedDartsGenotypeText() {
        fails("genotype text: expected a genotype, Genotype(normal=[('op', input), ...], normal_concat=[...], "
                + "reduce=[...], reduce_concat=[...]), at position 0, but found 'hello'",
                () -> Genotype.parse("hello"));
        fails("genotype text: expected ')' at position 64, but found end of text", () -> Genotype.parse(
                "Genotype(normal=[('sep_conv_3x3', 0)], normal_concat=range(2, 6)"));
        fails("in field 'normal' at position 17: unknown operation 'sep_conv_9x9' in pair ('sep_conv_9x9', 0); "
                + "known operations: [none, max_pool_3x3, avg_pool_3x3, max_pool_5x5, max_pool_7x7, skip_connect, "
                + "sep_conv_3x3, sep_conv_5x5, sep_conv_7x7, dil_conv_3x3, dil_conv_5x5, conv_1x1, conv_3x3, "
                + "conv_3x1_1x3, conv_7x1_1x7]", () -> Genotype.parse("Genotype(normal=[('sep_conv_9x9', 0), "
                + "('sep_conv_3x3', 1)], normal_concat=range(2, 3), reduce=[('max_pool_3x3', 0), "
                + "('max_pool_3x3', 1)], reduce_concat=range(2, 3))"));
        fails("input of normal pair 1 ('sep_conv_3x3', 5) (node 2) must be in [0, 1], but was 5",
                () -> Genotype.parse("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 5)], "
                        + "normal_concat=range(2, 3), reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], "
                        + "reduce_concat=range(2, 3))"));
    }
}
