package org.nas4j.estimators.engine.ops;

import java.util.Arrays;

/**
 * Arrays that the Java batch-norm passes ({@link FloatBatchNorm}, {@link DoubleBatchNorm}) reuse from call to
 * call, one set per thread, in numbered slots. A training step makes a few hundred such calls, each needing a few
 * image-sized arrays; allocating them per call made the garbage collector grow the young generation (the
 * NAS-Bench-201 step's peak resident memory rose by ~130 MiB, docs/performance.md). Each slot keeps the largest
 * array its thread asked for, so a thread holds a few images' worth of memory (e.g. 64 KB per slot for 16 channels
 * of 32x32 in FLOAT) for as long as it lives.
 *
 * <p>A slot's array is the calling thread's until its next request for the same slot: a kernel takes its slots at
 * the start of a call and uses them until it returns. Callers and workers of one call use different slot numbers,
 * since the calling thread is also one of the call's workers.
 */
final class KernelScratch {
    private static final ThreadLocal<KernelScratch> OF_THREAD = ThreadLocal.withInitial(KernelScratch::new);
    private float[][] floats = new float[0][];
    private double[][] doubles = new double[0][];

    private KernelScratch() {
    }

    /** The calling thread's arrays. */
    static KernelScratch ofThisThread() {
        return OF_THREAD.get();
    }

    /** This thread's FLOAT array in {@code slot}, at least {@code size} long; its contents are undefined. */
    float[] floats(int slot, int size) {
        if (slot >= floats.length) {
            floats = Arrays.copyOf(floats, slot + 1);
        }
        if (floats[slot] == null || floats[slot].length < size) {
            floats[slot] = new float[size];
        }
        return floats[slot];
    }

    /** As {@link #floats}, with its first {@code size} elements zero. */
    float[] zeroFloats(int slot, int size) {
        float[] a = floats(slot, size);
        Arrays.fill(a, 0, size, 0f);
        return a;
    }

    /** This thread's DOUBLE array in {@code slot}, at least {@code size} long; its contents are undefined. */
    double[] doubles(int slot, int size) {
        if (slot >= doubles.length) {
            doubles = Arrays.copyOf(doubles, slot + 1);
        }
        if (doubles[slot] == null || doubles[slot].length < size) {
            doubles[slot] = new double[size];
        }
        return doubles[slot];
    }

    /** As {@link #doubles}, with its first {@code size} elements zero. */
    double[] zeroDoubles(int slot, int size) {
        double[] a = doubles(slot, size);
        Arrays.fill(a, 0, size, 0.0);
        return a;
    }
}
