package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch norm with a fused ReLU or ReLU6 against the same batch norm followed by the {@link Relu} / {@link Relu6}
 * layer: the fused passes compute the same normalized values and apply the same masks, so outputs, input gradients
 * and gamma / beta gradients must be equal bit for bit, in FLOAT and DOUBLE, with batch statistics and with running
 * ones. Inputs are scaled so that many normalized values fall below 0 and above 6; one channel's values are pinned
 * so that its normalized values are exactly 0 and exactly 6 (the masks' edges: ReLU's derivative is 0 at 0, ReLU6's
 * 1 at 6, as the layers define them). Also the fused layer in DOUBLE against central differences.
 */
class BatchNormActivationTest {

    private static final List<DataType> TYPES = List.of(DataType.FLOAT, DataType.DOUBLE);

    /** Input whose channel 0 holds -1 and +1 only: with batch statistics it normalizes to exactly -1 and +1. */
    private static INDArray input(DataType type) {
        INDArray x = GradientCheck.random(21, 4, 3, 5, 5).muli(4).castTo(type);
        INDArray c0 = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all());
        for (int b = 0; b < 4; b++) {
            for (int p = 0; p < 25; p++) {
                c0.putScalar(new long[] {b, p / 5, p % 5}, (b + p) % 2 == 0 ? -1 : 1);
            }
        }
        return x;
    }

    private static BatchNorm norm(ParameterSet params) {
        return new BatchNorm(params, "bn", 3, true, 0.1, 1e-30);
    }

    /** gamma 3 and beta 3 on channel 0 take its normalized -1 / +1 (up to epsilon) to 0 and 6. */
    private static void pinEdges(ParameterSet params) {
        for (Parameter p : params.parameters()) {
            p.value().putScalar(0, 3.0);
            if (p.name().endsWith("beta")) {
                p.value().putScalar(1, -0.5);
                p.value().putScalar(2, 1.0);
            } else {
                p.value().putScalar(1, 2.0);
                p.value().putScalar(2, 1.5);
            }
        }
    }

    @Test
    void fusedActivationsEqualTheLayersBitForBit() {
        for (DataType type : TYPES) {
            for (BatchNorm.Activation activation : List.of(BatchNorm.Activation.RELU, BatchNorm.Activation.RELU6)) {
                for (Mode mode : List.of(Mode.TRAINING, Mode.INFERENCE)) {
                    ParameterSet fusedParams = new ParameterSet(type, 5);
                    BatchNorm fused = norm(fusedParams);
                    assertTrue(fused.fuseActivation(activation));
                    fusedParams.seal();
                    pinEdges(fusedParams);
                    ParameterSet plainParams = new ParameterSet(type, 5);
                    BatchNorm plain = norm(plainParams);
                    plainParams.seal();
                    pinEdges(plainParams);
                    Layer layer = activation == BatchNorm.Activation.RELU ? new Relu() : new Relu6();
                    String what = type + " " + activation + " " + mode;

                    INDArray x = input(type);
                    INDArray y = fused.forward(x, mode).dup();
                    INDArray yRef = layer.forward(plain.forward(x, mode), mode);
                    assertEquals(yRef, y, what + " output");
                    if (mode == Mode.TRAINING) {
                        assertTrue(y.eq(0).castTo(DataType.INT32).sumNumber().intValue() > 0, what + ": zeros");
                        if (activation == BatchNorm.Activation.RELU6) {
                            assertTrue(y.eq(6).castTo(DataType.INT32).sumNumber().intValue() >= 50, what + ": sixes");
                        }
                    }
                    INDArray gy = GradientCheck.random(22, 4, 3, 5, 5).castTo(type);
                    INDArray gx = fused.backward(gy).dup();
                    INDArray gxRef = plain.backward(layer.backward(gy));
                    assertEquals(gxRef, gx, what + " input gradient");
                    for (int i = 0; i < 2; i++) {
                        assertEquals(plainParams.parameters().get(i).gradient(),
                                fusedParams.parameters().get(i).gradient(), what + " " + i);
                    }
                }
            }
        }
    }

    @Test
    void fusedReluGradientsMatchCentralDifferences() {
        for (BatchNorm.Activation activation : List.of(BatchNorm.Activation.RELU, BatchNorm.Activation.RELU6)) {
            ParameterSet params = new ParameterSet(DataType.DOUBLE, 8);
            BatchNorm bn = new BatchNorm(params, "bn", 2, true);
            bn.fuseActivation(activation);
            params.seal();
            // spread values so that ReLU6 saturates some, away from the kinks by more than the difference step
            GradientCheck.check(bn, params, GradientCheck.random(9, 3, 2, 3, 3).muli(3), Mode.TRAINING);
        }
    }

    @Test
    void halfPrecisionKeepsItsActivationLayer() {
        ParameterSet params = new ParameterSet(DataType.HALF, 3);
        BatchNorm bn = new BatchNorm(params, "bn", 2, true);
        assertFalse(bn.fuseActivation(BatchNorm.Activation.RELU));
        assertEquals(BatchNorm.Activation.NONE, bn.activation());
        assertThrows(NullPointerException.class, () -> bn.fuseActivation(null));
    }
}
