package org.nas4j.estimators.training;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * When a {@link TrainingEstimator} hands the native memory that lies idle between trials back to the kernel
 * ({@code NativeAllocator.releaseFreeMemory()}, glibc's {@code malloc_trim}). A release is not free: the call
 * itself walks every malloc arena (tens of milliseconds), and the next trial faults the released pages in again
 * (measured: about as long again). Trials run on several threads; the schedule is shared by them and lets one
 * release through at a time.
 *
 * <ul>
 *   <li>{@link #every(Duration)}: at least the given time between releases; {@code TrainingEstimator}'s default is
 *       10 s; {@code Duration.ZERO} releases before every trial.</li>
 *   <li>{@link #adaptive()}: a release waits at least {@value #COST_FACTOR} times as long as the
 *       previous release call took, so that releases and their page faults take about 5% of the wall time
 *       whatever the trials' length: short trials share a release, trials longer than that each get one. Measured
 *       (docs/reliability.md, "Memory"): it let memory grow as much as a release every 10 s did.</li>
 * </ul>
 * The first trial always releases. A release never changes results.
 */
public final class MemoryReleaseSchedule {
    /** The adaptive schedule's wait, in multiples of the last release call's duration. */
    public static final int COST_FACTOR = 40;

    private final long fixedNanos;
    private final LongSupplier clock;
    /** When the last release started ({@link #clock} reading), 0 before the first. */
    private final AtomicLong lastStart = new AtomicLong();
    /** How long the last release call took, in nanoseconds. */
    private final AtomicLong lastCost = new AtomicLong();

    private MemoryReleaseSchedule(long fixedNanos, LongSupplier clock) {
        this.fixedNanos = fixedNanos;
        this.clock = clock;
    }

    /** Wait at least {@value #COST_FACTOR} times the duration of the last release. */
    public static MemoryReleaseSchedule adaptive() {
        return new MemoryReleaseSchedule(-1, System::nanoTime);
    }

    /**
     * At least {@code interval} between two releases; {@code Duration.ZERO} releases before every trial.
     *
     * @throws IllegalArgumentException for a null or negative interval, naming it
     */
    public static MemoryReleaseSchedule every(Duration interval) {
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("memoryReleaseInterval must be >= 0, but was " + interval);
        }
        return new MemoryReleaseSchedule(interval.toNanos(), System::nanoTime);
    }

    /** The same schedule reading time from {@code clock} (nanoseconds), for tests. */
    MemoryReleaseSchedule withClock(LongSupplier clock) {
        return new MemoryReleaseSchedule(fixedNanos, clock);
    }

    /** A fresh schedule of the same kind (no release yet), for a copy of a builder. */
    MemoryReleaseSchedule fresh() {
        return new MemoryReleaseSchedule(fixedNanos, clock);
    }

    /** Whether this is the adaptive schedule. */
    public boolean isAdaptive() {
        return fixedNanos < 0;
    }

    /**
     * Runs {@code release} if a release is due now and no other thread claimed this one; records how long it
     * took.
     *
     * @return whether {@code release} ran
     */
    boolean releaseIfDue(Runnable release) {
        long now = clock.getAsLong();
        long last = lastStart.get();
        long wait = fixedNanos >= 0 ? fixedNanos : COST_FACTOR * lastCost.get();
        boolean due = last == 0 || now - last >= wait;
        if (!due || !lastStart.compareAndSet(last, now == 0 ? 1 : now)) {
            return false;
        }
        release.run();
        lastCost.set(Math.max(0, clock.getAsLong() - now));
        return true;
    }

    @Override
    public String toString() {
        return isAdaptive() ? "adaptive" : "every " + Duration.ofNanos(fixedNanos);
    }
}
