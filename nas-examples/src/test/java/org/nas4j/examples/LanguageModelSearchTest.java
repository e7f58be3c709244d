package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.estimators.export.GenotypeCellLayer;
import org.nas4j.estimators.export.LanguageModelExport;
import org.nas4j.spaces.recurrent.LanguageModelSize;
import org.nas4j.spaces.recurrent.RecurrentCellSpace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
    void secondOrderDartsDerivesOneCellRetrainedByNtAsgd(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("text.txt"), "to be or not to be, that is the question. "
                .repeat(100));
        String out = StandardOutput.of(() -> LanguageModelSearch.main(new String[] {"--text", text.toString(),
                "--method", "darts2", "--trials", "1", "--search-segments", "2", "--search-hidden", "4",
                "--search-batch", "4", "--bptt", "3", "--steps", "3", "--hidden", "8", "--batch", "4",
                "--eval-batch", "8", "--published", "", "--nonmono", "1", "--eval-every", "1"}));
        assertTrue(out.contains("unrolled=true"), out);
        assertTrue(out.contains("ntAsgd=(nonmono=1, every=1)"), out);
        Matcher m = Pattern.compile("RESULT space=darts-rnn method=darts2 best=(Genotype\\(recurrent=.*\\)) "
                + "valid_ppl=([0-9.]+) params=(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        RecurrentCellSpace.darts().parse(m.group(1));
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
    void exportsTheBestCellsModelToDl4j(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("text.txt"), "to be or not to be, that is the question. "
                .repeat(100));
        Path file = dir.resolve("out").resolve("lm.zip");
        String out = StandardOutput.of(() -> LanguageModelSearch.main(new String[] {"--text", text.toString(),
                "--trials", "1", "--steps", "3", "--hidden", "8", "--batch", "4", "--eval-batch", "8",
                "--published", "", "--export", file.toString()}));
        Matcher m = Pattern.compile("RESULT space=darts-rnn method=random best=(.*) valid_ppl=([0-9.]+) params=(\\d+)")
                .matcher(out);
        assertTrue(m.find(), out);
        assertTrue(out.contains("exported to " + file), out);
        ComputationGraph graph = ModelSerializer.restoreComputationGraph(file.toFile(), false);
        GenotypeCellLayer cell = (GenotypeCellLayer) graph.getLayer(LanguageModelExport.CELL).conf().getLayer();
        RecurrentCellSpace space = RecurrentCellSpace.darts();
        assertEquals(space.genotype(space.parse(m.group(1))), cell.genotype());
        // 15 distinct characters, hidden 8: the engine's parameters plus the untied decoder copy
        assertEquals(new LanguageModelSize(15, 8, 8).parameters(8) + 15 * 8, graph.numParams());
        INDArray p = graph.outputSingle(Nd4j.createFromArray(new float[][] {{1, 2, 3}}));
        // a softmax over 15 characters in FLOAT: its sum is 1 within 15 roundings of values <= 1 (about 1e-6)
        assertEquals(1.0, p.sum(1).getDouble(0, 0), 1e-5);
    }

    @Test
    void aMissingTextIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("missing.txt");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> LanguageModelSearch.main(
                new String[] {"--text", missing.toString()}));
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
    }
}
