package org.nas4j.estimators.engine.ops;

import static org.nas4j.estimators.engine.GradientCheck.check;
import static org.nas4j.estimators.engine.GradientCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;

/** Every single-input layer's backward pass against central finite differences, in double precision. */
class LayerGradientTest {

    private static ParameterSet params() {
        return new ParameterSet(DataType.DOUBLE, 7);
    }

    private static void checkSealed(ParameterSet params, Layer layer, Mode mode, long... inputShape) {
        params.seal();
        check(layer, params, random(1, inputShape), mode);
    }

    @Test
    void conv2dPlain() {
        ParameterSet p = params();
        Layer conv = Conv2d.builder(p, "c", 3, 4, 3).padding(1).build();
        checkSealed(p, conv, Mode.TRAINING, 2, 3, 5, 5);
    }

    @Test
    void conv2dStrideDilationBias() {
        ParameterSet p = params();
        Layer conv = Conv2d.builder(p, "c", 2, 3, 3).stride(2).padding(2).dilation(2).bias(true).build();
        checkSealed(p, conv, Mode.TRAINING, 2, 2, 7, 7);
    }

    @Test
    void conv2dDepthwise() {
        ParameterSet p = params();
        Layer conv = Conv2d.builder(p, "c", 3, 6, 3).padding(1).groups(3).build();
        checkSealed(p, conv, Mode.TRAINING, 2, 3, 5, 5);
    }

    @Test
    void conv2dOneByThreeStrided() {
        ParameterSet p = params();
        Conv2d conv = Conv2d.builder(p, "c", 2, 3, 1, 3).stride(1, 2).padding(0, 1).build();
        checkSealed(p, conv, Mode.TRAINING, 2, 2, 5, 7);
        assertArrayEquals(new long[] {2, 3, 5, 4},
                conv.forward(random(2, 2, 2, 5, 7), Mode.TRAINING).shape());
    }

    @Test
    void conv2dThreeByOneStridedWithBias() {
        ParameterSet p = params();
        Conv2d conv = Conv2d.builder(p, "c", 3, 2, 3, 1).stride(2, 1).padding(1, 0).bias(true).build();
        checkSealed(p, conv, Mode.TRAINING, 2, 3, 7, 5);
        assertArrayEquals(new long[] {2, 2, 4, 5},
                conv.forward(random(2, 2, 3, 7, 5), Mode.TRAINING).shape());
    }

    @Test
    void conv2dRectangularWithoutPaddingAndDifferentStrides() {
        ParameterSet p = params();
        Conv2d conv = Conv2d.builder(p, "c", 2, 2, 3, 2).stride(2, 3).build();
        checkSealed(p, conv, Mode.TRAINING, 1, 2, 8, 9);
    }

    @Test
    void batchNormTraining() {
        ParameterSet p = params();
        checkSealed(p, new BatchNorm(p, "bn", 3, true), Mode.TRAINING, 4, 3, 3, 3);
    }

    @Test
    void batchNormTrainingWithoutAffine() {
        ParameterSet p = params();
        checkSealed(p, new BatchNorm(p, "bn", 3, false), Mode.TRAINING, 4, 3, 3, 3);
    }

    @Test
    void batchNormInference() {
        ParameterSet p = params();
        BatchNorm bn = new BatchNorm(p, "bn", 3, true);
        p.seal();
        bn.forward(random(5, 4, 3, 3, 3).muli(2).addi(1), Mode.TRAINING);
        check(bn, p, random(1, 4, 3, 3, 3), Mode.INFERENCE);
    }

    @Test
    void relu() {
        ParameterSet p = params();
        checkSealed(p, new Relu(), Mode.TRAINING, 2, 3, 4, 4);
    }

    @Test
    void maxPool() {
        ParameterSet p = params();
        checkSealed(p, Pool2d.max(3, 2, 1), Mode.TRAINING, 2, 2, 6, 6);
    }

    @Test
    void averagePoolExcludingPadding() {
        ParameterSet p = params();
        checkSealed(p, Pool2d.average(3, 1, 1, false), Mode.TRAINING, 2, 2, 5, 5);
    }

    @Test
    void poolingWithoutPlatformHelpers() {
        checkSealed(params(), Pool2d.max(3, 2, 1, false), Mode.TRAINING, 2, 2, 6, 6);
        checkSealed(params(), Pool2d.average(3, 1, 1, false, false), Mode.TRAINING, 2, 2, 5, 5);
    }

    @Test
    void averagePoolIncludingPadding() {
        ParameterSet p = params();
        checkSealed(p, Pool2d.average(3, 2, 1, true), Mode.TRAINING, 2, 2, 5, 5);
    }

    @Test
    void identityAndZero() {
        checkSealed(params(), new Identity(), Mode.TRAINING, 2, 2, 3, 3);
        checkSealed(params(), new Zero(), Mode.TRAINING, 2, 2, 3, 3);
        checkSealed(params(), new Zero(2), Mode.TRAINING, 2, 2, 4, 4);
    }

    @Test
    void globalAveragePool() {
        checkSealed(params(), new GlobalAveragePool(), Mode.TRAINING, 3, 4, 3, 2);
    }

    @Test
    void dense() {
        ParameterSet p = params();
        checkSealed(p, new Dense(p, "fc", 5, 3), Mode.TRAINING, 4, 5);
    }

    @Test
    void reluConvBn() {
        ParameterSet p = params();
        checkSealed(p, DartsLayers.reluConvBn(p, "rcb", 3, 4, 3, 2, true), Mode.TRAINING, 2, 3, 6, 6);
    }

    @Test
    void separableConv() {
        ParameterSet p = params();
        checkSealed(p, DartsLayers.separableConv(p, "sep", 2, 3, 3, 2, true), Mode.TRAINING, 2, 2, 6, 6);
    }

    @Test
    void dilatedConv() {
        ParameterSet p = params();
        checkSealed(p, DartsLayers.dilatedConv(p, "dil", 2, 3, 3, 1, 2, false), Mode.TRAINING, 2, 2, 6, 6);
    }

    @Test
    void factorizedReduce() {
        ParameterSet p = params();
        checkSealed(p, new FactorizedReduce(p, "fr", 3, 4, true), Mode.TRAINING, 2, 3, 6, 6);
    }

    @Test
    void dropoutWithFixedMask() {
        // a fresh layer with the same seed draws the same first mask, so the function is fixed for the check
        long seed = 11;
        check(x -> new Dropout(0.3, seed).forward(x, Mode.TRAINING), g -> {
            Dropout d = new Dropout(0.3, seed);
            d.forward(random(1, 2, 3, 4, 4), Mode.TRAINING);
            return d.backward(g);
        }, null, random(1, 2, 3, 4, 4));
    }

    @Test
    void dropPathWithFixedMask() {
        long seed = 12;
        check(x -> Dropout.perSample(0.5, seed).forward(x, Mode.TRAINING), g -> {
            Dropout d = Dropout.perSample(0.5, seed);
            d.forward(random(1, 4, 3, 2, 2), Mode.TRAINING);
            return d.backward(g);
        }, null, random(1, 4, 3, 2, 2));
    }
}
