package org.nas4j.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalRepairTest {
    private static final String HEADER = "{\"type\":\"header\",\"seed\":\"1\"}\n";
    private static final String TRIAL =
            "{\"type\":\"trial\",\"id\":0,\"architecture\":\"a-rather-long-architecture-text\"}\n";

    private static JournalRepair.Result repair(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return JournalRepair.repair(file);
    }

    @Test
    void aMissingOrWholeFileIsLeftAlone(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        assertEquals(new JournalRepair.Result("", ""), JournalRepair.repair(file));
        assertEquals(new JournalRepair.Result(HEADER + TRIAL, ""), repair(file, HEADER + TRIAL));
        assertEquals(HEADER + TRIAL, Files.readString(file));
    }

    @Test
    void anIncompleteLastLineIsDroppedWithAWarningNamingFileLineAndWhatWasDropped(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("journal.jsonl");
        String cut = TRIAL.substring(0, 50);
        JournalRepair.Result r = repair(file, HEADER + TRIAL + cut);
        assertEquals(HEADER + TRIAL, r.content());
        assertEquals(HEADER + TRIAL, Files.readString(file), "the file is truncated after the last line end");
        assertEquals(file + ": dropped the incomplete line 3 (50 bytes: "
                + "'{\"type\":\"trial\",\"id\":0,\"architecture\":\"a...'), cut when the search was killed while "
                + "writing it; its trial will run again", r.warning());
    }

    @Test
    void aWholeLastRecordWithoutItsLineEndIsKeptAndEnded(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        String whole = TRIAL.substring(0, TRIAL.length() - 1);
        JournalRepair.Result r = repair(file, HEADER + whole);
        assertEquals(HEADER + TRIAL, r.content());
        assertEquals(HEADER + TRIAL, Files.readString(file));
        assertEquals(file + ": line 2 is a whole record without its line end (the search was killed just after "
                + "writing it): kept it and ended the line", r.warning());
    }

    @Test
    void aCutHeaderLeavesAnEmptyJournal(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        JournalRepair.Result r = repair(file, HEADER.substring(0, 10));
        assertEquals("", r.content());
        assertEquals(0, Files.size(file));
        assertEquals(file + ": dropped the incomplete line 1 (10 bytes: '{\"type\":\"h'), cut when the search was "
                + "killed while writing it; it was the header, so the journal starts afresh", r.warning());
    }

    @Test
    void aCutMultiByteCharacterIsDroppedWithItsLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        byte[] line = "{\"reason\":\"\u00e9chec\"}".getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[HEADER.length() + 12];
        System.arraycopy(HEADER.getBytes(StandardCharsets.UTF_8), 0, content, 0, HEADER.length());
        System.arraycopy(line, 0, content, HEADER.length(), 12); // ends inside the two bytes of the accented e
        Files.write(file, content);
        assertEquals(HEADER, JournalRepair.repair(file).content());
        assertEquals(HEADER, Files.readString(file));
    }
}
