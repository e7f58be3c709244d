package org.nas4j.estimators.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradients of the states of a graph during its backward pass, each summed over the readers of that state.
 * The first gradient a state receives is kept by reference (no copy: most states have one reader); a second one
 * is added into a buffer of the state's own, reused from pass to pass; further ones are added in place. Not
 * thread-safe.
 */
public final class GradientSums {

    private final INDArray[] sums;
    private final boolean[] owned;
    private final Buffer[] buffers;
    private final NativeOp add = NativeOp.named("add");

    /**
     * Creates sums for {@code states} states.
     *
     * @param states the number of states, at least 1
     */
    public GradientSums(int states) {
        if (states < 1) {
            throw new IllegalArgumentException("states must be >= 1, but was " + states);
        }
        this.sums = new INDArray[states];
        this.owned = new boolean[states];
        this.buffers = new Buffer[states];
        for (int i = 0; i < states; i++) {
            buffers[i] = new Buffer();
        }
    }

    /** Forgets every sum; call at the start of a backward pass. */
    public void clear() {
        Arrays.fill(sums, null);
        Arrays.fill(owned, false);
    }

    /**
     * Adds {@code gradient} to the sum of {@code state}.
     *
     * @param state    the state
     * @param gradient a gradient of the state's shape; it may be kept by reference until the next {@link #clear()}
     */
    public void add(int state, INDArray gradient) {
        if (sums[state] == null) {
            sums[state] = gradient;
        } else if (!owned[state]) {
            INDArray buf = buffers[state].like(gradient);
            add.exec(buf, sums[state], gradient);
            sums[state] = buf;
            owned[state] = true;
        } else {
            sums[state].addi(gradient);
        }
    }

    /** The sum of {@code state}'s gradients since the last {@link #clear()}, or null if it received none. */
    public INDArray get(int state) {
        return sums[state];
    }

    /**
     * Whether the sum of {@code state} is in a buffer of this object's own (it received two gradients or more), rather
     * than the one gradient it received, held by reference.
     */
    public boolean owns(int state) {
        return owned[state];
    }

    /**
     * Hands the buffer of {@code state}'s sum to {@code pool}, once that sum is dead; later sums of the state take
     * their buffer from the pool. Call it only after {@link #clear()} or when nobody reads {@code get(state)} any
     * more.
     */
    public void releaseBuffer(int state, ArrayPool pool) {
        if (owned[state]) {
            sums[state] = null;
            owned[state] = false;
        }
        buffers[state].release(pool);
    }

    /** The number of states. */
    public int size() {
        return sums.length;
    }
}
