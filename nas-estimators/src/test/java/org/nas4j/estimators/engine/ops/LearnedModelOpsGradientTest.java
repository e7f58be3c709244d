package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nas4j.estimators.engine.GradientCheck.check;
import static org.nas4j.estimators.engine.GradientCheck.random;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pieces of the small learned models inside strategies (controllers, surrogates) against central finite
 * differences in double precision: activations, the ensemble layer, the embedding, and the two losses.
 */
class LearnedModelOpsGradientTest {

    private static ParameterSet params() {
        return new ParameterSet(DataType.DOUBLE, 7);
    }

    @Test
    void sigmoid() {
        ParameterSet p = params();
        p.seal();
        check(SaturatingActivation.sigmoid(), p, random(1, 3, 4).muli(2), Mode.TRAINING);
    }

    @Test
    void tanh() {
        ParameterSet p = params();
        p.seal();
        check(SaturatingActivation.tanh(), p, random(2, 2, 3, 2), Mode.TRAINING);
    }

    @Test
    void sigmoidAndTanhValues() {
        INDArray x = Nd4j.createFromArray(-1.5, 0.0, 2.0);
        INDArray s = SaturatingActivation.sigmoid().forward(x, Mode.TRAINING);
        INDArray t = SaturatingActivation.tanh().forward(x, Mode.TRAINING);
        for (int i = 0; i < 3; i++) {
            assertEquals(1 / (1 + Math.exp(-x.getDouble(i))), s.getDouble(i), 1e-15);
            assertEquals(Math.tanh(x.getDouble(i)), t.getDouble(i), 1e-15);
        }
    }

    @Test
    void ensembleDense() {
        ParameterSet p = params();
        EnsembleDense layer = new EnsembleDense(p, "e", 3, 4, 2, Initializer.normal(0.5), Initializer.normal(0.5));
        p.seal();
        check(layer, p, random(1, 3, 5, 4), Mode.TRAINING);
    }

    @Test
    void ensembleMembersAreIndependentDenseLayers() {
        ParameterSet p = params();
        EnsembleDense layer = new EnsembleDense(p, "e", 2, 3, 2, Initializer.normal(1), Initializer.normal(1));
        p.seal();
        INDArray x = random(3, 2, 4, 3);
        INDArray y = layer.forward(x, Mode.INFERENCE);
        INDArray w = p.parameters().get(0).value();
        INDArray b = p.parameters().get(1).value();
        for (int m = 0; m < 2; m++) {
            INDArray expected = x.slice(m).mmul(w.slice(m)).addRowVector(b.slice(m).reshape(2));
            assertEquals(expected, y.slice(m));
        }
    }

    @Test
    void embeddingAddsTheGradientsOfRepeatedIds() {
        ParameterSet p = params();
        Embedding emb = new Embedding(p, "emb", 4, 3, Initializer.normal(1));
        p.seal();
        int[] ids = {2, 0, 2};
        check(x -> emb.forward(ids).add(x), g -> {
            emb.backward(g);
            return g;
        }, p, random(4, 3, 3));
        assertEquals(p.parameters().get(0).value().getRow(2), emb.forward(new int[] {2}).getRow(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> emb.forward(new int[] {4}));
        assertEquals("rowIds[0] must be in [0, 4), but was 4", e.getMessage());
    }

    @Test
    void meanSquaredError() {
        MeanSquaredError mse = new MeanSquaredError();
        INDArray target = random(5, 3, 2);
        INDArray x = random(6, 3, 2);
        double expected = x.sub(target).muli(x.sub(target)).meanNumber().doubleValue();
        assertEquals(expected, mse.forward(x, target), 1e-14);
        check(in -> Nd4j.createFromArray(mse.forward(in, target)), r -> mse.backward().mul(r.getDouble(0)), null,
                x);
    }

    @Test
    void policyGradientLossOnRows() {
        PolicyGradientLoss loss = new PolicyGradientLoss();
        int[] actions = {1, 0, 3};
        check(in -> Nd4j.createFromArray(loss.forward(in, actions, 1.7, 0.3)),
                r -> loss.backward().mul(r.getDouble(0)), null, random(7, 3, 4));
    }

    @Test
    void policyGradientLossOnSegmentsOfDifferentSizes() {
        PolicyGradientLoss loss = new PolicyGradientLoss();
        int[] from = {0, 7, 10};
        int[] sizes = {5, 2, 3};
        int[] actions = {4, 1, 0};
        INDArray logits = random(8, 3, 5);
        check(in -> Nd4j.createFromArray(loss.forward(in, from, sizes, actions, -0.8, 0.5)),
                r -> loss.backward().mul(r.getDouble(0)), null, logits);
        loss.forward(logits, from, sizes, actions, -0.8, 0.5);
        assertEquals(0.0, loss.backward().getDouble(5), 0.0, "positions outside the segments get no gradient");
    }

    @Test
    void policyGradientLossValueIsLogProbabilityPlusEntropy() {
        PolicyGradientLoss loss = new PolicyGradientLoss();
        INDArray logits = Nd4j.createFromArray(new double[][] {{0.0, Math.log(3)}});
        double logP = Math.log(0.75);
        double entropy = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
        assertEquals(2 * logP + 0.5 * entropy, loss.forward(logits, new int[] {1}, 2, 0.5), 1e-14);
    }
}
