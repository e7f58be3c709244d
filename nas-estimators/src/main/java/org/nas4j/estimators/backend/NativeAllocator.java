package org.nas4j.estimators.backend;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps glibc's allocator from handing the native ops' temporaries back to the kernel after every op. libnd4j and
 * oneDNN allocate and free activation-sized temporaries in every convolution; with glibc's default (dynamic)
 * thresholds the large ones come from fresh {@code mmap}s, or are trimmed off the heap when freed, and every page
 * is faulted in again on the next call. Measured on the NAS-Bench-201 training step (docs/reliability.md, "Native
 * threads"): runs of the same program took 0.8 s or 2.0-2.6 s per step at random, the slow ones with three to
 * four times the page faults; with the thresholds raised, every run took 0.8-0.9 s at the same peak memory.
 *
 * <p>{@link #tune()} raises, once per process, glibc's mmap threshold and trim threshold to 1 GiB ({@code
 * mallopt(M_MMAP_THRESHOLD)}, {@code mallopt(M_TRIM_THRESHOLD)}): freed native memory stays in the process and is
 * reused. The process's resident memory then stays at its peak instead of shrinking between steps, which is what
 * a training search needs anyway.
 *
 * <p>The number of malloc arenas (glibc's default: eight per core, each keeping the peak of the threads that used
 * it) can only be bounded from the environment, {@code MALLOC_ARENA_MAX=2} at process start: glibc fixes the limit
 * when the first thread asks for an arena, which in a JVM happens before any Java code runs ({@code
 * mallopt(M_ARENA_MAX)} from Java was checked with {@code malloc_stats}: 16 arenas for 8 threads with or without it,
 * 2 with the variable). It is not needed: since the collection after each trial hands back the heap the live data
 * does not need ({@link HeapCollection}), a soak of 500 short trials grows by less than 2% after the first 50 without
 * it (docs/reliability.md, "Memory"). Nothing is
 * changed where the user chose: when {@code MALLOC_MMAP_THRESHOLD_},
 * {@code MALLOC_TRIM_THRESHOLD_} or {@code GLIBC_TUNABLES} is set, or off Linux/glibc (then it reports why).
 */
public final class NativeAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(NativeAllocator.class);
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;
    /** The thresholds set: requests below 1 GiB are served from (and returned to) the process's heap. */
    public static final int THRESHOLD_BYTES = 1 << 30;
    /**
     * The top pad set: 64 MiB, the size of a thread arena's heap. glibc deletes a thread arena's heap (unmaps it) as
     * soon as everything in it is freed unless more than the top pad would remain, whatever the trim threshold;
     * with the pad at a heap's size no heap is ever deleted, so its pages stay mapped for the next step.
     */
    public static final int TOP_PAD_BYTES = 64 << 20;
    /**
     * The request that makes the calling thread's arena trim itself ({@link #trimThisThreadsArena}): above any free
     * chunk an arena normally holds and below a thread heap's 64 MiB, so glibc carves it from the top of the heap
     * (or from a fresh heap) and {@code free} merges it back into the top. {@code malloc} touches only its header.
     */
    private static final long TRIM_PROBE_BYTES = 48L << 20;
    /** The trim threshold during {@link #trimThisThreadsArena}: glibc's default, 128 KiB. */
    private static final int DEFAULT_TRIM_THRESHOLD_BYTES = 128 << 10;
    private static final AtomicReference<String> OUTCOME = new AtomicReference<>();

    private NativeAllocator() {
    }

    /** glibc, loaded when first needed; reached only after {@link #tune()} loaded it once successfully. */
    private static final class C {
        static final CLibrary LIBRARY = Native.loadLibrary("c", CLibrary.class);
    }

    /** glibc's {@code mallopt}, {@code malloc_trim}, {@code malloc} and {@code free}. */
    private interface CLibrary extends Library {
        int mallopt(int param, int value);

        int malloc_trim(long pad);

        Pointer malloc(long size);

        void free(Pointer p);
    }

    /**
     * Tunes the allocator once per process (later calls return the first outcome) and says what was done, e.g.
     * {@code "glibc thresholds raised to 1 GiB"} or {@code "left as set by MALLOC_TRIM_THRESHOLD_"}.
     */
    public static String tune() {
        String done = OUTCOME.get();
        if (done != null) {
            return done;
        }
        synchronized (NativeAllocator.class) {
            if (OUTCOME.get() == null) {
                String outcome = apply(System.getenv());
                LOG.info("native allocator: {}", outcome);
                OUTCOME.set(outcome);
            }
            return OUTCOME.get();
        }
    }

    private static String apply(Map<String, String> environment) {
        for (String variable : new String[] {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_",
                "GLIBC_TUNABLES"}) {
            if (environment.containsKey(variable)) {
                return "left as set by " + variable;
            }
        }
        if (!Platform.isLinux()) {
            return "left as it is (not Linux)";
        }
        try {
            CLibrary c = Native.loadLibrary("c", CLibrary.class);
            boolean ok = c.mallopt(M_MMAP_THRESHOLD, THRESHOLD_BYTES) == 1
                    && c.mallopt(M_TRIM_THRESHOLD, THRESHOLD_BYTES) == 1 && c.mallopt(M_TOP_PAD, TOP_PAD_BYTES) == 1;
            return ok ? "glibc thresholds raised to 1 GiB, top pad 64 MiB"
                    : "left as it is (mallopt refused the thresholds)";
        } catch (UnsatisfiedLinkError | RuntimeException e) { // not glibc (musl has no mallopt), or no JNA stub
            return "left as it is (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }

    /**
     * Hands the free pages of every malloc arena back to the kernel ({@code malloc_trim(0)}), and the free top of
     * the calling thread's arena ({@link #trimThisThreadsArena}), so that the process's resident memory falls to
     * what is in use. Raised thresholds ({@link #tune()}) keep freed memory for reuse by
     * the next op, which a training run needs; between trials that memory is idle, and each thread's arena keeps
     * the peak of its own trials (eight arenas of 64 MiB each, fully resident, in the quickstart). Call it between
     * trials, not between ops: the next trial faults its pages in once. Returns whether memory was released;
     * false off glibc or where {@link #tune()} left the allocator as the user set it.
     */
    public static boolean releaseFreeMemory() {
        String outcome = tune();
        if (!outcome.startsWith("glibc thresholds raised")) {
            return false;
        }
        trimThisThreadsArena();
        return C.LIBRARY.malloc_trim(0) == 1;
    }

    /**
     * Hands the free top of the calling thread's malloc arena back to the kernel: its emptied heaps unmapped, the
     * last heap's free end released. {@code malloc_trim} does not do this for a thread's arena (it releases free
     * chunks inside the heaps and trims only the main arena's top), and glibc shrinks a thread arena's heap only
     * inside {@code free}, under the thresholds of that moment, which {@link #tune()} raised so that steps keep their
     * pages. So for one {@code malloc} and {@code free} of {@link #TRIM_PROBE_BYTES} on this thread the top pad is 0
     * and the trim threshold glibc's default; then both are raised again. A trial's buffers come from the arena of
     * the thread that runs it, so calling this before a trial, on its thread, releases what earlier trials on that
     * thread left at the top of the heap, which would otherwise stay resident at the largest trial's size. Other
     * threads freeing memory during these two calls may trim their heaps too (their next step faults those pages in
     * again).
     */
    private static void trimThisThreadsArena() {
        synchronized (NativeAllocator.class) {
            C.LIBRARY.mallopt(M_TOP_PAD, 0);
            C.LIBRARY.mallopt(M_TRIM_THRESHOLD, DEFAULT_TRIM_THRESHOLD_BYTES);
            try {
                Pointer probe = C.LIBRARY.malloc(TRIM_PROBE_BYTES);
                if (probe != null) {
                    C.LIBRARY.free(probe);
                }
            } finally {
                C.LIBRARY.mallopt(M_TRIM_THRESHOLD, THRESHOLD_BYTES);
                C.LIBRARY.mallopt(M_TOP_PAD, TOP_PAD_BYTES);
            }
        }
    }
}
