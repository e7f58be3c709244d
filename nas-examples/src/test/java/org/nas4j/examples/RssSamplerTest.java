package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RssSamplerTest {

    @Test
    void aWindowKeepsItsHighestReadingAndTheNextStartsAfresh() {
        Iterator<Long> readings = List.of(100L, 300L, 200L, 150L, 120L, 130L).iterator();
        try (RssSampler sampler = new RssSampler(Long.MAX_VALUE, readings::next)) {
            // the sampling thread takes the first reading at start; wait for it so the sequence is known
            long waited = System.nanoTime();
            while (sampler.peakSoFar() < 0 && System.nanoTime() - waited < 5_000_000_000L) {
                Thread.onSpinWait();
            }
            sampler.sample(); // 300
            sampler.sample(); // 200
            assertEquals(300, sampler.takePeak(), "100, 300, 200 and 150 at the take: the highest");
            sampler.sample(); // 120
            assertEquals(130, sampler.takePeak(), "a new window: 120, and 130 at the take");
        }
    }

    @Test
    void readsThisProcessWhereProcExists() {
        try (RssSampler sampler = new RssSampler(5)) {
            long peak = sampler.takePeak();
            assertTrue(peak > 0 || !java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/status")),
                    "resident memory of a running JVM: " + peak);
        }
    }

    @Test
    void refusesANonPositiveInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RssSampler(0));
        assertTrue(e.getMessage().contains("intervalMillis") && e.getMessage().contains("0"), e.getMessage());
    }
}
