package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Smoke test: both supernets of the ENAS macro step benchmark run at a tiny size and print their lines. */
class EnasMacroStepBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"whole", "ranges"})
    void printsTheResultCpuAndPeakMemoryLines(String mode) throws Exception {
        String out = capture(mode, "--layers", "2", "--filters", "8", "--size", "8", "--input-channels", "1",
                "--batch", "2", "--steps", "2", "--warmup", "1", "--threads", "1");
        assertTrue(Pattern.compile("(?m)^RESULT nas4j_enas_macro_" + mode
                + "_step median=[0-9.]+ min=[0-9.]+ max=[0-9.]+ n=2$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^CPU nas4j_enas_macro_" + mode
                + "_step median=[0-9.]+ min=[0-9.]+ max=[0-9.]+ n=2$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^PEAK_RSS_MIB -?[0-9]+$").matcher(out).find(), out);
        assertTrue(Pattern.compile("last loss [0-9]+\\.[0-9]+").matcher(out).find(), "finite loss: " + out);
    }

    @Test
    void refusesAnUnknownModeOrOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> capture("channels"));
        assertTrue(e.getMessage().contains("whole|ranges"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> capture("whole", "--cells", "3"));
        assertTrue(e.getMessage().contains("--cells"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> capture("whole", "--warmup", "-1"));
        assertTrue(e.getMessage().contains("--warmup must be >= 0, but was -1"), e.getMessage());
    }

    private static String capture(String... args) throws Exception {
        return StandardOutput.of(() -> EnasMacroStepBenchmark.main(args));
    }
}
