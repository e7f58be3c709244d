package org.nas4j.estimators.engine;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How many OpenMP threads the native convolutions (libnd4j's {@code conv2d}, {@code conv2d_bp}, through oneDNN) of
 * a calling thread run on: one while every convolution among its recent ones is small, else the count the job
 * chose for the thread. A convolution is large when it has at least {@link #GRAIN} multiply-adds or an output
 * plane of at least {@link #LARGE_PLANE} positions. PyTorch's intra-op grain in spirit, decided per network rather
 * than per op.
 *
 * <p>Why: on two cores a small convolution gains little from a second thread, and afterwards the OpenMP worker
 * spins on the other core while nas4j's Java kernels (batch norm, depthwise convolution) want it. On the small
 * mobile chains (batch 64, planes of 28x28 and smaller, at most 34 M and 39 M multiply-adds) one epoch took 15-24%
 * less time with every convolution on one thread (docs/performance.md, "Small convolutions on one OpenMP
 * thread"). Why per network and not per op: switching the count between one convolution and the next made
 * NAS-Bench-201's step 19% slower, its 3x3 convolutions left on two threads included (the worker sleeps after a
 * one-thread op and must be woken). Why the plane: 1x1 convolutions at 32x32 (NAS-Bench-201's 17 M, the DARTS
 * search network's 8-34 M) were slower on one thread. So the decision follows the largest convolution among the
 * last {@link #WINDOW} on the thread (a training step of a mobile chain has about 50): a network with one large
 * convolution runs all of them on the job's threads, one without runs all on one, and a thread that moves to
 * another network (the next trial) follows within two windows.
 *
 * <p>OpenBLAS follows the same decision: its thread count (process-wide) is set with the OpenMP count. Why: a
 * product that OpenBLAS splits leaves its worker spinning with {@code sched_yield} for a while, on the core the
 * Java kernels want; at two threads one epoch of the SPOS chain made about 4,700 {@code sched_yield} calls per step
 * with OpenBLAS on two threads and 35 on one, and took 12% longer (docs/performance.md, "1x1 convolutions as
 * matrix products"). A network without convolutions (a recurrent language model) keeps the job's count for both.
 *
 * <p>The count is per calling thread, as OpenMP keeps it: {@link #choose} records the job's count for the
 * calling thread ({@code NativeThreads.Choice.applyToCurrentThread} calls it), and {@link #forConvolution}
 * switches the calling thread's OpenMP count when the decision changes. On a thread whose job did not choose
 * (the count came from {@code OMP_NUM_THREADS}, or no job was prepared on it) nothing is switched: the
 * environment's count stays. The switch is a native call made only when the count changes.
 */
public final class ConvolutionThreads {

    /**
     * Multiply-adds from which a network's convolutions run on the job's threads: 2^26 (67 M). The SPOS and
     * ProxylessNAS chains' convolutions lie below (at most 34 M and 39 M at batch 64), NAS-Bench-201's 3x3
     * convolutions above (151 M at 16 channels and 32x32).
     */
    public static final long GRAIN = 1L << 26;

    /**
     * Output positions ({@code H * W}) from which a convolution counts as large whatever its multiply-adds: 32x32.
     * NAS-Bench-201's and the DARTS search network's 1x1 convolutions at 32x32 (17 M and 8-34 M multiply-adds)
     * were slower on one thread; the mobile chains' planes are 28x28 and smaller.
     */
    public static final long LARGE_PLANE = 32 * 32;

    /** Convolution calls per window: the decision follows the largest of the current and the last window. */
    public static final int WINDOW = 256;

    /** Per thread: the job's count, OpenMP's count now, calls in this window, this and the last window's largest. */
    private static final class State {
        int chosen;
        int current;
        int calls;
        long windowLargest;
        long lastWindowLargest;
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    private ConvolutionThreads() {
    }

    /**
     * Records that the calling thread's job runs on {@code threads} OpenMP threads, which the caller has just set,
     * and starts the thread's convolution history afresh; {@code 0} forgets the choice (the environment decides,
     * nothing is switched).
     */
    public static void choose(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, but was " + threads);
        }
        State s = STATE.get();
        s.chosen = threads;
        s.current = threads;
        s.calls = 0;
        s.windowLargest = 0;
        s.lastWindowLargest = 0;
    }

    /** The job's count recorded for the calling thread, 0 if none. */
    public static int chosen() {
        return STATE.get().chosen;
    }

    /**
     * The OpenMP count for a job that chose {@code chosen} threads whose recent convolutions' largest has {@code
     * largestMultiplyAdds}: 1 below the grain, else {@code chosen}.
     */
    public static int threadsFor(long largestMultiplyAdds, int chosen) {
        return chosen <= 1 || largestMultiplyAdds < GRAIN ? Math.min(1, chosen) : chosen;
    }

    /**
     * Prepares the calling thread for a convolution of {@code multiplyAdds} with {@code outputPlane} output positions
     * per channel: notes it in the thread's history (a plane of at least {@link #LARGE_PLANE} counts as {@link
     * #GRAIN}) and switches OpenMP's count to {@link #threadsFor} the history's largest when that differs from the
     * count it has; does nothing where no job chose.
     */
    public static void forConvolution(long multiplyAdds, long outputPlane) {
        State s = STATE.get();
        if (s.chosen == 0) {
            return;
        }
        s.windowLargest = Math.max(s.windowLargest, outputPlane >= LARGE_PLANE ? Math.max(GRAIN, multiplyAdds)
                : multiplyAdds);
        if (++s.calls == WINDOW) {
            s.lastWindowLargest = s.windowLargest;
            s.windowLargest = 0;
            s.calls = 0;
        }
        int want = threadsFor(Math.max(s.windowLargest, s.lastWindowLargest), s.chosen);
        if (want != s.current) {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(want);
            if (Nd4j.factory().blas().getMaxThreads() != want) {
                Nd4j.factory().blas().setMaxThreads(want);
            }
            s.current = want;
        }
    }

    /** The count OpenMP has on the calling thread as far as this class set it, 0 where no job chose. */
    /**
     * Whether the calling thread's job chose its thread count and its recent convolutions all run on one thread (a
     * network of small convolutions, or one thread per job): OpenMP and OpenBLAS then run on one thread for it.
     */
    public static boolean oneThreadForNative() {
        State s = STATE.get();
        return s.chosen >= 1 && s.current == 1;
    }

    static int current() {
        return STATE.get().current;
    }
}
