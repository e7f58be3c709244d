package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nas4j.estimators.engine.GradientCheck.check;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ReLU6 against its definition and against central finite differences (inputs on both sides of 0 and 6). */
class Relu6Test {

    @Test
    void clipsToZeroAndSix() {
        INDArray x = Nd4j.createFromArray(-2.0, 0.5, 5.5, 7.0);
        INDArray y = new Relu6().forward(x, Mode.TRAINING);
        assertEquals(Nd4j.createFromArray(0.0, 0.5, 5.5, 6.0), y);
    }

    @Test
    void gradientIsOneBetweenZeroAndSixOnly() {
        Relu6 relu6 = new Relu6();
        relu6.forward(Nd4j.createFromArray(-2.0, 0.5, 5.5, 7.0), Mode.TRAINING);
        INDArray gx = relu6.backward(Nd4j.createFromArray(3.0, 3.0, 3.0, 3.0));
        assertEquals(Nd4j.createFromArray(0.0, 3.0, 3.0, 0.0), gx);
    }

    @Test
    void matchesFiniteDifferences() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 3);
        p.seal();
        // values 0.25 + 0.5 i - 3: spread over [-3, 9], at least 0.25 from the kinks at 0 and 6
        double[] v = new double[2 * 3 * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.25 + 0.5 * ((i * 7) % v.length) - 3;
        }
        check(new Relu6(), p, Nd4j.createFromArray(v).reshape(2, 3, 4), Mode.TRAINING);
    }
}
