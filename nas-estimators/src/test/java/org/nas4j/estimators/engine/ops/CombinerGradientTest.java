package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nas4j.estimators.engine.GradientCheck.check;
import static org.nas4j.estimators.engine.GradientCheck.random;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Multi-input ops and the loss against central finite differences, in double precision. */
class CombinerGradientTest {

    private final INDArray other = random(3, 2, 3, 2, 2);
    private final INDArray third = random(4, 2, 3, 2, 2);

    @Test
    void sumPassesTheGradientToEveryInput() {
        Sum sum = new Sum();
        check(x -> sum.forward(List.of(x, other, third)), sum::backward, null, random(1, 2, 3, 2, 2));
        check(x -> sum.forward(List.of(other, x)), sum::backward, null, random(1, 2, 3, 2, 2));
    }

    @Test
    void weightedSumInputsAndWeights() {
        WeightedSum ws = new WeightedSum();
        double[] w = {0.2, -1.3, 0.7};
        check(x -> ws.forward(List.of(other, x, third), w), g -> ws.backward(g, false).get(1), null,
                random(1, 2, 3, 2, 2));
        // weights as the checked input: f(w) = sum_k w_k x_k
        INDArray x0 = random(1, 2, 3, 2, 2);
        check(wv -> ws.forward(List.of(x0, other, third), wv.toDoubleVector()), g -> {
            ws.backward(g, true);
            return Nd4j.createFromArray(ws.weightGradients());
        }, null, Nd4j.createFromArray(w));
    }

    @Test
    void concatSlicesTheGradient() {
        Concat concat = new Concat();
        INDArray narrow = random(5, 2, 1, 2, 2);
        check(x -> concat.forward(List.of(narrow, x, other)), g -> concat.backward(g).get(1), null,
                random(1, 2, 3, 2, 2));
    }

    @Test
    void softmaxCrossEntropyMatchesTheDefinition() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        INDArray labels = SoftmaxCrossEntropy.oneHot(new int[] {2, 0, 1}, 4, DataType.DOUBLE);
        INDArray logits = random(6, 3, 4);
        double expected = 0;
        for (int b = 0; b < 3; b++) {
            double max = logits.getRow(b).maxNumber().doubleValue();
            double z = 0;
            for (int k = 0; k < 4; k++) {
                z += Math.exp(logits.getDouble(b, k) - max);
            }
            int y = new int[] {2, 0, 1}[b];
            expected += -(logits.getDouble(b, y) - max - Math.log(z));
        }
        assertEquals(expected / 3, ce.forward(logits, labels), 1e-12);
        // as a function of the logits: the checker's loss sum(out * r) with out = the scalar loss as [1,1]
        INDArray wrapped = Nd4j.zeros(DataType.DOUBLE, 1, 1);
        check(x -> wrapped.assign(ce.forward(x, labels)), g -> ce.backward().mul(g.getDouble(0)), null,
                random(6, 3, 4));
    }
}
