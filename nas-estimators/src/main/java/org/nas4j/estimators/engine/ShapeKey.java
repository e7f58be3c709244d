package org.nas4j.estimators.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;

/** Data type and shape, with value equality: the key of reusable arrays. */
record ShapeKey(DataType type, long[] shape) {

    @Override
    public boolean equals(Object o) {
        return o instanceof ShapeKey k && k.type == type && Arrays.equals(k.shape, shape);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return type + Arrays.toString(shape);
    }
}
