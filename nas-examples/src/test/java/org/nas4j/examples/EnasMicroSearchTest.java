package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.enas.EnasMicroSpace;

class EnasMicroSearchTest {

    @Test
    void searchesWithTheMicroControllerAndPrintsTheBestArc() throws Exception {
        String out = StandardOutput.of(() -> EnasMicroSearch.main(new String[] {"--layers", "3", "--filters", "4",
            "--nodes", "2", "--epochs", "1", "--steps", "1", "--samples", "2", "--train", "200", "--batch", "8"}));
        assertTrue(out.contains("ENAS_MICRO"), out);
        assertTrue(out.contains("EPOCH 1 samples=2 "), out);
        Matcher m = Pattern.compile("RESULT controller=micro best=([0-9,]+) reward=([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        ComposedSpace space = EnasMicroSpace.builder().searchChild(true).input(1, 28).layers(3).outFilters(4)
                .nodes(2).build();
        // the arc is the reference's: it reads back into the space
        assertTrue(space.isValid(EnasMicroSpace.fromReference(space, m.group(1).replace(',', ' '))));
        double reward = Double.parseDouble(m.group(2));
        assertTrue(reward >= 0 && reward <= 100, out);
    }

    @Test
    void anUnknownControllerIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnasMicroSearch.main(new String[] {"--controller", "gru"}));
        assertEquals("--controller must be micro or lstm, but was 'gru'", e.getMessage());
    }
}
