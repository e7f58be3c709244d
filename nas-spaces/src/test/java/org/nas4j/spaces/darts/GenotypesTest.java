package org.nas4j.spaces.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GenotypesTest {

    @Test
    void namesAreThoseOfTheReferenceFiles() {
        assertEquals(List.of("NASNet", "AmoebaNet", "DARTS_V1", "DARTS_V2", "PDARTS", "PC_DARTS_cifar",
                "PC_DARTS_image"), Genotypes.names());
    }

    @Test
    void lookupIsCaseInsensitiveWithAliases() {
        assertSame(Genotypes.DARTS_V2, Genotypes.byName("DARTS"));
        assertSame(Genotypes.DARTS_V2, Genotypes.byName("darts_v2"));
        assertSame(Genotypes.PC_DARTS_CIFAR, Genotypes.byName("PCDARTS"));
        assertSame(Genotypes.NASNET, Genotypes.byName("NASNet-A"));
        assertSame(Genotypes.AMOEBANET, Genotypes.byName("amoebanet"));
        assertTrue(Genotypes.find("ENAS").isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Genotypes.byName("ENAS"));
        assertTrue(e.getMessage().contains("unknown genotype name 'ENAS'") && e.getMessage().contains("DARTS_V2"));
    }

    @Test
    void resolveAcceptsNamesAndText() {
        assertSame(Genotypes.PDARTS, Genotypes.resolve("PDARTS"));
        assertEquals(Genotypes.PDARTS, Genotypes.resolve(Genotypes.PDARTS.toString()));
    }

    @Test
    void nasnetAndAmoebaNetKeepTheirFiveNodesAndConcatLists() {
        assertEquals(5, Genotypes.NASNET.nodes(CellType.NORMAL));
        assertEquals(List.of(2, 3, 4, 5, 6), Genotypes.NASNET.normalConcat());
        assertEquals(List.of(4, 5, 6), Genotypes.NASNET.reduceConcat());
        assertEquals(List.of(4, 5, 6), Genotypes.AMOEBANET.normalConcat());
        assertEquals(List.of(3, 4, 6), Genotypes.AMOEBANET.reduceConcat());
        assertEquals(new Genotype.Pair("conv_7x1_1x7", 0), Genotypes.AMOEBANET.reduce().get(8));
        // the concat lists are the unused intermediate nodes, NASNet's rule
        for (Genotype g : List.of(Genotypes.NASNET, Genotypes.AMOEBANET)) {
            for (CellType t : CellType.values()) {
                assertEquals(g.concat(t), ConcatRule.UNUSED_INTERMEDIATE.concat(g.pairs(t)));
            }
        }
    }
}
