package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.ConvolutionThreads;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * 1x1 convolutions as matrix products ({@link PointwiseConvolution}, through {@link Conv2d}) against libnd4j's
 * {@code conv2d} / {@code conv2d_bp} on the same arrays, in FLOAT and DOUBLE: output, input gradient and weight
 * gradient, each within {@link Tolerances#parity} of its sum's length (a product sums {@code in} terms, the weight
 * gradient {@code B * H * W}) times the magnitude of its terms; and against central differences in DOUBLE. The
 * weight sits after another parameter (a non-zero offset in the flat parameter array) and the input is a strided
 * view in one case, so that offsets and dense copies are exercised. The job chooses two threads, so that the
 * products split the images over two workers (the suite's JVMs run one native thread per op: the test sets two), and the weight
 * gradient of two runs must be equal bit for bit.
 */
class PointwiseConvolutionTest {

    private int openMpBefore;
    private int blasBefore;

    @BeforeEach
    void chooseTwoThreads() {
        Nd4j.getBackend();
        openMpBefore = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        blasBefore = Nd4j.factory().blas().getMaxThreads();
        ConvolutionThreads.choose(2);
    }

    @AfterEach
    void restore() {
        ConvolutionThreads.choose(0);
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(openMpBefore);
        Nd4j.factory().blas().setMaxThreads(blasBefore);
    }

    private static final long[] ARGS = {1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1};

    @Test
    void productsMatchLibnd4jConvolutionForwardAndBackward() {
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            for (int[] s : new int[][] {{3, 5, 7, 4, 6}, {2, 16, 9, 7, 7}, {4, 3, 12, 1, 1}}) {
                int batch = s[0];
                int in = s[1];
                int out = s[2];
                ParameterSet params = new ParameterSet(type, 7);
                params.add("before", new long[] {3, 5}, org.nas4j.estimators.engine.Initializer.uniformFanIn(5));
                Conv2d conv = Conv2d.builder(params, "c", in, out, 1).build();
                params.seal();
                Parameter weight = params.parameters().get(1);
                assertTrue(weight.value().offset() > 0, "the weight lies after another parameter");
                INDArray x = GradientCheck.random(11, batch, in, s[3], s[4]).castTo(type);
                INDArray gy = GradientCheck.random(12, batch, out, s[3], s[4]).castTo(type);

                INDArray y = conv.forward(x, Mode.TRAINING).dup();
                assertTrue(PointwiseConvolution.handles(x, gy), "a network of small convolutions takes the products");
                INDArray gx = conv.backward(gy).dup();
                INDArray gw = weight.gradient().dup();
                conv.forward(x, Mode.TRAINING);
                conv.backward(gy);
                assertEquals(gw, weight.gradient(), "the same sums in the same order");
                INDArray sliced = Nd4j.create(type, weight.shape());
                INDArray slicedAgain = Nd4j.create(type, weight.shape());
                PointwiseConvolution.backward(x, weight.value(), gy, Nd4j.create(type, x.shape()), sliced, 3);
                PointwiseConvolution.backward(x, weight.value(), gy, Nd4j.create(type, x.shape()), slicedAgain, 3);
                assertEquals(sliced, slicedAgain, "three slices added in order");

                INDArray yRef = Nd4j.create(type, batch, out, s[3], s[4]);
                NativeOp.named("conv2d").intArgs(ARGS).exec(yRef, x, weight.value());
                INDArray gxRef = Nd4j.create(type, x.shape());
                INDArray gwRef = Nd4j.create(type, weight.shape());
                NativeOp.named("conv2d_bp").intArgs(ARGS).exec(new INDArray[] {gxRef, gwRef}, x, weight.value(), gy);

                String what = type + " " + java.util.Arrays.toString(s);
                assertClose(yRef, y, type, in, magnitudes(weight.value(), x, false), what + " output");
                assertClose(gxRef, gx, type, out, magnitudes(weight.value(), gy, true), what + " input gradient");
                double gwMagnitude = Transforms.abs(gy.castTo(DataType.DOUBLE)).sumNumber().doubleValue()
                        * Transforms.abs(x.castTo(DataType.DOUBLE)).maxNumber().doubleValue();
                assertClose(gwRef, gw, type, (long) batch * s[3] * s[4], gwMagnitude, what + " weight gradient");
                assertClose(gwRef, sliced, type, (long) batch * s[3] * s[4], gwMagnitude, what + " in 3 slices");
            }
        }
    }

    @Test
    void stridedInputsAreReadAsTheirElements() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 3);
        Conv2d conv = Conv2d.builder(params, "c", 4, 6, 1).build();
        params.seal();
        // every other column of a wider array: not contiguous
        INDArray wide = GradientCheck.random(5, 2, 4, 5, 10);
        INDArray x = wide.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2, 10));
        INDArray y = conv.forward(x, Mode.TRAINING).dup();
        INDArray yDense = conv.forward(x.dup('c'), Mode.TRAINING);
        assertEquals(yDense, y);
    }

    @Test
    void gradientsMatchCentralDifferences() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 9);
        Conv2d conv = Conv2d.builder(params, "c", 3, 5, 1).build();
        params.seal();
        GradientCheck.check(conv, params, GradientCheck.random(4, 2, 3, 3, 4), Mode.TRAINING);
    }

    @Test
    void largeMapsHalfPrecisionAndThreadsWithoutAChoiceKeepLibnd4j() {
        ConvolutionThreads.forConvolution(1000, 16); // a small convolution: one native thread from here on
        INDArray x = Nd4j.create(DataType.FLOAT, 2, 3, 32, 32);
        assertFalse(PointwiseConvolution.handles(x, Nd4j.create(DataType.FLOAT, 2, 4, 32, 32)));
        assertTrue(PointwiseConvolution.handles(x, Nd4j.create(DataType.FLOAT, 2, 4, 31, 32)));
        ConvolutionThreads.choose(0); // the environment's count: nothing is switched, libnd4j keeps them
        assertFalse(PointwiseConvolution.handles(x, Nd4j.create(DataType.FLOAT, 2, 4, 31, 32)));
        ConvolutionThreads.choose(2);
        assertFalse(PointwiseConvolution.handles(Nd4j.create(DataType.HALF, 2, 3, 4, 4),
                Nd4j.create(DataType.HALF, 2, 4, 4, 4)));
    }

    /** Per output element of each item, the sum of |w| * |v| over the summed axis, bounded by its largest. */
    private static double magnitudes(INDArray w, INDArray v, boolean transposed) {
        INDArray absW = Transforms.abs(w.castTo(DataType.DOUBLE)).reshape(w.size(0), w.size(1));
        double largestRow = (transposed ? absW.sum(0) : absW.sum(1)).maxNumber().doubleValue();
        return largestRow * Transforms.abs(v.castTo(DataType.DOUBLE)).maxNumber().doubleValue();
    }

    private static void assertClose(INDArray expected, INDArray actual, DataType type, long terms, double magnitude,
            String what) {
        double tolerance = Tolerances.parity(type, terms + 2, magnitude);
        double diff = Transforms.abs(expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)))
                .maxNumber().doubleValue();
        assertTrue(diff <= tolerance, what + ": largest difference " + diff + " > tolerance " + tolerance);
        assertTrue(expected.castTo(DataType.DOUBLE).norm2Number().doubleValue() > 0, what + " is not all zero");
    }
}
