package org.nas4j.estimators.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.ops.Conv2d;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.opentest4j.AssertionFailedError;

/**
 * The finite-difference check itself: it accepts a correct backward pass and rejects one broken on purpose by a
 * relative 1e-3 (far inside the size of real gradient bugs), so a looser tolerance cannot hide a wrong gradient.
 */
class GradientCheckTest {

    private static Conv2d conv(ParameterSet p) {
        Conv2d conv = Conv2d.builder(p, "c", 3, 4, 3).padding(1).build();
        p.seal();
        return conv;
    }

    @Test
    void acceptsTheCorrectGradient() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 7);
        Conv2d conv = conv(p);
        GradientCheck.check(conv, p, GradientCheck.random(1, 2, 3, 5, 5), Mode.TRAINING);
    }

    @Test
    void rejectsAnInputGradientOffByOnePartInAThousand() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 7);
        Conv2d conv = conv(p);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> GradientCheck.check(
                x -> conv.forward(x, Mode.TRAINING), g -> conv.backward(g).mul(1.001), p,
                GradientCheck.random(1, 2, 3, 5, 5)));
        assertTrue(e.getMessage().contains("gradient of input"), e.getMessage());
    }

    @Test
    void rejectsAWeightGradientOffByOnePartInAThousand() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 7);
        Conv2d conv = conv(p);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> GradientCheck.check(
                x -> conv.forward(x, Mode.TRAINING), g -> {
                    INDArray gx = conv.backward(g);
                    Parameter w = p.parameters().get(0);
                    w.gradient().muli(1.001);
                    return gx;
                }, p, GradientCheck.random(1, 2, 3, 5, 5)));
        assertTrue(e.getMessage().contains("gradient of " + p.parameters().get(0).name()), e.getMessage());
    }

    @Test
    void toleranceGrowsWithTheStepsRoundingAndShrinksWithPrecision() {
        double coarse = Tolerances.centralDifference(DataType.DOUBLE, 100, 1e-6, 1000);
        assertTrue(Tolerances.centralDifference(DataType.DOUBLE, 100, 1e-7, 1000) > coarse);
        assertTrue(Tolerances.centralDifference(DataType.FLOAT, 100, 1e-6, 1000) > 1e8 * coarse);
        assertThrows(IllegalArgumentException.class, () -> Tolerances.gamma(DataType.FLOAT, 1L << 23));
    }
}
