package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TimeSeriesBenchmarkTest {

    @Test
    void searchesTheSmallestDatasetAndPrintsTheResultLine() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(TimeSeriesBenchmark.sharedUcr()), "no UCR data beside the project");
        String out = StandardOutput.of(() -> run("--datasets", "ItalyPowerDemand", "--trials", "2", "--epochs",
                "1", "--beam", "2", "--blocks", "1", "--filters", "4", "--motifs", "1"));
        Matcher m = Pattern.compile("RESULT dataset=ItalyPowerDemand best_test_acc=([0-9.]+) trials=(\\d+)"
                + " search_seconds=([0-9.]+) params=(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        assertEquals(2, Integer.parseInt(m.group(2)));
        double accuracy = Double.parseDouble(m.group(1));
        assertTrue(accuracy >= 0 && accuracy <= 100, out);
        assertTrue(Long.parseLong(m.group(4)) > 0, out);
    }

    @Test
    void aMissingFolderOrDatasetIsNamedAndNothingIsDownloaded(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run("--data-dir", dir.resolve("nowhere").toString()));
        assertTrue(e.getMessage().contains("--data-dir must be a folder of .ts files"), e.getMessage());
        java.io.IOException io = assertThrows(java.io.IOException.class,
                () -> run("--data-dir", dir.toString(), "--datasets", "GunPoint"));
        assertTrue(io.getMessage().contains("no train file for problem 'GunPoint'"), io.getMessage());
    }

    private static void run(String... args) throws Exception {
        TimeSeriesBenchmark benchmark = new TimeSeriesBenchmark();
        new CommandLine(benchmark).parseArgs(args);
        benchmark.call();
    }
}
