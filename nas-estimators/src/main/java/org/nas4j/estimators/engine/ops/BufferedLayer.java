package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;

/**
 * A layer with one output buffer and one input-gradient buffer whose backward pass reads its input, never its own
 * output: the output can go back to the pool as soon as its consumer has read it ({@link #releaseOutput}), the
 * input gradient once it is dead ({@link #releaseGradientBuffers}), both between steps ({@link #releaseBuffers}).
 */
abstract class BufferedLayer implements Layer {

    /** Where {@code forward} writes its result. */
    protected final Buffer output = new Buffer();
    /** Where {@code backward} writes the gradient with respect to the input. */
    protected final Buffer gradInput = new Buffer();

    @Override
    public void releaseGradientBuffers(ArrayPool pool) {
        gradInput.release(pool);
    }

    @Override
    public void releaseOutput(ArrayPool pool) {
        output.release(pool);
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        output.release(pool);
        gradInput.release(pool);
    }
}
