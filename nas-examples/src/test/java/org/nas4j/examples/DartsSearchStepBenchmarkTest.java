package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Smoke test: every mode of the DARTS search-step benchmark runs at a tiny size and prints the peer's lines. */
class DartsSearchStepBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"darts1", "darts2", "gdas", "single"})
    void printsTheResultAndPeakMemoryLines(String mode) throws Exception {
        String out = capture(mode, "--batch", "2", "--channels", "4", "--layers", "3", "--steps", "2",
                "--warmup", "1", "--threads", "1");
        assertTrue(Pattern.compile("(?m)^RESULT nas4j_darts_" + mode
                + "_step median=[0-9.]+ min=[0-9.]+ max=[0-9.]+ n=2$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^PEAK_RSS_MIB -?[0-9]+$").matcher(out).find(), out);
        assertTrue(Pattern.compile("last loss [0-9]+\\.[0-9]+").matcher(out).find(), "finite loss: " + out);
    }

    @Test
    void refusesAnUnknownModeOrOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> capture("darts3"));
        assertTrue(e.getMessage().contains("darts1|darts2|gdas|single"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> capture("single", "--cells", "3"));
        assertTrue(e.getMessage().contains("--cells"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> capture("single", "--network", "hand"));
        assertTrue(e.getMessage().contains("--network"), e.getMessage());
    }

    private static String capture(String... args) throws Exception {
        return StandardOutput.of(() -> DartsSearchStepBenchmark.main(args));
    }
}
