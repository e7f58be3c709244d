package org.nas4j.estimators.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharacterCorpusTest {

    @TempDir
    Path dir;

    @Test
    void vocabularyIsTheSortedDistinctCharactersAndTheSplitsAre90And5And5ByPosition() {
        String text = "abcdefghij".repeat(10);
        CharacterCorpus c = CharacterCorpus.of("letters", text);
        assertEquals(10, c.vocabulary());
        assertEquals('a', c.character(0));
        assertEquals('j', c.character(9));
        assertEquals(90, c.train().length);
        assertEquals(5, c.validation().length);
        assertEquals(5, c.test().length);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, c.validation());
        assertArrayEquals(new int[] {5, 6, 7, 8, 9}, c.test());
        assertEquals(100, c.length());
    }

    @Test
    void tinyShakespeareHasTheFactsOfTheSharedDataReadme() throws IOException {
        Path file = shared();
        Assumptions.assumeTrue(file != null, CharacterCorpus.TINY_SHAKESPEARE + " is not beside the project");
        CharacterCorpus c = CharacterCorpus.read(file);
        assertEquals(1_115_394, c.length());
        assertEquals(65, c.vocabulary());
        assertEquals(1_003_854, c.train().length);      // floor(0.9 * 1,115,394)
        assertEquals(55_770, c.validation().length);    // floor(0.95 * 1,115,394) - 1,003,854
        assertEquals(55_770, c.test().length);
        assertEquals("tinyshakespeare.txt", c.name());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("no-such.txt");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> CharacterCorpus.read(missing));
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void anEmptyOrTooShortFileIsNamed() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        IOException e = assertThrows(IOException.class, () -> CharacterCorpus.read(empty));
        assertEquals("text file " + empty.toAbsolutePath() + " is empty", e.getMessage());
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "to be or not");
        IOException t = assertThrows(IOException.class, () -> CharacterCorpus.read(tiny));
        assertTrue(t.getMessage().contains(tiny.toAbsolutePath().toString()) && t.getMessage().contains("had 12"),
                t.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CharacterCorpus.of("short", "abc"));
    }

    /** The shared tiny Shakespeare text, found by walking up from the working directory. */
    public static Path shared() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path t = d.resolve(CharacterCorpus.TINY_SHAKESPEARE);
            if (Files.isRegularFile(t)) {
                return t;
            }
        }
        return null;
    }
}
