package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.enas.EnasMacroSpace;

class EnasMacroSearchTest {

    @Test
    void searchesBothModesWithTheMacroControllerAndPrintsTheBestArc() throws Exception {
        for (String channels : new String[] {"whole", "ranges"}) {
            String out = StandardOutput.of(() -> EnasMacroSearch.main(new String[] {"--channels", channels,
                "--layers", "3", "--filters", "4", "--epochs", "1", "--steps", "1", "--samples", "2", "--train",
                "200", "--batch", "8"}));
            assertTrue(out.contains("ENAS_MACRO"), out);
            assertTrue(Pattern.compile("EPOCH 1 samples=2 .* skip_share=[01]\\.[0-9]{3}").matcher(out).find(), out);
            Matcher m = Pattern.compile("RESULT channels=" + channels + " controller=macro best=([0-9,]+) "
                    + "reward=([0-9.]+)").matcher(out);
            assertTrue(m.find(), out);
            ComposedSpace space = EnasMacroSpace.small().wholeChannels(channels.equals("whole")).layers(3)
                    .outFilters(4).build();
            // the arc is the reference's: it reads back into the space
            assertTrue(space.isValid(EnasMacroSpace.fromReference(space, m.group(1).replace(',', ' '))), out);
            double reward = Double.parseDouble(m.group(2));
            assertTrue(reward >= 0 && reward <= 100, out);
        }
    }

    @Test
    void unknownOptionValuesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnasMacroSearch.main(new String[] {"--controller", "gru"}));
        assertEquals("--controller must be macro or lstm, but was 'gru'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EnasMacroSearch.main(new String[] {"--channels", "some"}));
        assertEquals("--channels must be whole or ranges, but was 'some'", e.getMessage());
    }

    @Test
    void runsEverySampleOfEveryEpochBeyondTheRunnersDefaultBudget() throws Exception {
        // 3 epochs of 40 controller samples: 120 trials, more than the runner's default of 100
        String out = StandardOutput.of(() -> EnasMacroSearch.main(new String[] {"--layers", "3", "--filters", "4",
            "--epochs", "3", "--steps", "1", "--samples", "40", "--train", "200", "--batch", "8"}));
        assertTrue(out.contains("EPOCH 3 samples=40 "), out);
    }
}
