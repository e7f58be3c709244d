package org.nas4j.estimators.backend;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
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
 * <p>Because freed memory is kept, it also bounds the number of malloc arenas to the number of cores ({@code
 * mallopt(M_ARENA_MAX)}; glibc's default is eight per core): each arena keeps the peak of the threads that used it,
 * and the quickstart's many short-lived threads had spread over nine 64 MiB arenas, all resident (peak 1.71 GB;
 * 1.36 GB with two arenas, docs/reliability.md "Memory").
 *
 * <p>Nothing is changed where the user chose: when {@code MALLOC_MMAP_THRESHOLD_}, {@code MALLOC_TRIM_THRESHOLD_}
 * or {@code GLIBC_TUNABLES} is set, or off Linux/glibc (then it reports why); {@code MALLOC_ARENA_MAX} leaves the
 * arena count alone.
 */
public final class NativeAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(NativeAllocator.class);
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int M_ARENA_MAX = -8;
    /** The thresholds set: requests below 1 GiB are served from (and returned to) the process's heap. */
    public static final int THRESHOLD_BYTES = 1 << 30;
    private static final AtomicReference<String> OUTCOME = new AtomicReference<>();

    private NativeAllocator() {
    }

    /** glibc's {@code mallopt}. */
    private interface CLibrary extends Library {
        int mallopt(int param, int value);
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

    /** The arena limit for a machine of {@code cores} cores: one per core, at least two. */
    static int arenaLimit(int cores) {
        return Math.max(2, cores);
    }

    private static String apply(Map<String, String> environment) {
        for (String variable : new String[] {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES"}) {
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
                    && c.mallopt(M_TRIM_THRESHOLD, THRESHOLD_BYTES) == 1;
            if (!ok) {
                return "left as it is (mallopt refused the thresholds)";
            }
            if (environment.containsKey("MALLOC_ARENA_MAX")) {
                return "glibc thresholds raised to 1 GiB, arenas as set by MALLOC_ARENA_MAX";
            }
            int arenas = arenaLimit(Runtime.getRuntime().availableProcessors());
            return c.mallopt(M_ARENA_MAX, arenas) == 1
                    ? "glibc thresholds raised to 1 GiB, at most " + arenas + " arenas"
                    : "glibc thresholds raised to 1 GiB (mallopt refused the arena limit)";
        } catch (UnsatisfiedLinkError | RuntimeException e) { // not glibc (musl has no mallopt), or no JNA stub
            return "left as it is (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }
}
