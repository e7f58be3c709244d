package org.nas4j.estimators.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class HostArraysTest {

    @Test
    void readsDenseViewsWithAnOffsetFromTheirFirstElement() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray flat = Nd4j.arange(0, 32).castTo(type);
            // a parameter's value is such a view into the flat vector of its set: offsets below and above its length
            for (int start : new int[] {0, 2, 8, 20}) {
                INDArray view = flat.get(NDArrayIndex.interval(start, start + 8));
                assertTrue(HostArrays.isDense(view) && view.offset() == start, "a dense view at " + start);
                assertArrayEquals(view.toDoubleVector(), HostArrays.read(view), 0.0, type + " view at " + start);
            }
            INDArray row = flat.reshape(4, 8).getRow(2);
            assertArrayEquals(row.toDoubleVector(), HostArrays.read(row), 0.0, type + " row");
            INDArray column = flat.reshape(4, 8).getColumn(3);     // strided: read through a copy
            assertArrayEquals(column.toDoubleVector(), HostArrays.read(column), 0.0, type + " column");
        }
    }
}
