package org.nas4j.estimators.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryReleaseScheduleTest {
    private static final long MS = 1_000_000L;

    /** A release that advances the fake clock by {@code costMs}, as a slow {@code malloc_trim} would. */
    private static Runnable releaseTaking(AtomicLong clock, long costMs) {
        return () -> clock.addAndGet(costMs * MS);
    }

    @Test
    void theAdaptiveScheduleWaitsFortyTimesTheLastReleaseCost() {
        AtomicLong clock = new AtomicLong(5_000 * MS);
        MemoryReleaseSchedule s = MemoryReleaseSchedule.adaptive().withClock(clock::get);
        assertTrue(s.releaseIfDue(releaseTaking(clock, 100)), "the first trial always releases");
        // the release started at 5,000 ms and took 100 ms: the next is due 40 * 100 ms after its start
        clock.set((5_000 + 3_999) * MS);
        assertFalse(s.releaseIfDue(releaseTaking(clock, 100)));
        clock.set((5_000 + 4_000) * MS);
        assertTrue(s.releaseIfDue(releaseTaking(clock, 10)));
        // that one took 10 ms: the next waits 400 ms
        clock.addAndGet(380 * MS); // 390 ms after that release started
        assertFalse(s.releaseIfDue(releaseTaking(clock, 10)));
        clock.addAndGet(10 * MS);
        assertTrue(s.releaseIfDue(releaseTaking(clock, 10)));
        assertEquals(MemoryReleaseSchedule.COST_FACTOR, 40);
    }

    @Test
    void aFixedIntervalIgnoresTheCostAndZeroReleasesEveryTime() {
        AtomicLong clock = new AtomicLong(1);
        MemoryReleaseSchedule every = MemoryReleaseSchedule.every(Duration.ZERO).withClock(clock::get);
        for (int i = 0; i < 3; i++) {
            assertTrue(every.releaseIfDue(releaseTaking(clock, 500)));
        }
        MemoryReleaseSchedule tenSeconds = MemoryReleaseSchedule.every(Duration.ofSeconds(10)).withClock(clock::get);
        assertTrue(tenSeconds.releaseIfDue(releaseTaking(clock, 1)));
        clock.addAndGet(9_000 * MS);
        assertFalse(tenSeconds.releaseIfDue(releaseTaking(clock, 1)));
        clock.addAndGet(1_000 * MS);
        assertTrue(tenSeconds.releaseIfDue(releaseTaking(clock, 1)));
    }

    @Test
    void aNegativeOrMissingIntervalIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryReleaseSchedule.every(Duration.ofMillis(-5)));
        assertTrue(e.getMessage().contains("memoryReleaseInterval must be >= 0, but was PT-0.005S"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MemoryReleaseSchedule.every(null));
    }

    @Test
    void eachEstimatorStartsItsOwnSchedule() {
        MemoryReleaseSchedule shared = MemoryReleaseSchedule.adaptive();
        MemoryReleaseSchedule copy = shared.fresh();
        assertTrue(copy.isAdaptive());
        assertTrue(copy.releaseIfDue(() -> { }), "a fresh copy has not released yet");
        assertTrue(shared.releaseIfDue(() -> { }), "the original is untouched by its copy");
    }
}
