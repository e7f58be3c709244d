package org.nas4j.estimators.backend;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.nas4j.estimators.engine.ConvolutionThreads;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many native threads (OpenMP, which oneDNN's convolutions use, and OpenBLAS) one training job uses, chosen
 * by nas4j rather than left to the environment. The rule, in order:
 * <ol>
 *   <li>an explicit {@code OMP_NUM_THREADS} in the environment wins: nas4j then changes nothing (the native
 *       libraries read it when they load);</li>
 *   <li>else an explicit count given to the entry point (e.g. {@code TrainingEstimator.Builder.nativeThreads});</li>
 *   <li>else the cores divided among the jobs run at once: {@code max(1, cores / concurrentJobs)}, so that two
 *       trials on two cores get one thread each and never wait for a core the other holds.</li>
 * </ol>
 * OpenMP keeps its thread count per calling thread, so {@link Choice#applyToCurrentThread} must run on the thread
 * that then calls the native ops (the estimators do this at the start of every evaluation). OpenBLAS's count is
 * process-wide and can only be lowered below the count it started with. libnd4j's own pool (elementwise ops and
 * reductions) is sized once, when ND4J loads, from {@code OMP_NUM_THREADS} or the cores ({@code
 * Environment.setMaxThreads} does nothing in ND4J M2.1); how many of its threads one op takes ("master threads")
 * can be lowered, process-wide, and is set to the same count.
 *
 * <pre>{@code
 * NativeThreads.Choice c = NativeThreads.choose(OptionalInt.empty(), 2); // 1 thread each on a 2-core machine
 * c.applyToCurrentThread();
 * }</pre>
 */
public final class NativeThreads {
    private static final Logger LOG = LoggerFactory.getLogger(NativeThreads.class);

    /** The environment variable that, when set, means the user chose the native threading. */
    public static final String OMP_NUM_THREADS = "OMP_NUM_THREADS";

    private NativeThreads() {
    }

    /** Where a thread count came from. */
    public enum Source {
        /** {@code OMP_NUM_THREADS} in the environment. */
        ENVIRONMENT,
        /** An explicit count given to nas4j. */
        EXPLICIT,
        /** nas4j's default: the cores divided among the jobs run at once. */
        DEFAULT
    }

    /**
     * A thread count and where it came from. Immutable.
     *
     * @param threads native threads per job, >= 1
     * @param source  where the count came from
     */
    public record Choice(int threads, Source source) {
        public Choice {
            Objects.requireNonNull(source, "source");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, but was " + threads);
            }
        }

        /**
         * Prepares the native backend for a job on the calling thread: tunes the native allocator once per
         * process ({@link NativeAllocator#tune()}), then sets the native thread counts of the calling thread
         * (OpenMP) and of the process (libnd4j's threads per op, OpenBLAS), unless the count came from the
         * environment; records the calling thread's count for {@link ConvolutionThreads}, which runs small
         * convolutions on one OpenMP thread.
         */
        public void applyToCurrentThread() {
            NativeAllocator.tune();
            if (source == Source.ENVIRONMENT) {
                ConvolutionThreads.choose(0);
                return;
            }
            Nd4j.getBackend(); // NativeOpsHolder needs the backend loaded
            Nd4j.getEnvironment().setMaxMasterThreads(Math.min(threads, Nd4j.getEnvironment().maxThreads()));
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            ConvolutionThreads.choose(threads);
            if (Nd4j.factory().blas().getMaxThreads() != threads) {
                Nd4j.factory().blas().setMaxThreads(threads);
            }
        }

        @Override
        public String toString() {
            return threads + " native thread(s) per job (" + switch (source) {
                case ENVIRONMENT -> OMP_NUM_THREADS + " in the environment";
                case EXPLICIT -> "set explicitly";
                case DEFAULT -> "the cores divided among the jobs run at once";
            } + ")";
        }
    }

    /**
     * The thread count per job for {@code concurrentJobs} jobs run at once, by the rule in the class documentation,
     * reading the process environment and {@link Runtime#availableProcessors()}.
     *
     * @param explicit       a count given by the user, or empty for nas4j's choice
     * @param concurrentJobs how many trials (or other training jobs) run at once, >= 1
     */
    public static Choice choose(OptionalInt explicit, int concurrentJobs) {
        return choose(explicit, concurrentJobs, System.getenv(), Runtime.getRuntime().availableProcessors());
    }

    /** As {@link #choose(OptionalInt, int)}, with the environment and core count given (for tests). */
    static Choice choose(OptionalInt explicit, int concurrentJobs, Map<String, String> environment, int cores) {
        Objects.requireNonNull(explicit, "explicit");
        if (concurrentJobs < 1) {
            throw new IllegalArgumentException("concurrentJobs must be >= 1, but was " + concurrentJobs);
        }
        if (explicit.isPresent() && explicit.getAsInt() < 1) {
            throw new IllegalArgumentException("native threads must be >= 1, but was " + explicit.getAsInt());
        }
        String env = environment.get(OMP_NUM_THREADS);
        if (env != null && !env.isBlank()) {
            int n = parseEnvironment(env);
            if (explicit.isPresent() && explicit.getAsInt() != n) {
                LOG.warn("{}={} in the environment wins over the {} native threads asked for", OMP_NUM_THREADS,
                        env.trim(), explicit.getAsInt());
            }
            return new Choice(n, Source.ENVIRONMENT);
        }
        if (explicit.isPresent()) {
            return new Choice(explicit.getAsInt(), Source.EXPLICIT);
        }
        return new Choice(Math.max(1, cores / concurrentJobs), Source.DEFAULT);
    }

    private static int parseEnvironment(String value) {
        // OpenMP allows a list ("4,2") for nested levels: the first entry is the outer team's size
        String first = value.trim().split(",")[0].trim();
        try {
            int n = Integer.parseInt(first);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(OMP_NUM_THREADS + " must be a positive integer, but was '" + value + "'");
    }
}
