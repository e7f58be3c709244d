package org.nas4j.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
    private enum Kind { SGD }

    private static Configuration darts(int channels) {
        return Configuration.of("darts").with("channels", channels).with("layers", 8)
                .with("space", Configuration.of("cells").with("ops", List.of("a", "b")));
    }

    @Test
    void rendersFieldsInOrderWithNestedConfigurationsAndQuotesSpecialValues() {
        Configuration c = darts(16).with("lr", 0.1).with("optimizer", Kind.SGD).with("source", "a dir/x (1)")
                .with("empty", "");
        assertEquals("darts(channels=16, layers=8, space=cells(ops=\"[a, b]\"), lr=0.1, optimizer=SGD, "
                + "source=\"a dir/x (1)\", empty=\"\")", c.toString());
        assertEquals("none()", Configuration.of("none").toString());
    }

    @Test
    void parsesItsOwnTextBack() {
        Configuration c = darts(16).with("quote", "say \"hi\" \\ there").with("sub", Configuration.of("x"));
        assertEquals(c, Configuration.parse(c.toString()));
        assertEquals(c.toString(), Configuration.parse(c.toString()).toString());
    }

    @Test
    void namesEveryDifferingFieldByItsPath() {
        assertEquals(List.of(), darts(16).differences(darts(16)));
        assertEquals(List.of(new Configuration.Difference("channels", "16", "36")),
                darts(16).differences(darts(36)));
        Configuration other = Configuration.of("darts").with("channels", 16).with("layers", 8)
                .with("space", Configuration.of("cells").with("ops", "[a]")).with("extra", 1);
        assertEquals(List.of(new Configuration.Difference("space.ops", "\"[a, b]\"", "[a]"),
                new Configuration.Difference("extra", null, "1")), darts(16).differences(other));
        assertEquals(List.of(new Configuration.Difference("", "darts()", "nb201()")),
                Configuration.of("darts").differences(Configuration.of("nb201")));
    }

    @Test
    void valueOfNestsConfigurationTextsAndKeepsOtherText() {
        assertEquals(darts(16), Configuration.valueOf(darts(16).toString()));
        assertEquals("MyGenerator@1f", Configuration.valueOf("MyGenerator@1f"));
    }

    @Test
    void anyFieldChangesTheText() {
        assertNotEquals(darts(16).toString(), darts(36).toString());
        assertNotEquals(Configuration.of("a").with("x", "1, y=2").toString(),
                Configuration.of("a").with("x", "1").with("y", "2").toString());
    }

    @Test
    void badInputIsRefusedNamingTheParameterAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Configuration.of("1x"));
        assertTrue(e.getMessage().contains("name") && e.getMessage().contains("'1x'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> darts(1).with("layers", 3));
        assertTrue(e.getMessage().contains("darts.layers was given twice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> darts(1).with("a b", 3));
        assertTrue(e.getMessage().contains("'a b'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> darts(1).with("x", null));
        assertTrue(e.getMessage().contains("darts.x"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Configuration.parse("toy(6x4)"));
        assertTrue(e.getMessage().contains("position 7") && e.getMessage().contains("'='"), e.getMessage());
    }
}
