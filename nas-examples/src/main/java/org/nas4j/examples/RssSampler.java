package org.nas4j.examples;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Samples this process's resident memory on a daemon thread every {@code intervalMillis} and keeps the highest
 * reading since the last {@link #takePeak()}: the footprint of a stretch of work, whatever the work frees at the
 * instant a single reading would be taken. Linux only (elsewhere every reading is -1). Close it to stop sampling.
 */
final class RssSampler implements AutoCloseable {
    private final AtomicLong peak = new AtomicLong(-1);
    private final LongSupplier reader;
    private final Thread thread;
    private volatile boolean running = true;

    /** Samples {@link ProcessMemory#rssMib()} every {@code intervalMillis}. */
    RssSampler(long intervalMillis) {
        this(intervalMillis, ProcessMemory::rssMib);
    }

    /** Samples {@code reader} (MiB) every {@code intervalMillis}; {@code Long.MAX_VALUE} for readings on demand only. */
    RssSampler(long intervalMillis, LongSupplier reader) {
        this.reader = reader;
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("intervalMillis must be >= 1, but was " + intervalMillis);
        }
        thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "nas4j-rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Takes one reading now (also done by the sampling thread). */
    void sample() {
        long now = reader.getAsLong();
        peak.accumulateAndGet(now, Math::max);
    }

    /** The highest reading of the current window so far, in MiB; -1 before the first. */
    long peakSoFar() {
        return peak.get();
    }

    /** The highest reading since the previous call (or since start), in MiB; starts a new window. */
    long takePeak() {
        sample();
        return peak.getAndSet(-1);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
