package org.nas4j.estimators.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A reusable array slot of a layer: returns the same array for the same shape and data type, and allocates a new
 * one (zero-filled, 'c' order) only the first time a shape is asked for. So a network that alternates between a
 * training and an evaluation batch size allocates twice, once per shape, and never again.
 */
public final class Buffer {

    private record Key(DataType type, long[] shape) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.type == type && Arrays.equals(k.shape, shape);
        }

        @Override
        public int hashCode() {
            return 31 * type.hashCode() + Arrays.hashCode(shape);
        }
    }

    private final Map<Key, INDArray> arrays = new HashMap<>(2);
    private final double fill;
    private INDArray last;

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
     * @return a 'c'-order array, filled (with zeros unless {@link #constant}) when first allocated, afterwards holding whatever was last written
     */
    public INDArray get(DataType type, long... shape) {
        if (last != null && last.dataType() == type && Arrays.equals(last.shape(), shape)) {
            return last;
        }
        last = arrays.computeIfAbsent(new Key(type, shape.clone()), k -> Nd4j.zeros(type, k.shape()).addi(fill));
        return last;
    }

    /**
     * Frees this slot's arrays now (not at some later garbage collection); the next {@link #get} allocates again.
     * Only for slots whose arrays nobody else still uses.
     */
    public void release() {
        for (INDArray a : arrays.values()) {
            if (a.closeable()) {
                a.close();
            }
        }
        arrays.clear();
        last = null;
    }

    /** Returns this slot's array with the type and shape of {@code like}. */
    public INDArray like(INDArray like) {
        return get(like.dataType(), like.shape());
    }
}
