package org.nas4j.estimators.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Spare arrays, by data type and shape, handed back by layers that a pass does not run (or whose activations and
 * gradients are dead) and taken by the layers that run instead. A supernet edge keeps one pool for its candidate
 * ops: in single-path training only one of them runs per pass, so they can share their buffers and the edge's
 * memory is that of its largest op, not of all. Arrays come back with whatever they held; every layer overwrites
 * its buffers completely.
 *
 * <p>The pool never frees an array: freeing and allocating again, step after step, fragmented the native heap so
 * much that the peak RSS of single-path training rose by half (measured with glibc malloc, see
 * docs/performance.md).
 */
public final class ArrayPool {

    private final Map<ShapeKey, Shelf> shelves = new HashMap<>();

    /** Gives an array to the pool; the caller must no longer use it. */
    public void put(INDArray array) {
        shelves.computeIfAbsent(new ShapeKey(array.dataType(), array.shape().clone()), k -> new Shelf())
                .put(array);
    }

    /** Takes a spare array of the given type and shape, or returns null if there is none. */
    public INDArray take(DataType type, long[] shape) {
        Shelf shelf = shelves.get(new ShapeKey(type, shape));
        return shelf == null ? null : shelf.take();
    }

    /** Bytes of the spare arrays the pool holds now. */
    public long heldBytes() {
        long bytes = 0;
        for (Shelf shelf : shelves.values()) {
            for (INDArray a : shelf.arrays) {
                bytes += a.length() * a.dataType().width();
            }
        }
        return bytes;
    }

    /** The spares of one shape, most recently returned first. */
    private static final class Shelf {
        private final Deque<INDArray> arrays = new ArrayDeque<>();

        void put(INDArray array) {
            arrays.push(array);
        }

        INDArray take() {
            return arrays.poll();
        }
    }
}
