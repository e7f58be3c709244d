package org.nas4j.estimators.engine.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Optimizer;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.SinglePathPolicy;
import org.nas4j.spaces.darts.DartsSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The DARTS search network on a tiny configuration: C = 4, 3 cells (two reducing), 2 nodes, one input channel. */
class DartsSupernetTest {

    private static final DartsSpace SPACE = DartsSpace.builder().nodes(2).build();

    private static DartsSupernet.Builder tiny(org.nas4j.estimators.engine.supernet.PathPolicy.Factory policy) {
        return DartsSupernet.builder(SPACE, policy).channels(4).layers(3).classes(3).inputChannels(1);
    }

    @Test
    void mixedPolicyGradientsMatchFiniteDifferences() {
        DartsSupernet net = tiny(PathPolicies.mixed()).dataType(DataType.DOUBLE).seed(5).build();
        // larger architecture weights than the default 1e-3 * N(0, 1), so their gradients are not tiny
        net.architectureParameters().values().assign(GradientCheck.random(3, net.architectureParameters().size()));
        INDArray x = GradientCheck.random(11, 2, 1, 8, 8);
        // a few entries of every 13th weight array, and of alpha, in the normal and in the reduce block
        int[] counter = {0};
        GradientCheck.check(in -> net.forward(in, Mode.TRAINING), net::backward, net.weights(), x, 2,
                p -> counter[0]++ % 13 == 0);
        GradientCheck.check(in -> net.forward(in, Mode.TRAINING), net::backward, net.architectureParameters(), x,
                8);
    }

    @Test
    void singlePathStepsRunOnlyTheChosenOps() {
        DartsSupernet net = tiny(PathPolicies.singlePath(3)).seed(1).build();
        SinglePathPolicy policy = (SinglePathPolicy) net.policy();
        INDArray x = GradientCheck.random(2, 2, 1, 16, 16).castTo(DataType.FLOAT);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        for (int step = 0; step < 2; step++) {
            for (Parameter p : net.weights().parameters()) {
                p.clearGradient();
            }
            ce.forward(net.forward(x, Mode.TRAINING), SoftmaxCrossEntropy.oneHot(new int[] {0, 2}, 3,
                    DataType.FLOAT));
            net.backward(ce.backward());
            int[] chosen = policy.current();
            int edgeParams = 0;
            for (Parameter p : net.weights().parameters()) {
                String[] parts = p.name().split("\\.");
                if (parts.length < 3 || !parts[1].startsWith("edge")) {
                    assertTrue(p.hasGradient(), p.name() + " is outside the edges and must get a gradient");
                    continue;
                }
                edgeParams++;
                int cell = Integer.parseInt(parts[0].substring(4));
                int edge = Integer.parseInt(parts[1].substring(4));
                boolean reduction = cell == 1 || cell == 2;
                String op = net.ops().get(chosen[(reduction ? net.edgesPerCell() : 0) + edge]);
                assertEquals(op.equals(parts[2]), p.hasGradient(), p.name() + " with chosen op " + op);
            }
            assertTrue(edgeParams > 0);
        }
    }

    @Test
    void firstOrderSearchStepsDecreaseTheLoss() {
        DartsSupernet net = tiny(PathPolicies.mixed()).seed(7).build();
        SplittableRandom rng = new SplittableRandom(1);
        int[] trainLabels = new int[6];
        int[] validLabels = new int[6];
        for (int i = 0; i < 6; i++) {
            trainLabels[i] = i % 3;
            validLabels[i] = (i + 1) % 3;
        }
        INDArray train = images(trainLabels, rng);
        INDArray valid = images(validLabels, rng);
        INDArray trainY = SoftmaxCrossEntropy.oneHot(trainLabels, 3, DataType.FLOAT);
        INDArray validY = SoftmaxCrossEntropy.oneHot(validLabels, 3, DataType.FLOAT);
        Optimizer w = Sgd.builder(net.weights(), LearningRateSchedule.constant(0.05)).momentum(0.9)
                .weightDecay(3e-4).build();
        Optimizer a = Adam.builder(net.architectureParameters(), LearningRateSchedule.constant(3e-4)).beta1(0.5)
                .beta2(0.999).weightDecay(1e-3).build();
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        INDArray alphaBefore = net.normalAlpha().dup();
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 6; step++) {
            // architecture step on the validation batch (first order), then the weight step on the training batch
            ce.forward(net.forward(valid, Mode.TRAINING), validY);
            net.backward(ce.backward());
            a.step();
            clearMarks(net);
            double loss = ce.forward(net.forward(train, Mode.TRAINING), trainY);
            net.backward(ce.backward());
            w.step();
            clearMarks(net);
            first = step == 0 ? loss : first;
            last = loss;
        }
        assertTrue(last < first, "training loss should fall: " + first + " -> " + last);
        assertTrue(net.normalAlpha().sub(alphaBefore).amaxNumber().doubleValue() > 1e-4, "alpha should move");
        assertEquals(2 * net.edgesPerCell(), net.architectureParameters().parameters().get(0).shape()[0]);
        SPACE.format(net.derive());   // a valid genotype of the space
    }

    private static void clearMarks(DartsSupernet net) {
        net.weights().parameters().forEach(Parameter::clearGradient);
        net.architectureParameters().parameters().forEach(Parameter::clearGradient);
    }

    /** Images whose class shows as a brighter quadrant, plus noise. */
    private static INDArray images(int[] labels, SplittableRandom rng) {
        double[][][][] v = new double[labels.length][1][16][16];
        for (int n = 0; n < labels.length; n++) {
            for (int i = 0; i < 16; i++) {
                for (int j = 0; j < 16; j++) {
                    int quadrant = (i / 8) * 2 + j / 8;
                    v[n][0][i][j] = rng.nextGaussian() * 0.5 + (quadrant == labels[n] ? 1.5 : 0.0);
                }
            }
        }
        return org.nd4j.linalg.factory.Nd4j.createFromArray(v).castTo(DataType.FLOAT);
    }
}
