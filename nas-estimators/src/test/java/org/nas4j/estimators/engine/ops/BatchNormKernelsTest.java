package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.fail;
import static org.nas4j.estimators.engine.GradientCheck.random;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nas4j.estimators.engine.Tolerances;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java passes of {@link BatchNorm} ({@link FloatBatchNorm}, {@link DoubleBatchNorm}) against the same sums and
 * elementwise formulas computed in double by ND4J from the same inputs, in FLOAT and DOUBLE, on shapes with batch
 * 1, one channel, planes of one and two elements and odd sizes. Each tolerance is the error bound of the kernel's
 * chain of roundings ({@link Tolerances#parity}) times the magnitude of the terms (the same formula over absolute
 * values); the layer's gradients are checked against finite differences in {@code LayerGradientTest}.
 */
class BatchNormKernelsTest {

    /** batch, channels, H, W. */
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(1, 3, 2, 3),
                Arguments.of(2, 5, 7, 7),
                Arguments.of(3, 1, 1, 2),
                Arguments.of(5, 6, 4, 4),
                Arguments.of(4, 9, 3, 5),
                Arguments.of(7, 2, 1, 1));
    }

    @ParameterizedTest(name = "[{0}, {1}, {2}, {3}]")
    @MethodSource("shapes")
    void passesAgreeWithDoubleReference(int batch, int channels, int h, int w) {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray x = random(3, batch, channels, h, w).castTo(type);
            INDArray gy = random(4, batch, channels, h, w).castTo(type);
            INDArray xd = x.castTo(DataType.DOUBLE);
            INDArray gyd = gy.castTo(DataType.DOUBLE);
            long n = (long) batch * h * w;
            // each sum: one rounding per image into the plane-sized rows (batch), a product or a difference and a
            // square before that (2), then the rows' reduction in double; bounded by n + 2 roundings in `type`
            long sumRoundings = n + 2;

            double[] sums = float32(type) ? FloatBatchNorm.channelSums(x, null) : DoubleBatchNorm.channelSums(x, null);
            assertClose(type + " sums", sums, xd.sum(0, 2, 3).toDoubleVector(),
                    abs(xd).sum(0, 2, 3).toDoubleVector(), type, sumRoundings);

            double[] mean = new double[channels];
            for (int c = 0; c < channels; c++) {
                // a centre the kernel narrows to `type`, as it does
                mean[c] = (float) (sums[c] / n + 0.25 * c);
            }
            INDArray centred = xd.sub(Nd4j.createFromArray(mean).reshape(1, channels, 1, 1));
            INDArray squares = centred.mul(centred);
            double[] squared = float32(type) ? FloatBatchNorm.channelSums(x, mean)
                    : DoubleBatchNorm.channelSums(x, mean);
            assertClose(type + " centred squares", squared, squares.sum(0, 2, 3).toDoubleVector(),
                    squares.sum(0, 2, 3).toDoubleVector(), type, sumRoundings);

            double[] scale = new double[channels];
            double[] shift = new double[channels];
            double[] b = new double[channels];
            for (int c = 0; c < channels; c++) {
                scale[c] = (float) (0.5 + 0.3 * c);
                shift[c] = (float) (0.1 * c - 0.2);
                b[c] = (float) (-0.05 * c + 0.03);
            }
            INDArray y = Nd4j.create(type, x.shape());
            if (float32(type)) {
                FloatBatchNorm.normalize(x, mean, scale, shift, BatchNorm.Activation.NONE, y);
            } else {
                DoubleBatchNorm.normalize(x, mean, scale, shift, BatchNorm.Activation.NONE, y);
            }
            INDArray k = Nd4j.createFromArray(scale).reshape(1, channels, 1, 1);
            INDArray t = Nd4j.createFromArray(shift).reshape(1, channels, 1, 1);
            INDArray m = Nd4j.createFromArray(mean).reshape(1, channels, 1, 1);
            // (x - m) * k + t: three roundings
            assertClose(type + " normalized", y.castTo(DataType.DOUBLE).data().asDouble(),
                    centred.mul(k).add(t).data().asDouble(),
                    abs(xd).add(abs(m)).mul(abs(k)).add(abs(t)).data().asDouble(), type, 3);

            double[] sumGrad = new double[channels];
            double[] sumGradX = new double[channels];
            if (float32(type)) {
                FloatBatchNorm.gradientSums(x, gy, null, sumGrad, sumGradX);
            } else {
                DoubleBatchNorm.gradientSums(x, gy, null, sumGrad, sumGradX);
            }
            assertClose(type + " sum(gy)", sumGrad, gyd.sum(0, 2, 3).toDoubleVector(),
                    abs(gyd).sum(0, 2, 3).toDoubleVector(), type, sumRoundings);
            INDArray product = gyd.mul(xd);
            assertClose(type + " sum(gy * x)", sumGradX, product.sum(0, 2, 3).toDoubleVector(),
                    abs(product).sum(0, 2, 3).toDoubleVector(), type, sumRoundings);

            INDArray gx = Nd4j.create(type, x.shape());
            if (float32(type)) {
                FloatBatchNorm.inputGradient(x, gy, null, scale, b, shift, gx);
            } else {
                DoubleBatchNorm.inputGradient(x, gy, null, scale, b, shift, gx);
            }
            INDArray bb = Nd4j.createFromArray(b).reshape(1, channels, 1, 1);
            // (a x + b) + s gy with a = scale, s = shift here: four roundings
            assertClose(type + " input gradient", gx.castTo(DataType.DOUBLE).data().asDouble(),
                    xd.mul(k).add(bb).add(gyd.mul(t)).data().asDouble(),
                    abs(xd).mul(abs(k)).add(abs(bb)).add(abs(gyd).mul(abs(t))).data().asDouble(), type, 4);
        }
    }

    /**
     * The layer in FLOAT (the Java passes behind it) against the same layer in DOUBLE on the same values: output,
     * gamma and beta gradients and input gradient. Bounds: the batch statistics and the gradient sums are sums of
     * {@code n = B*H*W} terms, each value computed from them by a few more operations, so every quantity is within
     * {@code parity(FLOAT, n + 8, magnitude)} of the exact one, the magnitude being the same formula over absolute
     * values (for the input gradient {@code |s gy| + |a x| + |b|} with {@code a} and {@code b} bounded through the
     * sums' magnitudes).
     */
    @ParameterizedTest(name = "[{0}, {1}, {2}, {3}]")
    @MethodSource("shapes")
    void floatLayerAgreesWithDoubleLayer(int batch, int channels, int h, int w) {
        if ((long) batch * h * w < 2) {
            return;
        }
        INDArray x = random(5, batch, channels, h, w).castTo(DataType.FLOAT);
        INDArray gy = random(6, batch, channels, h, w).castTo(DataType.FLOAT);
        INDArray[] f = layerPass(DataType.FLOAT, x, gy);
        INDArray[] d = layerPass(DataType.DOUBLE, x.castTo(DataType.DOUBLE), gy.castTo(DataType.DOUBLE));
        INDArray xd = x.castTo(DataType.DOUBLE);
        INDArray gyd = gy.castTo(DataType.DOUBLE);
        long n = (long) batch * h * w;
        long roundings = n + 8;
        double[] mean = xd.mean(0, 2, 3).toDoubleVector();
        double[] invStd = new double[channels];
        double[] variance = xd.var(false, 0, 2, 3).toDoubleVector();
        for (int c = 0; c < channels; c++) {
            invStd[c] = 1 / Math.sqrt(variance[c] + 1e-5);
        }
        INDArray ax = abs(xd);
        INDArray agy = abs(gyd);
        double[] sumAbsGy = agy.sum(0, 2, 3).toDoubleVector();
        double[] sumAbsGyX = agy.mul(ax).sum(0, 2, 3).toDoubleVector();
        double[] magGamma = new double[channels];
        double[] magA = new double[channels];
        double[] magB = new double[channels];
        for (int c = 0; c < channels; c++) {
            magGamma[c] = invStd[c] * (sumAbsGyX[c] + Math.abs(mean[c]) * sumAbsGy[c]);
            // gamma is 1 at the start, so the scale s is invStd
            magA[c] = invStd[c] * invStd[c] * magGamma[c] / n;
            magB[c] = invStd[c] * sumAbsGy[c] / n + magA[c] * Math.abs(mean[c]);
        }
        INDArray s = Nd4j.createFromArray(invStd).reshape(1, channels, 1, 1);
        INDArray m = Nd4j.createFromArray(mean).reshape(1, channels, 1, 1);
        // output (x - mean) * s: the mean and s carry the statistics' error
        INDArray magY = ax.add(abs(m)).mul(s);
        INDArray magGx = agy.mul(s).add(ax.mul(Nd4j.createFromArray(magA).reshape(1, channels, 1, 1)))
                .add(Nd4j.createFromArray(magB).reshape(1, channels, 1, 1));
        assertClose("FLOAT layer output", doubles(f[0]), doubles(d[0]), magY.data().asDouble(), DataType.FLOAT,
                roundings);
        assertClose("FLOAT layer gamma gradient", doubles(f[1]), doubles(d[1]), magGamma, DataType.FLOAT,
                roundings);
        assertClose("FLOAT layer beta gradient", doubles(f[2]), doubles(d[2]), sumAbsGy, DataType.FLOAT, roundings);
        assertClose("FLOAT layer input gradient", doubles(f[3]), doubles(d[3]), magGx.data().asDouble(),
                DataType.FLOAT, roundings);
    }

    /** Output, gamma gradient, beta gradient and input gradient of a fresh affine layer, training mode. */
    private static INDArray[] layerPass(DataType type, INDArray x, INDArray gy) {
        org.nas4j.estimators.engine.ParameterSet p = new org.nas4j.estimators.engine.ParameterSet(type, 1);
        BatchNorm bn = new BatchNorm(p, "bn", (int) x.size(1), true);
        p.seal();
        INDArray y = bn.forward(x, org.nas4j.estimators.engine.Mode.TRAINING).dup();
        INDArray gx = bn.backward(gy).dup();
        return new INDArray[] {y, p.parameters().get(0).gradient().dup(), p.parameters().get(1).gradient().dup(),
            gx};
    }

    private static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).data().asDouble();
    }

    private static boolean float32(DataType type) {
        return type == DataType.FLOAT;
    }

    private static INDArray abs(INDArray a) {
        return org.nd4j.linalg.ops.transforms.Transforms.abs(a, true);
    }

    private static void assertClose(String what, double[] actual, double[] expected, double[] magnitude,
            DataType type, long roundings) {
        for (int i = 0; i < actual.length; i++) {
            double tol = Tolerances.parity(type, roundings, magnitude[i]);
            if (Math.abs(actual[i] - expected[i]) > tol) {
                fail(what + "[" + i + "]: " + actual[i] + " vs reference " + expected[i] + " (tolerance " + tol
                        + ")");
            }
        }
    }
}
