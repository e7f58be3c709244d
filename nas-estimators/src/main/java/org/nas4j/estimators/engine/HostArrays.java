package org.nas4j.estimators.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between small arrays and Java {@code double[]}s by reading and writing the data buffer directly when the
 * array is contiguous in 'c' order (a few microseconds), instead of {@code toDoubleVector()} or
 * {@code createFromArray(...)} plus a reshape (tens of microseconds each: they build shape information). For the
 * tiny models inside strategies, where such copies happen on every step.
 */
public final class HostArrays {
    private HostArrays() {
    }

    /**
     * The values of {@code a} in 'c' order. A view's {@code data()} is a buffer that already starts at the view's
     * offset (its element 0 is the view's first), so a dense array is read from index 0 of it, never from
     * {@code offset()} (which counts from the start of the whole allocation, as the NIO buffers do).
     */
    public static double[] read(INDArray a) {
        if (isDense(a)) {
            return a.data().getDoublesAt(0, (int) a.length());
        }
        return a.dup('c').data().asDouble();
    }

    /** Overwrites {@code a} with {@code values}, given in 'c' order; lengths must match. */
    public static void write(double[] values, INDArray a) {
        if (values.length != a.length()) {
            throw new IllegalArgumentException("values must have " + a.length() + " entries, but had "
                    + values.length);
        }
        if (isDense(a) && a.offset() == 0 && a.data().length() == values.length && a.dataType() == DataType.DOUBLE) {
            a.data().setData(values);
        } else {
            a.assign(Nd4j.createFromArray(values).castTo(a.dataType()).reshape('c', a.shape()));
        }
    }

    /** {@code a} itself when its elements are contiguous in 'c' order (what Java kernels read), else a 'c' copy. */
    public static INDArray dense(INDArray a) {
        return isDense(a) ? a : a.dup('c');
    }

    /** Whether nas4j's Java and BLAS kernels take arrays of {@code type}: FLOAT and DOUBLE (HALF keeps libnd4j). */
    public static boolean hasJavaKernels(DataType type) {
        return type == DataType.FLOAT || type == DataType.DOUBLE;
    }

    /** Whether the elements of {@code a} are contiguous in 'c' order from its offset. */
    public static boolean isDense(INDArray a) {
        if (a.ordering() != 'c' && a.rank() > 1) {
            return false;
        }
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }
}
