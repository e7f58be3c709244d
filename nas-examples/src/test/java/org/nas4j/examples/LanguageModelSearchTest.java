package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.spaces.recurrent.LanguageModelSize;
import org.nas4j.spaces.recurrent.RecurrentCellSpace;

class LanguageModelSearchTest {

    @Test
    void dartsDerivesOneCellAndRetrainsIt(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("text.txt"), "to be or not to be, that is the question. "
                .repeat(100));
        String out = StandardOutput.of(() -> LanguageModelSearch.main(new String[] {"--text", text.toString(),
                "--method", "darts", "--trials", "1", "--search-segments", "2", "--search-hidden", "4",
                "--search-batch", "4", "--bptt", "3", "--steps", "3", "--hidden", "8", "--batch", "4",
                "--eval-batch", "8", "--published", "", "--search-length", "search"}));
        assertTrue(out.contains("length=search"), out);
        Matcher m = Pattern.compile("RESULT space=darts-rnn method=darts best=(Genotype\\(recurrent=.*\\)) "
                + "valid_ppl=([0-9.]+) params=(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        RecurrentCellSpace.darts().parse(m.group(1));
        assertEquals(new LanguageModelSize(15, 8, 8).parameters(8), Long.parseLong(m.group(3)));
        assertTrue(out.contains("supernet: "), out);
    }

    @Test
    void searchesAndPrintsTheBestCellAndDartsV2(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("text.txt"), "to be or not to be, that is the question. "
                .repeat(100));
        String out = StandardOutput.of(() -> LanguageModelSearch.main(new String[] {"--text", text.toString(),
                "--trials", "2", "--steps", "3", "--hidden", "8", "--batch", "4", "--eval-batch", "8"}));
        Matcher m = Pattern.compile("RESULT space=darts-rnn method=random best=(.*) valid_ppl=([0-9.]+) params=(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        RecurrentCellSpace space = RecurrentCellSpace.darts();
        space.parse(m.group(1));
        long params = new LanguageModelSize(15, 8, 8).parameters(8);   // 15 distinct characters in the text
        assertEquals(params, Long.parseLong(m.group(3)));
        assertTrue(Double.parseDouble(m.group(2)) > 1);
        assertTrue(out.contains("RESULT cell=darts-v2-rnn valid_ppl="), out);
        assertTrue(out.contains("params=" + params), out);
    }

    @Test
    void aMissingTextIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("missing.txt");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> LanguageModelSearch.main(
                new String[] {"--text", missing.toString()}));
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
    }
}
