package org.nas4j.estimators.engine.nb201;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Optimizer;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.engine.supernet.SinglePathPolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class Nb201NetworkTest {

    private static final String ARCH =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

    @Test
    void standaloneParameterCountFollowsTheBenchmarkFormula() {
        String[] archs = {ARCH,
                "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
                "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|nor_conv_3x3~1|none~2|",
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"};
        for (String text : archs) {
            Nb201Architecture arch = Nb201Architecture.parse(text);
            long count = Nb201Network.builder().standalone(arch).build().parameters().size();
            long expected = 73_306 + 243_040 * arch.count(Nb201Op.NOR_CONV_3X3)
                    + 28_000 * arch.count(Nb201Op.NOR_CONV_1X1);
            assertEquals(expected, count, text);
        }
    }

    @Test
    void architectureStringsRoundTrip() {
        Nb201Architecture a = Nb201Architecture.parse(ARCH);
        assertEquals(ARCH, a.toString());
        assertArrayEquals(new int[] {3, 3, 3, 1, 3, 2}, a.indices());
        assertThrows(IllegalArgumentException.class, () -> Nb201Architecture.parse("|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|"));
        assertThrows(IllegalArgumentException.class, () -> Nb201Architecture.parse("|none~0|+|none~0|"));
    }

    private static Nb201Network.Builder tiny() {
        return Nb201Network.builder().channels(2).cells(1).classes(3).dataType(DataType.DOUBLE).seed(5);
    }

    /** Checks the input, the architecture weights and the parameters of one edge and of every non-cell layer. */
    private static void checkWholeNetwork(Nb201Network net) {
        INDArray x = GradientCheck.random(1, 2, 3, 8, 8);
        GradientCheck.check(in -> net.forward(in, Mode.TRAINING), net::backward, net.parameters(), x, 2,
                p -> !p.name().contains(".cell") || p.name().contains("stage1.cell0.edge4"));
    }

    @Test
    void mixedSupernetGradientsIncludingArchitectureWeights() {
        Nb201Network net = tiny().supernet(PathPolicies.mixed()).build();
        assertEquals("alpha", net.parameters().parameters().get(0).name());
        checkWholeNetwork(net);
    }

    @Test
    void standaloneNetworkGradients() {
        checkWholeNetwork(tiny().standalone(Nb201Architecture.parse(
                "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|nor_conv_3x3~1|nor_conv_1x1~2|")).build());
    }

    @Test
    void pathDropoutSupernetGradientsInInferenceModeSumAllOps() {
        Nb201Network net = tiny().supernet(PathPolicies.pathDropout(0.5, 3)).build();
        INDArray x = GradientCheck.random(1, 2, 3, 8, 8);
        net.forward(x, Mode.TRAINING);   // fill the running statistics
        GradientCheck.check(in -> net.forward(in, Mode.INFERENCE), net::backward, null, x, 5);
    }

    @Test
    void singlePathComputesAndUpdatesOnlyTheChosenOps() {
        Nb201Network net = Nb201Network.builder().channels(4).cells(1).seed(1)
                .supernet(PathPolicies.singlePath(9)).build();
        INDArray x = GradientCheck.random(2, 4, 3, 8, 8).castTo(DataType.FLOAT);
        INDArray labels = SoftmaxCrossEntropy.oneHot(new int[] {0, 1, 2, 3}, 10, DataType.FLOAT);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        ce.forward(net.forward(x, Mode.TRAINING), labels);
        net.backward(ce.backward());
        int[] arch = ((SinglePathPolicy) net.policy()).current();
        String[] labelsOfOps = {"none", "skip", "conv1x1", "conv3x3", "pool"};
        for (Parameter p : net.parameters().parameters()) {
            String name = p.name();
            int edge = name.contains(".edge") ? name.charAt(name.indexOf(".edge") + 5) - '0' : -1;
            if (edge < 0) {
                assertTrue(p.hasGradient(), name);
            } else {
                boolean chosen = name.contains(arch[edge] == 2 ? ".conv1x1" : arch[edge] == 3 ? ".conv3x3" : "#");
                assertEquals(chosen, p.hasGradient(), name + " with ops " + java.util.Arrays.toString(arch)
                        + " " + labelsOfOps.length);
            }
        }
        INDArray before = net.parameters().values().dup();
        Optimizer adam = Adam.builder(net.parameters(), LearningRateSchedule.constant(1e-2)).build();
        adam.step();
        INDArray after = net.parameters().values();
        for (Parameter p : net.parameters().parameters()) {
            INDArray old = before.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(p.offset(),
                    p.offset() + p.length()));
            assertEquals(!p.name().contains(".edge") || isChosen(p.name(), arch),
                    !old.equals(p.value().reshape(p.length())), p.name());
        }
        assertFalse(after.equals(before));
    }

    @Test
    void singlePathBuffersSharedBetweenCandidatesGiveTheSameResultsAsFreshNetworks() {
        Nb201Network net = tiny().supernet(PathPolicies.singlePath(21)).build();
        INDArray x = GradientCheck.random(8, 2, 3, 8, 8);
        INDArray r = GradientCheck.random(9, 2, 3);
        for (int pass = 0; pass < 6; pass++) {
            INDArray logits = net.forward(x, Mode.TRAINING).dup();
            INDArray gx = net.backward(r).dup();
            int[] arch = ((SinglePathPolicy) net.policy()).current();
            Nb201Network fresh = tiny().supernet(PathPolicies.fixed(arch)).build();
            assertEquals(fresh.forward(x, Mode.TRAINING), logits, "pass " + pass);
            assertEquals(fresh.backward(r), gx, "pass " + pass);
        }
    }

    private static boolean isChosen(String name, int[] arch) {
        int edge = name.charAt(name.indexOf(".edge") + 5) - '0';
        return name.contains(arch[edge] == 2 ? ".conv1x1" : arch[edge] == 3 ? ".conv3x3" : "#");
    }

    private static double[] train(PathPolicy.Factory policy, int steps) {
        Nb201Network net = Nb201Network.builder().channels(2).cells(1).seed(3).supernet(policy).build();
        INDArray x = GradientCheck.random(4, 4, 3, 8, 8).castTo(DataType.FLOAT);
        INDArray labels = SoftmaxCrossEntropy.oneHot(new int[] {0, 1, 2, 3}, 10, DataType.FLOAT);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        Optimizer adam = Adam.builder(net.parameters(), LearningRateSchedule.constant(1e-2)).build();
        double[] losses = new double[steps];
        for (int s = 0; s < steps; s++) {
            losses[s] = ce.forward(net.forward(x, Mode.TRAINING), labels);
            net.backward(ce.backward());
            adam.step();
        }
        return losses;
    }

    @Test
    void stepsAfterTheFirstAllocateNoBuffersForAFixedPath() {
        for (PathPolicy.Factory policy : new PathPolicy.Factory[] {PathPolicies.mixed(),
                PathPolicies.fixed(Nb201Architecture.parse(ARCH).indices())}) {
            Nb201Network net = Nb201Network.builder().channels(4).cells(2).seed(3).supernet(policy).build();
            INDArray x = GradientCheck.random(4, 4, 3, 8, 8).castTo(DataType.FLOAT);
            INDArray labels = SoftmaxCrossEntropy.oneHot(new int[] {0, 1, 2, 3}, 10, DataType.FLOAT);
            SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
            Optimizer adam = Adam.builder(net.parameters(), LearningRateSchedule.constant(1e-2)).build();
            long[] allocated = new long[5];
            for (int s = 0; s < allocated.length; s++) {
                ce.forward(net.forward(x, Mode.TRAINING), labels);
                net.backward(ce.backward());
                adam.step();
                allocated[s] = Buffer.allocatedBytes();
            }
            // the pool serves every buffer from the second step on: steady state, no growth
            assertEquals(allocated[1], allocated[4], java.util.Arrays.toString(allocated));
        }
    }

    @Test
    void trainingIsBitIdenticalForTheSameSeeds() {
        for (PathPolicy.Factory policy : new PathPolicy.Factory[] {PathPolicies.mixed(), PathPolicies.singlePath(4),
                PathPolicies.gdas(4, pass -> 5.0), PathPolicies.pathDropout(0.3, 4)}) {
            double[] first = train(policy, 3);
            double[] second = train(policy, 3);
            assertArrayEquals(first, second, 0.0);
        }
        double[] mixed = train(PathPolicies.mixed(), 3);
        assertTrue(mixed[2] < mixed[0], "loss should fall on a fixed batch: " + java.util.Arrays.toString(mixed));
    }
}
