package org.nas4j.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.spaces.nasbench201.NasBench201Space;

class SpacesTest {

    @Test
    void everyNameIsUniqueAndGivesTheSpaceOfItsFactory() {
        List<String> names = Spaces.names();
        assertEquals(names.size(), new HashSet<>(names).size(), "duplicate names: " + names);
        assertEquals(List.of("nas-bench-201", "nas-bench-101", "darts", "nasnet", "pnas", "pnas-progressive",
                "enas-macro", "enas-macro-channels", "enas-micro", "enas-micro-search", "darts-rnn", "enas-rnn"),
                names);
        List<SearchSpace> factories = List.of(Spaces.nasBench201(), Spaces.nasBench101(), Spaces.darts(),
                Spaces.nasnet(), Spaces.pnas(), Spaces.pnasProgressive(), Spaces.enasMacro(),
                Spaces.enasMacroChannels(), Spaces.enasMicro(), Spaces.enasMicroSearch(), Spaces.dartsRecurrent(),
                Spaces.enasRecurrent());
        for (int i = 0; i < names.size(); i++) {
            assertEquals(factories.get(i).identity(), Spaces.byName(names.get(i)).identity(), names.get(i));
            assertTrue(!Spaces.description(names.get(i)).isBlank());
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Spaces.byName("enas"));
        assertEquals("unknown space 'enas'; known names: " + Spaces.names(), e.getMessage());
    }

    @Test
    void builtInSpacesAreCustomisableThroughSpaces() {
        NasBench201Space small = Spaces.nasBench201Builder().channels(8).cellsPerStage(1).inputChannels(1)
                .imageSize(28).build();
        assertEquals(NasBench201Space.builder().channels(8).cellsPerStage(1).inputChannels(1).imageSize(28).build()
                .identity(), small.identity());
        assertEquals(Spaces.nasBench201().identity(), Spaces.nasBench201Builder().build().identity());
        assertEquals(Spaces.darts().identity(), Spaces.dartsBuilder().build().identity());
        assertEquals(Spaces.pnas().identity(), Spaces.dartsBuilder().nodes(5)
                .ops(org.nas4j.spaces.darts.OpSet.PNAS).distinctInputs(false)
                .concat(org.nas4j.spaces.darts.ConcatRule.UNUSED_INTERMEDIATE).build().identity());
    }
}
