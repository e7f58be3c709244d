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
 * <p>{@link #trim()} frees the arrays that nobody took since the previous trim, so that a pool serving passes of
 * varying need (single-path training draws a different architecture each step) holds one pass's need, not the
 * largest need ever seen of every shape.
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

    /**
     * Frees (closes) the spare arrays that stayed unused since the previous trim: of each shape, as many as the
     * fewest spares the pool held of it in that time (the least recently returned ones). The first trim only starts
     * the count. The memory goes back to the native allocator, which can serve arrays of other shapes from it.
     * Arrays of a shape that every pass needs are kept.
     *
     * @return the bytes freed
     */
    public long trim() {
        long freed = 0;
        for (Shelf shelf : shelves.values()) {
            freed += shelf.trim();
        }
        return freed;
    }

    /** Bytes of the spare arrays the pool holds now. */
    public long heldBytes() {
        long bytes = 0;
        for (Shelf shelf : shelves.values()) {
            for (INDArray a : shelf.arrays) {
                bytes += bytes(a);
            }
        }
        return bytes;
    }

    private static long bytes(INDArray a) {
        return a.length() * a.dataType().width();
    }

    /** The spares of one shape, most recently returned first, and the fewest held since the last trim. */
    private static final class Shelf {
        private final Deque<INDArray> arrays = new ArrayDeque<>();
        private int fewest;

        void put(INDArray array) {
            arrays.push(array);
        }

        INDArray take() {
            INDArray a = arrays.poll();
            fewest = Math.min(fewest, arrays.size());
            return a;
        }

        long trim() {
            long freed = 0;
            for (int i = 0; i < fewest; i++) {
                // the least recently returned ones
                INDArray a = arrays.removeLast();
                freed += bytes(a);
                if (a.closeable()) {
                    a.close();
                }
            }
            fewest = arrays.size();
            return freed;
        }
    }
}
