package org.nas4j.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryTest {
    private final Registry<StringBuilder> registry = Registry.<StringBuilder>builder("thing")
            .add("a", "the letter a", () -> new StringBuilder("a"))
            .add("b", "the letter b", () -> new StringBuilder("b"))
            .build();

    @Test
    void namesAndLookupComeFromTheSameTable() {
        assertEquals(List.of("a", "b"), registry.names());
        assertEquals("b", registry.byName("b").toString());
        assertEquals("the letter a", registry.entry("a").description());
    }

    @Test
    void eachLookupMakesANewComponent() {
        registry.byName("a").append("!");
        assertEquals("a", registry.byName("a").toString());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.byName("c"));
        assertEquals("unknown thing 'c'; known names: [a, b]", e.getMessage());
    }

    @Test
    void aNameRegisteredTwiceIsRefused() {
        Registry.Builder<String> b = Registry.<String>builder("thing").add("a", "first", () -> "1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.add("a", "second", () -> "2"));
        assertEquals("thing name 'a' is registered twice", e.getMessage());
    }

    @Test
    void namesAreCommandLineWords() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Registry.<String>builder("thing").add("a b", "spaced", () -> ""));
        assertEquals("name must be non-blank without spaces or commas, but was 'a b'", e.getMessage());
    }
}
