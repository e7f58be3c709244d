package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Optimizer;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.engine.supernet.SinglePathPolicy;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The NAS-Bench-201 supernet and networks compiled from the space's composed form: sizes, memory, determinism. */
class ComposedSupernetNb201Test {

    private static final String ARCH =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

    /** C = 2, N = 1, 3 classes, 8x8 images. */
    private static ComposedSpace tiny() {
        return NasBench201Definition.of(NasBench201Space.builder().channels(2).cellsPerStage(1).classes(3)
                .imageSize(8).build());
    }

    private static ComposedSupernet supernet(ComposedSpace space, PathPolicy.Factory policy, DataType type,
            long seed) {
        return ComposedSupernet.compile(space, policy, ModuleCatalogue.standard(), type, seed);
    }

    @Test
    void standaloneParameterCountFollowsTheBenchmarkFormula() {
        NasBench201Space space = NasBench201Space.standard();
        String[] archs = {ARCH,
                "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
                "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|nor_conv_3x3~1|none~2|",
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"};
        for (String text : archs) {
            Architecture a = space.parse(text);
            long conv3 = Arrays.stream(a.vector()).filter(i -> NasBench201Space.OPS.get(i).equals("nor_conv_3x3"))
                    .count();
            long conv1 = Arrays.stream(a.vector()).filter(i -> NasBench201Space.OPS.get(i).equals("nor_conv_1x1"))
                    .count();
            assertEquals(73_306 + 243_040 * conv3 + 28_000 * conv1, NetworkCompiler.compile(a, 0).parameterCount(),
                    text);
        }
    }

    @Test
    void aPathWhoseNodesFeedSeveralConvolutionsHasFiniteDifferenceGradients() {
        // in ARCH node 0 feeds three nor_conv edges and node 1 two: the cell computes one ReLU per node and one
        // ReLU backward of their summed gradients, which the input gradient passes through (the weights of the
        // candidates off the path get no gradient, so only the input is checked)
        NasBench201Space nb201 = NasBench201Space.builder().channels(2).cellsPerStage(1).classes(3).imageSize(8)
                .build();
        Architecture a = nb201.composedForm().orElseThrow().toComposed(nb201.parse(ARCH));
        ComposedSupernet net = ComposedSupernet.restrictedTo(a, ModuleCatalogue.standard(), DataType.DOUBLE, 3);
        GradientCheck.check(in -> net.forward(in, Mode.TRAINING), net::backward, null,
                GradientCheck.random(6, 2, 3, 8, 8), 30);
    }

    @Test
    void pathDropoutGradientsInInferenceModeSumAllOps() {
        ComposedSupernet net = supernet(tiny(), PathPolicies.pathDropout(0.5, 3), DataType.DOUBLE, 5);
        INDArray x = GradientCheck.random(1, 2, 3, 8, 8);
        net.forward(x, Mode.TRAINING);   // fill the running statistics
        GradientCheck.check(in -> net.forward(in, Mode.INFERENCE), net::backward, null, x, 5);
    }

    @Test
    void singlePathBuffersSharedBetweenCandidatesGiveTheSameResultsAsFreshSupernets() {
        ComposedSpace space = tiny();
        ComposedSupernet net = supernet(space, PathPolicies.singlePath(21), DataType.DOUBLE, 5);
        INDArray x = GradientCheck.random(8, 2, 3, 8, 8);
        INDArray r = GradientCheck.random(9, 2, 3);
        for (int pass = 0; pass < 6; pass++) {
            INDArray logits = net.forward(x, Mode.TRAINING).dup();
            INDArray gx = net.backward(r).dup();
            int[] path = ((SinglePathPolicy) net.policy()).current();
            ComposedSupernet fresh = supernet(space, PathPolicies.fixed(path), DataType.DOUBLE, 5);
            assertEquals(fresh.forward(x, Mode.TRAINING), logits, "pass " + pass);
            assertEquals(fresh.backward(r), gx, "pass " + pass);
        }
    }

    @Test
    void stepsAfterTheFirstAllocateNoBuffersForMixedAndFixedPaths() {
        ComposedSpace space = NasBench201Definition.of(NasBench201Space.builder().channels(4).cellsPerStage(2)
                .imageSize(8).build());
        // NAS-Bench-201's policy edges are its six op choices, candidates in option order: the path is the vector
        int[] path = NasBench201Space.standard().parse(ARCH).vector();
        for (PathPolicy.Factory policy : new PathPolicy.Factory[] {PathPolicies.mixed(), PathPolicies.fixed(path)}) {
            ComposedSupernet net = supernet(space, policy, DataType.FLOAT, 3);
            long[] allocated = new long[5];
            Trainer trainer = new Trainer(net);
            for (int s = 0; s < allocated.length; s++) {
                trainer.step();
                allocated[s] = Buffer.allocatedBytes();
            }
            // every buffer is reused from the second step on: steady state, no growth
            assertEquals(allocated[1], allocated[4], Arrays.toString(allocated));
        }
    }

    @Test
    void trainingIsBitIdenticalForTheSameSeeds() {
        for (PathPolicy.Factory policy : new PathPolicy.Factory[] {PathPolicies.mixed(), PathPolicies.singlePath(4),
                PathPolicies.gdas(4, pass -> 5.0), PathPolicies.pathDropout(0.3, 4)}) {
            assertArrayEquals(train(policy, 3), train(policy, 3), 0.0);
        }
        double[] mixed = train(PathPolicies.mixed(), 3);
        assertTrue(mixed[2] < mixed[0], "loss should fall on a fixed batch: " + Arrays.toString(mixed));
    }

    private static double[] train(PathPolicy.Factory policy, int steps) {
        ComposedSpace space = NasBench201Definition.of(NasBench201Space.builder().channels(2).cellsPerStage(1)
                .imageSize(8).build());
        Trainer trainer = new Trainer(supernet(space, policy, DataType.FLOAT, 3));
        double[] losses = new double[steps];
        for (int s = 0; s < steps; s++) {
            losses[s] = trainer.step();
        }
        return losses;
    }

    /** Adam on the weights and on the architecture weights, on one fixed batch of four 8x8 images. */
    private static final class Trainer {
        private final ComposedSupernet net;
        private final INDArray x;
        private final INDArray labels;
        private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        private final Optimizer weights;
        private final Optimizer alphas;

        Trainer(ComposedSupernet net) {
            this.net = net;
            this.x = GradientCheck.random(4, 4, 3, 8, 8).castTo(DataType.FLOAT);
            this.labels = SoftmaxCrossEntropy.oneHot(new int[] {0, 1, 2, 3}, 10, DataType.FLOAT);
            this.weights = Adam.builder(net.weights(), LearningRateSchedule.constant(1e-2)).build();
            this.alphas = net.architectureParameters().parameters().isEmpty() ? null
                    : Adam.builder(net.architectureParameters(), LearningRateSchedule.constant(1e-2)).build();
        }

        double step() {
            double value = loss.forward(net.forward(x, Mode.TRAINING), labels);
            net.backward(loss.backward());
            weights.step();
            if (alphas != null) {
                alphas.step();
            }
            return value;
        }
    }
}
