package org.nas4j.examples;

import java.util.OptionalInt;
import org.nas4j.estimators.backend.NativeAllocator;
import org.nas4j.estimators.backend.NativeThreads;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native backend as the step benchmarks run it: ND4J's periodic garbage collection off, the native threads of
 * one job chosen by nas4j's rule ({@link NativeThreads}: {@code OMP_NUM_THREADS}, else {@code --threads}, else every
 * core) and applied to the calling thread.
 */
final class BenchmarkBackend {

    private BenchmarkBackend() {
    }

    /** Prepares the backend for one job on the calling thread; returns the thread choice. */
    static NativeThreads.Choice prepare(OptionalInt threads) {
        Nd4j.getMemoryManager().togglePeriodicGc(false);
        NativeThreads.Choice choice = NativeThreads.choose(threads, 1);
        choice.applyToCurrentThread();
        return choice;
    }

    /** {@link #prepare}, then prints the line {@code nd4j backend <name>, <threads>, native allocator: <state>}. */
    static NativeThreads.Choice prepareAndDescribe(OptionalInt threads) {
        NativeThreads.Choice choice = prepare(threads);
        System.out.println("nd4j backend " + Nd4j.getBackend().getClass().getSimpleName() + ", " + choice
                + ", native allocator: " + NativeAllocator.tune());
        return choice;
    }
}
