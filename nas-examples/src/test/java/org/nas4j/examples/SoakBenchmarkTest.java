package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SoakBenchmarkTest {

    @Test
    void printsAMedianReadingPerWindowAndTheGrowthBetweenTwoOfThem() throws Exception {
        String out = StandardOutput.of(() -> SoakBenchmark.main(new String[] {"--trials", "4", "--every", "2",
                "--baseline", "2", "--steps", "1", "--batch", "8"}));
        assertTrue(out.matches("(?s).*RSS_MIB trial=2 rss=\\d+ peak=\\d+\\n.*RSS_MIB trial=4 rss=\\d+ peak=\\d+\\n.*"),
                out);
        assertTrue(out.matches("(?s).*RESULT soak trials=4 first_rss_mib=\\d+ last_rss_mib=\\d+ growth_pct=-?[0-9.]+ "
                + "first_peak_mib=\\d+ last_peak_mib=\\d+ peak_growth_pct=-?[0-9.]+ peak_rss_mib=\\d+ "
                + "seconds=\\d+.*"), out);
    }

    @Test
    void releaseEveryIsAdaptiveOrWholeSeconds() {
        assertTrue(SoakBenchmark.releaseSchedule("adaptive").isAdaptive());
        assertEquals("every PT10S", SoakBenchmark.releaseSchedule("10").toString());
        for (String bad : new String[] {"-1", "soon"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> SoakBenchmark.releaseSchedule(bad));
            assertEquals("--release-every must be 'default', 'adaptive' or whole seconds >= 0, but was " + bad, e.getMessage());
        }
    }

    @Test
    void medianIsTheMiddleReading() {
        assertEquals(5, SoakBenchmark.median(List.of(9L, 5L, 1L)));
        assertEquals(4, SoakBenchmark.median(List.of(9L, 4L, 1L, 5L)), "the lower middle of an even count");
    }
}
