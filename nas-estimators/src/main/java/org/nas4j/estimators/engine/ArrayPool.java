package org.nas4j.estimators.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Spare arrays, by data type and shape, handed back by layers that a pass does not run and taken by the layers
 * that run instead. A supernet edge keeps one pool for its candidate ops: in single-path training only one of
 * them runs per pass, so they can share their buffers and the edge's memory is that of its largest op, not of all.
 * Arrays come back with whatever they held; every layer overwrites its buffers completely.
 */
public final class ArrayPool {

    private final Map<ShapeKey, Deque<INDArray>> spare = new HashMap<>();

    /** Gives an array to the pool; the caller must no longer use it. */
    public void put(INDArray array) {
        spare.computeIfAbsent(new ShapeKey(array.dataType(), array.shape().clone()), k -> new ArrayDeque<>())
                .push(array);
    }

    /** Takes a spare array of the given type and shape, or returns null if there is none. */
    public INDArray take(DataType type, long[] shape) {
        Deque<INDArray> arrays = spare.get(new ShapeKey(type, shape));
        return arrays == null || arrays.isEmpty() ? null : arrays.pop();
    }
}
