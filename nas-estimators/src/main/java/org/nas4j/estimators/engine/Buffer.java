package org.nas4j.estimators.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A reusable array slot of a layer: returns the same array for the same shape and data type, and allocates a new
 * one (zero-filled, 'c' order) only the first time a shape is asked for. So a network that alternates between a
 * training and an evaluation batch size allocates twice, once per shape, and never again. A slot can hand its
 * arrays to an {@link ArrayPool} ({@link #release}) when its layer sits out a pass.
 */
public final class Buffer {

    /** Read-only zero arrays shared by all {@link #sharedZeros} callers, one per data type and shape. */
    private static final Map<ShapeKey, INDArray> ZEROS = new ConcurrentHashMap<>();
    /** Bytes of all arrays that buffers allocated (not taken from a pool), process-wide. */
    private static final AtomicLong ALLOCATED_BYTES = new AtomicLong();

    private final Map<ShapeKey, INDArray> arrays = new HashMap<>(2);
    private final double fill;
    private INDArray last;
    private ArrayPool pool;

    /** A slot whose arrays start zero-filled. */
    public Buffer() {
        this(0.0);
    }

    private Buffer(double fill) {
        this.fill = fill;
    }

    /** A slot whose arrays are filled with {@code value} when allocated (e.g. ones vectors); never write to them. */
    public static Buffer constant(double value) {
        return new Buffer(value);
    }

    /**
     * Returns this slot's array for the given type and shape.
     *
     * @param type  the data type
     * @param shape the shape
     * @return a 'c'-order array, zero-filled (or {@link #constant}) when allocated, stale when taken from a pool, afterwards holding whatever was last written
     */
    public INDArray get(DataType type, long... shape) {
        if (last != null && last.dataType() == type && Arrays.equals(last.shape(), shape)) {
            return last;
        }
        last = arrays.computeIfAbsent(new ShapeKey(type, shape.clone()), this::allocate);
        return last;
    }

    private INDArray allocate(ShapeKey key) {
        INDArray spare = pool == null ? null : pool.take(key.type(), key.shape());
        if (spare != null) {
            return spare;
        }
        INDArray fresh = MemoryScope.track(Nd4j.zeros(key.type(), key.shape()).addi(fill));
        ALLOCATED_BYTES.addAndGet(fresh.length() * key.type().width());
        return fresh;
    }

    /**
     * Bytes of the arrays that all buffers of this process have allocated so far, not counting arrays taken from a
     * pool or {@link #sharedZeros}. A network whose buffers are reused stops adding to it after its first passes:
     * a diagnostic of memory growth across training steps.
     */
    public static long allocatedBytes() {
        return ALLOCATED_BYTES.get();
    }

    /**
     * Hands this slot's arrays to {@code pool} and takes later arrays from it first; the next {@link #get}
     * of a shape takes a spare array (with stale contents) or allocates. Not for {@link #constant} slots.
     */
    public void release(ArrayPool pool) {
        if (fill != 0.0) {
            throw new IllegalStateException("constant buffers keep their values and cannot be released");
        }
        for (INDArray a : arrays.values()) {
            pool.put(a);
        }
        arrays.clear();
        last = null;
        this.pool = pool;
    }

    /**
     * Returns a zero-filled array of the given type and shape that is shared process-wide: one per type and shape,
     * never released. Only for outputs and gradients that are all zeros (the {@code none} op), which nobody writes
     * to (no layer modifies its arguments), so that the hundred zero ops of a supernet do not hold an
     * activation-sized array each.
     */
    public static INDArray sharedZeros(DataType type, long... shape) {
        return ZEROS.computeIfAbsent(new ShapeKey(type, shape.clone()), k -> Nd4j.zeros(k.type(), k.shape()));
    }

    /** Returns this slot's array with the type and shape of {@code like}. */
    public INDArray like(INDArray like) {
        return get(like.dataType(), like.shape());
    }
}
