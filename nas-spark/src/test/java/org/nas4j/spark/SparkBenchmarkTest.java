package org.nas4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SparkBenchmarkTest {
    private static final String NUMBER = "([0-9]+(?:\\.[0-9]+)?)";

    @Test
    void printsTheResultAndWhereTheOverheadGoes() {
        String out = run("--executor", "spark", "--workers", "1", "--trials", "12", "--estimator", "tabular");
        Matcher result = Pattern.compile("RESULT executor=spark workers=1 trials=12 seconds=" + NUMBER
                + " overhead_ms_per_trial=" + NUMBER).matcher(out);
        assertTrue(result.find(), out);
        Matcher parts = Pattern.compile("PARTS driver_ms=(-?[0-9.]+) launch_ms=" + NUMBER + " task_ms=" + NUMBER
                + " run_ms=(-?[0-9.]+) jobs=([0-9]+)").matcher(out);
        assertTrue(parts.find(), out);
        assertEquals("12", parts.group(5), "one job per trial seen by the listener");
    }

    @Test
    void localExecutorPrintsNoParts() {
        String out = run("--executor", "local", "--workers", "1", "--trials", "4", "--estimator", "tabular");
        assertTrue(out.contains("RESULT executor=local workers=1 trials=4 "), out);
        assertTrue(!out.contains("PARTS"), out);
    }

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            SparkBenchmark.main(args);
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
