package org.nas4j.estimators.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {

    /** glibc's allocator, called directly. */
    private interface LibC extends com.sun.jna.Library {
        com.sun.jna.Pointer malloc(long size);

        void free(com.sun.jna.Pointer p);

        com.sun.jna.Pointer memset(com.sun.jna.Pointer p, int value, long size);
    }

    /** Resident memory of this process in KiB, from /proc (Linux only). */
    private static long residentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void releasesWhatItsThresholdsKeepOnlyWhereItSetThem() {
        String outcome = NativeAllocator.tune();
        boolean tuned = outcome.startsWith("glibc thresholds raised");
        if (!tuned) {
            assertEquals(false, NativeAllocator.releaseFreeMemory(), "nothing to release where left alone: " + outcome);
        } else {
            NativeAllocator.releaseFreeMemory(); // returns whether pages were released, which depends on the heap
        }
    }

    @Test
    void freedMemoryLeavesTheProcessAfterRelease() throws IOException {
        String outcome = NativeAllocator.tune();
        org.junit.jupiter.api.Assumptions.assumeTrue(outcome.startsWith("glibc thresholds raised")
                && Files.exists(Path.of("/proc/self/status")), "needs glibc with raised thresholds: " + outcome);
        // 64 blocks of 4 MiB, below the raised mmap threshold: malloc serves them from the heap and free keeps them
        int blocks = 64;
        long size = 4L << 20;
        LibC c = com.sun.jna.Native.loadLibrary("c", LibC.class);
        com.sun.jna.Pointer[] held = new com.sun.jna.Pointer[blocks];
        for (int i = 0; i < blocks; i++) {
            held[i] = c.malloc(size);
            c.memset(held[i], 1, size); // touch every page
        }
        long filled = residentKib();
        for (int i = blocks - 1; i >= 0; i--) {
            c.free(held[i]);
        }
        long freed = residentKib();
        assertTrue(NativeAllocator.releaseFreeMemory(), "malloc_trim released memory");
        long released = residentKib();
        long blockKib = blocks * size / 1024;
        assertTrue(filled - released > blockKib / 2, "after release the process gave back at least half of the "
                + blockKib + " KiB it freed: resident " + filled + " KiB filled, " + freed + " KiB freed, "
                + released + " KiB released");
    }
}
