package org.nas4j.estimators.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ArrayPoolTest {

    private static final long[] SHAPE = {2, 3, 4, 4};
    private static final long BYTES = 2 * 3 * 4 * 4 * 4;

    @Test
    void takesTheMostRecentlyReturnedArrayOfTheShapeAndTypeAsked() {
        ArrayPool pool = new ArrayPool();
        INDArray a = Nd4j.zeros(DataType.FLOAT, SHAPE);
        INDArray b = Nd4j.zeros(DataType.FLOAT, SHAPE);
        pool.put(a);
        pool.put(b);
        assertNull(pool.take(DataType.DOUBLE, SHAPE));
        assertNull(pool.take(DataType.FLOAT, new long[] {2, 3, 4, 5}));
        assertSame(b, pool.take(DataType.FLOAT, SHAPE));
        assertEquals(BYTES, pool.heldBytes());
    }

    @Test
    void buffersCountTheBytesTheyAllocateButNotWhatTheyTakeFromAPool() {
        ArrayPool pool = new ArrayPool();
        Buffer first = new Buffer();
        long before = Buffer.allocatedBytes();
        INDArray a = first.get(DataType.FLOAT, SHAPE);
        assertEquals(before + BYTES, Buffer.allocatedBytes());
        first.release(pool);
        Buffer second = new Buffer();
        second.release(pool);
        assertSame(a, second.get(DataType.FLOAT, SHAPE));
        assertEquals(before + BYTES, Buffer.allocatedBytes());
    }
}
