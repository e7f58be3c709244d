package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentsTest {
    private static final Map<String, String> DEFAULTS = Map.of("--trials", "200", "--journal", "", "--gc", "false",
            "--strategies", "rs,rea");

    @Test
    void givenValuesReplaceDefaultsAndFlagsTakeNoValue() {
        Arguments a = Arguments.parse(new String[] {"fixed", "--trials", "30", "--gc", "--strategies", "rea, pnas"},
                DEFAULTS);
        assertEquals("30", a.get("--trials"));
        assertEquals("", a.get("--journal"));
        assertTrue(a.flag("--gc"));
        assertEquals(List.of("rea", "pnas"), a.list("--strategies"));
        assertEquals(List.of("fixed"), a.positional());
        Arguments none = Arguments.parse(new String[0], DEFAULTS);
        assertEquals("200", none.get("--trials"));
        assertFalse(none.flag("--gc"));
        assertEquals(List.of(), none.positional());
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Arguments.parse(new String[] {"--trails", "3"}, DEFAULTS));
        assertTrue(unknown.getMessage().contains("--trails") && unknown.getMessage().contains("known options"),
                unknown.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Arguments.parse(new String[] {"--trials"}, DEFAULTS));
        assertTrue(missing.getMessage().contains("--trials"), missing.getMessage());
        IllegalArgumentException notPositive = assertThrows(IllegalArgumentException.class,
                () -> Arguments.positiveInt("--trials", "0"));
        assertEquals("--trials must be a positive integer, but was '0'", notPositive.getMessage());
    }
}
