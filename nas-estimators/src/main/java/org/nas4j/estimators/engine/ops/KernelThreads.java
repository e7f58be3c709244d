package org.nas4j.estimators.engine.ops;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the independent pieces of one Java kernel call (image planes, channels) on as many threads as a native op
 * would use: libnd4j's threads per op ({@code Environment.maxMasterThreads()}), which {@link
 * org.nas4j.estimators.backend.NativeThreads} sets from the user's choice (or which {@code OMP_NUM_THREADS} sets
 * when the library loads). With one thread per job (e.g. two trials on two cores) everything runs on the calling
 * thread and no other thread is touched.
 *
 * <p>The helper threads come from one process-wide {@link ForkJoinPool} of daemon threads, created on first use
 * with one thread per core and never shut down. Why shared and not per network: a training step makes a few
 * hundred kernel calls of about a millisecond each, so threads must be ready (creating them per call costs
 * ~50-100 us each); a pool per network would need a close() that no network has; and the pool cannot grow past
 * the cores, while each call's parallelism is bounded by the calling job's thread choice. Idle daemon threads
 * hold no memory of the kernels (scratch is allocated per call) and do not keep the JVM alive. It is not the
 * common pool, which on a 2-core machine has a single thread and is shared with unrelated user code.
 */
final class KernelThreads {

    private KernelThreads() {
    }

    private static final class Holder {
        static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors(),
                pool -> {
                    var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                    t.setName("nas4j-kernel-" + t.getPoolIndex());
                    t.setDaemon(true);
                    return t;
                }, null, false);
    }

    /** Threads one kernel call may use: libnd4j's threads per op, at least 1. */
    static int parallelism() {
        return Math.max(1, Nd4j.getEnvironment().maxMasterThreads());
    }

    /**
     * Calls, for every index in {@code [0, count)} exactly once, the consumer of one of at most {@link
     * #parallelism()} workers; each worker makes its consumer (and so its scratch) with {@code worker.get()}.
     * Indices are handed out in small chunks (about eight per worker), so a worker slowed by the machine takes
     * fewer. Returns when all are done;
     * an exception of any worker is rethrown.
     */
    static void forEach(int count, Supplier<IntConsumer> worker) {
        int threads = Math.min(count, parallelism());
        if (threads <= 1) {
            IntConsumer body = worker.get();
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        int chunk = Math.max(1, count / (8 * threads));
        Runnable run = () -> {
            IntConsumer body = worker.get();
            for (int from = next.getAndAdd(chunk); from < count; from = next.getAndAdd(chunk)) {
                for (int i = from; i < Math.min(count, from + chunk); i++) {
                    body.accept(i);
                }
            }
        };
        @SuppressWarnings("unchecked")
        ForkJoinTask<?>[] helpers = new ForkJoinTask<?>[threads - 1];
        for (int t = 0; t < helpers.length; t++) {
            helpers[t] = Holder.POOL.submit(run);
        }
        RuntimeException failure = null;
        try {
            run.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (ForkJoinTask<?> h : helpers) {
            try {
                h.join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
