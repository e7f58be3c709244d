package org.nas4j.estimators.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {

    /** glibc's allocator, called directly. */
    private interface LibC extends com.sun.jna.Library {
        com.sun.jna.Pointer malloc(long size);

        void free(com.sun.jna.Pointer p);

        com.sun.jna.Pointer memset(com.sun.jna.Pointer p, int value, long size);

        int mallopt(int param, int value);

        int malloc_trim(long pad);
    }

    /** Minor page faults of this process so far, from /proc (Linux only). */
    private static long minorFaults() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[7]); // minflt, the 10th field of stat(5), the 8th after the command
    }

    /** Faults taken to fill {@code blocks} blocks of {@code size} bytes again after filling and freeing them once. */
    private static long faultsOnRefill(LibC c, int blocks, long size) throws IOException {
        fillAndFree(c, blocks, size);
        long before = minorFaults();
        fillAndFree(c, blocks, size);
        return minorFaults() - before;
    }

    private static void fillAndFree(LibC c, int blocks, long size) {
        com.sun.jna.Pointer[] held = new com.sun.jna.Pointer[blocks];
        for (int i = 0; i < blocks; i++) {
            held[i] = c.malloc(size);
            c.memset(held[i], 1, size);
        }
        for (int i = blocks - 1; i >= 0; i--) {
            c.free(held[i]);
        }
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

    @Test
    void aThreadArenaKeepsItsHeapsForTheNextStep() throws Exception {
        String outcome = NativeAllocator.tune();
        org.junit.jupiter.api.Assumptions.assumeTrue(outcome.startsWith("glibc thresholds raised")
                && Files.exists(Path.of("/proc/self/stat")), "needs glibc with raised thresholds: " + outcome);
        LibC c = com.sun.jna.Native.loadLibrary("c", LibC.class);
        // 24 blocks of 4 MiB, 96 MiB: more than one 64 MiB heap of a thread's arena. Run on a new thread, which
        // glibc gives an arena of its own (unless it hands it the main arena, where the trim threshold keeps pages)
        int blocks = 24;
        long size = 4L << 20;
        long pages = blocks * size / 4096;
        long[] faults = new long[2];
        Thread step = new Thread(() -> {
            try {
                c.mallopt(-2, 0); // M_TOP_PAD at glibc's default: a heap emptied by free is unmapped
                faults[0] = faultsOnRefill(c, blocks, size);
                c.mallopt(-2, NativeAllocator.TOP_PAD_BYTES);
                faults[1] = faultsOnRefill(c, blocks, size);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        step.start();
        step.join();
        org.junit.jupiter.api.Assumptions.assumeTrue(faults[0] > pages / 8, "the thread got the main arena (refill "
                + "without the pad faulted " + faults[0] + " of " + pages + " pages): nothing to compare");
        assertTrue(faults[1] < pages / 8, "with the top pad the refill reuses the mapped pages: " + faults[1]
                + " faults for " + pages + " pages (" + faults[0] + " without the pad)");
    }

    @Test
    void releaseOnAThreadGivesBackTheTopOfItsArena() throws Exception {
        String outcome = NativeAllocator.tune();
        org.junit.jupiter.api.Assumptions.assumeTrue(outcome.startsWith("glibc thresholds raised")
                && Files.exists(Path.of("/proc/self/status")), "needs glibc with raised thresholds: " + outcome);
        LibC c = com.sun.jna.Native.loadLibrary("c", LibC.class);
        // a trial's worth on a new thread: 12 blocks of 4 MiB (48 MiB, within one of an arena's 64 MiB heaps),
        // filled and freed in reverse, so everything merges into the top of the heap, which the raised thresholds
        // and the top pad keep resident. malloc_trim releases that top only in the main arena; glibc hands new
        // threads the arenas in turn, the main one among them, so threads are tried until one shows a thread arena
        int blocks = 12;
        long size = 4L << 20;
        long blockKib = blocks * size / 1024;
        List<String> tried = new ArrayList<>();
        for (int attempt = 0; attempt < 24; attempt++) {
            long[] kib = onANewThread(c, blocks, size);
            String readings = "resident KiB filled " + kib[0] + ", freed " + kib[1] + ", after malloc_trim " + kib[2]
                    + ", after release " + kib[3];
            if (kib[0] - kib[2] < blockKib / 2) {
                assertTrue(kib[2] - kib[3] > blockKib / 2, "the release gave back at least half of the " + blockKib
                        + " KiB the thread freed, which malloc_trim kept: " + readings);
                return;
            }
            tried.add(readings);
        }
        org.junit.jupiter.api.Assumptions.abort("malloc_trim released the top on every thread tried (main arena, or a"
                + " glibc that trims thread arenas): nothing to show; " + tried);
    }

    /** Resident memory after filling, freeing, {@code malloc_trim(0)} and the release, all on a new thread. */
    private static long[] onANewThread(LibC c, int blocks, long size) throws InterruptedException {
        long[] kib = new long[4];
        Thread trial = new Thread(() -> {
            try {
                com.sun.jna.Pointer[] held = new com.sun.jna.Pointer[blocks];
                for (int i = 0; i < blocks; i++) {
                    held[i] = c.malloc(size);
                    c.memset(held[i], 1, size);
                }
                kib[0] = residentKib();
                for (int i = blocks - 1; i >= 0; i--) {
                    c.free(held[i]);
                }
                kib[1] = residentKib();
                c.malloc_trim(0);
                kib[2] = residentKib();
                NativeAllocator.releaseFreeMemory();
                kib[3] = residentKib();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        trial.start();
        trial.join();
        return kib;
    }
}
