package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class Nb201LatencyBenchmarkTest {

    private static Path latencyTable() {
        Path t = Nb201LatencyBenchmark.sharedTable();
        return Files.isRegularFile(t) ? t : null;
    }

    @Test
    void countsTheCellsFasterThanTheBestFound() {
        double[] sorted = {1, 2, 2, 3, 5};
        assertEquals(0, Nb201LatencyBenchmark.fasterThan(sorted, 1));
        assertEquals(1, Nb201LatencyBenchmark.fasterThan(sorted, 2));
        assertEquals(3, Nb201LatencyBenchmark.fasterThan(sorted, 3));
        assertEquals(5, Nb201LatencyBenchmark.fasterThan(sorted, 6));
    }

    @Test
    void printsOneResultPerDeviceStrategyAndLearningRate() throws Exception {
        Path table = latencyTable();
        assumeTrue(table != null, "no shared/data folder above the working directory");
        String out = capture("--latency", table.toString(), "--devices", "raspi4_ms", "--strategies",
                "rs,reinforce-nb201", "--learning-rates", "0.05,0.1", "--trials", "20", "--seeds", "2");
        assertTrue(out.contains("RESULT device=raspi4_ms strategy=rs lr=default trials=20 seeds=2"), out);
        assertTrue(out.contains("strategy=reinforce-nb201 lr=0.05 "), out);
        assertTrue(out.contains("strategy=reinforce-nb201 lr=0.1 "), out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> capture("--latency",
                table.toString(), "--devices", "abacus_ms", "--seeds", "1"));
        assertTrue(e.getMessage().contains("no column 'abacus_ms'"), e.getMessage());
    }

    private static String capture(String... args) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Nb201LatencyBenchmark.main(args);
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
