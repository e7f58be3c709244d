package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.nas4j.estimators.engine.GradientCheck.check;
import static org.nas4j.estimators.engine.GradientCheck.random;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
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
 * The Java depthwise kernels behind {@link Conv2d} with {@code groups = inChannels}: every variant (kernel 1xk,
 * kx1, kxk; stride 1 and 2 per dimension; dilation 1 and 2; DARTS' and MobileNet's padding and none; depth
 * multiplier 1 and 2; bias) against central finite differences in DOUBLE, and against libnd4j's own {@code
 * depthwise_conv2d} / {@code _bp} in FLOAT and DOUBLE (libnd4j's kernel, platform helpers off: its oneDNN path
 * rejects dilated padding, docs/export.md) within the error bound of two summation orders.
 */
class DepthwiseConv2dTest {

    /** kH, kW, sH, sW, pH, pW, dilation, multiplier, bias, H, W. */
    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(3, 3, 1, 1, 1, 1, 1, 1, false, 6, 7),   // sep_conv_3x3, MobileNet 3x3
                Arguments.of(5, 5, 1, 1, 2, 2, 1, 1, false, 7, 6),   // sep_conv_5x5
                Arguments.of(3, 3, 2, 2, 1, 1, 1, 1, false, 8, 7),   // sep_conv_3x3 in a reduction cell
                Arguments.of(5, 5, 2, 2, 2, 2, 1, 1, false, 7, 8),   // sep_conv_5x5, stride 2
                Arguments.of(3, 3, 1, 1, 2, 2, 2, 1, false, 7, 7),   // dil_conv_3x3
                Arguments.of(5, 5, 1, 1, 4, 4, 2, 1, false, 6, 9),   // dil_conv_5x5
                Arguments.of(3, 3, 2, 2, 2, 2, 2, 1, false, 9, 8),   // dil_conv_3x3, stride 2
                Arguments.of(5, 5, 2, 2, 4, 4, 2, 1, false, 8, 9),   // dil_conv_5x5, stride 2
                Arguments.of(1, 3, 1, 2, 0, 1, 1, 1, false, 5, 7),   // 1xk, stride along the width
                Arguments.of(3, 1, 2, 1, 1, 0, 1, 1, true, 7, 5),    // kx1, stride along the height, bias
                Arguments.of(1, 5, 1, 1, 0, 2, 2, 1, false, 4, 9),   // 1x5 dilated
                Arguments.of(3, 3, 1, 1, 0, 0, 1, 2, true, 6, 6),    // no padding, multiplier 2, bias
                Arguments.of(3, 3, 2, 2, 1, 1, 1, 2, false, 7, 7),   // MobileNet's stride-2 3x3, multiplier 2
                Arguments.of(7, 7, 1, 1, 3, 3, 1, 1, false, 5, 5),   // kernel wider than half the image
                // stride 2 on narrow rows: one column pair and a last even column; a single pair, dilated; a
                // single column (one column phase, the general copy instead of the two-phase one)
                Arguments.of(3, 3, 2, 2, 1, 1, 1, 1, true, 5, 3),
                Arguments.of(3, 3, 2, 2, 2, 2, 2, 1, false, 4, 2),
                Arguments.of(3, 1, 2, 2, 1, 0, 1, 1, false, 5, 1));
    }

    private static Conv2d depthwise(ParameterSet p, int channels, int kH, int kW, int sH, int sW, int pH, int pW,
            int dilation, int multiplier, boolean bias) {
        return Conv2d.builder(p, "dw", channels, channels * multiplier, kH, kW).stride(sH, sW).padding(pH, pW)
                .dilation(dilation).groups(channels).bias(bias).build();
    }

    @ParameterizedTest(name = "{0}x{1} stride {2}x{3} padding {4}x{5} dilation {6} multiplier {7} bias {8}")
    @MethodSource("variants")
    void finiteDifferences(int kH, int kW, int sH, int sW, int pH, int pW, int d, int mult, boolean bias, int h,
            int w) {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 7);
        Conv2d conv = depthwise(p, 3, kH, kW, sH, sW, pH, pW, d, mult, bias);
        p.seal();
        check(conv, p, random(1, 2, 3, h, w), Mode.TRAINING);
    }

    @ParameterizedTest(name = "{0}x{1} stride {2}x{3} padding {4}x{5} dilation {6} multiplier {7} bias {8}")
    @MethodSource("variants")
    void agreesWithLibnd4jInFloatAndDouble(int kH, int kW, int sH, int sW, int pH, int pW, int d, int mult,
            boolean bias, int h, int w) {
        agreesWithLibnd4j(3, kH, kW, sH, sW, pH, pW, d, mult, bias, h, w);
    }

    /** Small planes, as in mobile chains: the kernels stack them (several planes per tap loop). */
    static Stream<Arguments> smallPlanes() {
        return Stream.of(
                Arguments.of(3, 3, 1, 1, 1, 1, 1, 1, true, 4, 4),    // SPOS' last stage, bias
                Arguments.of(7, 7, 1, 1, 3, 3, 1, 1, false, 7, 7),   // 7x7 MBConv at 7x7
                Arguments.of(3, 3, 2, 2, 1, 1, 1, 2, false, 7, 7),   // stride 2 on an odd size, multiplier 2
                Arguments.of(5, 5, 2, 2, 4, 4, 2, 1, false, 5, 7),   // dilated, stride 2, odd sizes
                Arguments.of(1, 3, 1, 2, 0, 1, 1, 1, false, 3, 5),   // 1xk, stride along the width
                Arguments.of(3, 1, 2, 1, 1, 0, 1, 1, false, 5, 3));  // kx1, stride along the height
    }

    @ParameterizedTest(name = "{0}x{1} stride {2}x{3} padding {4}x{5} dilation {6} multiplier {7} bias {8} on {9}x{10}")
    @MethodSource("smallPlanes")
    void stacksOfSmallPlanesAgreeWithLibnd4j(int kH, int kW, int sH, int sW, int pH, int pW, int d, int mult,
            boolean bias, int h, int w) {
        DepthwiseGeometry g = new DepthwiseGeometry(1000, 4, mult, h, w, kH, kW, sH, sW, pH, pW, d, d,
                (h + 2 * pH - d * (kH - 1) - 1) / sH + 1, (w + 2 * pW - d * (kW - 1) - 1) / sW + 1);
        int forward = FloatDepthwise.planesPerStack(g, FloatDepthwise.FORWARD_STACK);
        int backward = FloatDepthwise.planesPerStack(g, FloatDepthwise.BACKWARD_STACK);
        assertTrue(forward >= 2 && backward >= 2, "small planes must be stacked, but " + forward + " and "
                + backward + " per stack");
        // full stacks in both directions, then a short one of a single plane
        agreesWithLibnd4j(forward * backward + 1, kH, kW, sH, sW, pH, pW, d, mult, bias, h, w);
    }

    private static void agreesWithLibnd4j(int batch, int kH, int kW, int sH, int sW, int pH, int pW, int d,
            int mult, boolean bias, int h, int w) {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            ParameterSet p = new ParameterSet(type, 11);
            Conv2d conv = depthwise(p, 4, kH, kW, sH, sW, pH, pW, d, mult, bias);
            p.seal();
            INDArray x = random(3, batch, 4, h, w).castTo(type);
            INDArray y = conv.forward(x, Mode.TRAINING).dup();
            INDArray gy = random(4, y.shape()).castTo(type);
            INDArray gx = conv.backward(gy).dup();
            Parameter weight = p.parameters().get(0);
            INDArray gw = weight.gradient().dup();
            INDArray b = bias ? p.parameters().get(1).value() : null;

            long[] args = {kH, kW, sH, sW, pH, pW, d, d, 0, 0, 1};
            NativeOp fwd = NativeOp.named("depthwise_conv2d").intArgs(args).helpers(false);
            NativeOp bwd = NativeOp.named("depthwise_conv2d_bp").intArgs(args).helpers(false);
            INDArray refY = Nd4j.create(type, y.shape());
            INDArray refGx = Nd4j.create(type, x.shape());
            INDArray refGw = Nd4j.create(type, gw.shape());
            if (b == null) {
                fwd.exec(refY, x, weight.value());
                bwd.exec(new INDArray[] {refGx, refGw}, x, weight.value(), gy);
            } else {
                fwd.exec(refY, x, weight.value(), b);
                bwd.exec(new INDArray[] {refGx, refGw, Nd4j.create(type, b.shape())}, x, weight.value(), b, gy);
            }
            // magnitudes: the same sums over absolute values, in double
            INDArray ax = Transforms.abs(x).castTo(DataType.DOUBLE);
            INDArray aw = Transforms.abs(weight.value()).castTo(DataType.DOUBLE);
            INDArray agy = Transforms.abs(gy).castTo(DataType.DOUBLE);
            INDArray magY = Nd4j.create(DataType.DOUBLE, y.shape());
            INDArray magGx = Nd4j.create(DataType.DOUBLE, x.shape());
            INDArray magGw = Nd4j.create(DataType.DOUBLE, gw.shape());
            NativeOp.named("depthwise_conv2d").intArgs(args).helpers(false).exec(magY, ax, aw);
            NativeOp.named("depthwise_conv2d_bp").intArgs(args).helpers(false)
                    .exec(new INDArray[] {magGx, magGw}, ax, aw, agy);
            long taps = (long) kH * kW;
            long outputs = y.size(0) * y.size(2) * y.size(3);
            if (b != null) {
                magY.addi(Transforms.abs(b).castTo(DataType.DOUBLE).reshape(1, b.length(), 1, 1));
            }
            assertClose(type + " output", y, refY, magY, taps + 1);
            assertClose(type + " input gradient", gx, refGx, magGx, taps * mult);
            assertClose(type + " weight gradient", gw, refGw, magGw, outputs);
        }
    }

    @Test
    void outputShapeFollowsStridePaddingAndDilation() {
        ParameterSet p = new ParameterSet(DataType.FLOAT, 1);
        Conv2d conv = depthwise(p, 2, 5, 5, 2, 2, 4, 4, 2, 1, false);
        p.seal();
        assertArrayEquals(new long[] {1, 2, 8, 8},
                conv.forward(Nd4j.rand(DataType.FLOAT, 1, 2, 16, 16), Mode.TRAINING).shape());
    }

    @Test
    void viewsAsInputGiveTheSameResultAsDenseCopies() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 3);
        Conv2d conv = depthwise(p, 3, 3, 3, 1, 1, 1, 1, 1, 1, false);
        p.seal();
        INDArray big = random(5, 2, 6, 5, 5);
        INDArray view = big.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 6));
        INDArray fromView = conv.forward(view, Mode.TRAINING).dup();
        INDArray fromCopy = conv.forward(view.dup('c'), Mode.TRAINING).dup();
        assertTrue(fromView.equals(fromCopy), "a strided view must convolve like its dense copy");
    }

    private static void assertClose(String what, INDArray actual, INDArray expected, INDArray magnitude,
            long roundings) {
        DataType type = actual.dataType();
        double[] a = actual.castTo(DataType.DOUBLE).data().asDouble();
        double[] e = expected.castTo(DataType.DOUBLE).data().asDouble();
        double[] m = magnitude.data().asDouble();
        for (int i = 0; i < a.length; i++) {
            double tol = Tolerances.parity(type, roundings + 1, m[i]);
            if (Math.abs(a[i] - e[i]) > tol) {
                fail(what + "[" + i + "]: " + a[i] + " vs libnd4j " + e[i] + " (tolerance " + tol + ")");
            }
        }
    }
}
