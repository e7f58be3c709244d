package org.nas4j.spaces.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GenotypeTest {
    private static final String DARTS_V2_TEXT = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1),"
            + " ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0),"
            + " ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0),"
            + " ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0),"
            + " ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";

    @Test
    void printsTheReferenceText() {
        assertEquals(DARTS_V2_TEXT, Genotypes.DARTS_V2.toString());
        assertEquals(Genotypes.DARTS_V2, Genotype.parse(DARTS_V2_TEXT));
    }

    @Test
    void everyShippedGenotypeRoundTrips() {
        for (String name : Genotypes.names()) {
            Genotype g = Genotypes.byName(name);
            assertEquals(g, Genotype.parse(g.toString()), name);
        }
    }

    @Test
    void readsRangeConcatPositionalArgumentsDoubleQuotesAndLayout() {
        Genotype g = Genotype.parse("Genotype(\n  normal = [\n    (\"sep_conv_3x3\", 0),\n    ('sep_conv_3x3', 1),\n  ],\n"
                + "  normal_concat = range(2, 3),\n  reduce = [('max_pool_3x3', 0), ('skip_connect', 1)],\n"
                + "  reduce_concat = [2],\n)");
        assertEquals(List.of(2), g.normalConcat());
        assertEquals(List.of(2), g.reduceConcat());
        assertEquals(1, g.nodes(CellType.NORMAL));
        Genotype positional = Genotype.parse("Genotype([('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], [2],"
                + " [('max_pool_3x3', 0), ('skip_connect', 1)], range(2, 3))");
        assertEquals(g, positional);
        Genotype reordered = Genotype.parse("Genotype(reduce_concat=[2], reduce=[('max_pool_3x3', 0), ('skip_connect', 1)],"
                + " normal_concat=[2], normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)])");
        assertEquals(g, reordered);
    }

    @Test
    void rangeConcatEqualsTheList() {
        String withRange = DARTS_V2_TEXT.replace("normal_concat=[2, 3, 4, 5]", "normal_concat=range(2, 6)")
                .replace("reduce_concat=[2, 3, 4, 5]", "reduce_concat=range(2, 6)");
        assertEquals(Genotypes.DARTS_V2, Genotype.parse(withRange));
    }

    @Test
    void unknownOpIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Genotype.parse(DARTS_V2_TEXT.replace("dil_conv_3x3", "dil_conv_9x9")));
        assertTrue(e.getMessage().contains("unknown operation 'dil_conv_9x9'"), e.getMessage());
    }

    @Test
    void badNodeIndexIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Genotype.parse(DARTS_V2_TEXT.replace("('dil_conv_3x3', 2)", "('dil_conv_3x3', 5)")));
        assertTrue(e.getMessage().contains("input of normal pair 7 ('dil_conv_3x3', 5) (node 5) must be in [0, 4],"
                + " but was 5"), e.getMessage());
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
                () -> Genotype.pair("sep_conv_3x3", -1));
        assertTrue(neg.getMessage().contains("must be >= 0, but was -1"), neg.getMessage());
    }

    @Test
    void badConcatIsNamed() {
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> Genotype.parse(DARTS_V2_TEXT.replace("normal_concat=[2, 3, 4, 5]", "normal_concat=[2, 3, 6]")));
        assertTrue(range.getMessage().contains("normal_concat must be in [0, 5], but [2, 3, 6] has 6"),
                range.getMessage());
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> Genotype.parse(DARTS_V2_TEXT.replace("reduce_concat=[2, 3, 4, 5]", "reduce_concat=[2, 2]")));
        assertTrue(dup.getMessage().contains("reduce_concat must be distinct"), dup.getMessage());
    }

    @Test
    void oddPairCountIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Genotype.parse("Genotype(normal=[('sep_conv_3x3', 0)], normal_concat=[2],"
                        + " reduce=[('max_pool_3x3', 0), ('skip_connect', 1)], reduce_concat=[2])"));
        assertTrue(e.getMessage().contains("normal must hold two pairs per node"), e.getMessage());
    }

    @Test
    void malformedTextNamesThePositionAndToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Genotype.parse("Genotype(normal=[('sep_conv_3x3' 0)])"));
        assertTrue(e.getMessage().contains("expected ','") && e.getMessage().contains("'0)])'"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Genotype.parse("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], normal_concat=[2])"));
        assertTrue(missing.getMessage().contains("must give the field 'reduce'"), missing.getMessage());
        IllegalArgumentException field = assertThrows(IllegalArgumentException.class,
                () -> Genotype.parse("Genotype(normal_cat=[2])"));
        assertTrue(field.getMessage().contains("unknown field 'normal_cat'"), field.getMessage());
    }
}
