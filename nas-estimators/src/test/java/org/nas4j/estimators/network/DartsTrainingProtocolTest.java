package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.spaces.darts.DartsCostModel;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.darts.Genotypes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The CIFAR training protocol of the DARTS reference: auxiliary head and scheduled drop-path. */
class DartsTrainingProtocolTest {

    static final DartsSpace SPACE = DartsSpace.darts();
    static final Architecture V2 = SPACE.parse(Genotypes.DARTS_V2.toString());

    @Test
    void parameterCountWithTheAuxiliaryHeadEqualsTheReferenceNetwork() {
        for (int[] cl : new int[][] {{4, 3}, {8, 5}, {36, 20}}) {
            DartsCostModel ref = DartsCostModel.cifar(Genotypes.DARTS_V2).channels(cl[0]).layers(cl[1]).auxiliary(true)
                    .build();
            TrainableNetwork net = new DartsFactory(SPACE, cl[0], cl[1], 10, 3, 32).auxiliaryHead(0.4).build(V2, 1);
            assertEquals(ref.parameters(), net.parameterCount(), "C=" + cl[0] + " L=" + cl[1]);
        }
        assertEquals(3_825_768L, new DartsFactory(SPACE, 36, 20, 10, 3, 32).auxiliaryHead(0.4).build(V2, 1)
                .parameterCount());
        assertEquals(3_349_342L, new DartsFactory(SPACE, 36, 20, 10, 3, 32).build(V2, 1).parameterCount());
    }

    @Test
    void theAuxiliaryHeadNeedsAnEightPixelMapAndLeavesTheMainWeightsAsTheyWere() {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> new DartsFactory(SPACE, 4, 3, 10, 1, 8).auxiliaryHead(0.4));
        assertTrue(x.getMessage().contains("imageSize=8 leaves 2"), x.getMessage());
        TrainableNetwork plain = new DartsFactory(SPACE, 4, 3, 10, 3, 32).build(V2, 5);
        TrainableNetwork aux = new DartsFactory(SPACE, 4, 3, 10, 3, 32).auxiliaryHead(0.4).build(V2, 5);
        INDArray main = aux.parameters().values().get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, plain.parameterCount()));
        assertEquals(plain.parameters().values(), main.reshape(plain.parameters().values().shape()));
        INDArray x32 = GradientCheck.random(1, 2, 3, 32, 32).castTo(DataType.FLOAT);
        aux.forward(x32, Mode.TRAINING);
        assertEquals(List.of(2L, 10L), List.of(aux.auxiliaryLogits().size(0), aux.auxiliaryLogits().size(1)));
        aux.forward(x32, Mode.INFERENCE);
        assertNull(aux.auxiliaryLogits(), "the auxiliary head runs in training only");
        assertNull(plain.auxiliaryLogits());
    }

    /** d(main + w * aux)/dθ against central differences in DOUBLE, for a few weights in and before the head. */
    @Test
    void auxiliaryLossGradientMatchesFiniteDifferences() {
        double w = 0.4;
        TrainableNetwork net = new DartsFactory(SPACE, 2, 3, 4, 3, 32).auxiliaryHead(w).dataType(DataType.DOUBLE)
                .build(V2, 11);
        INDArray x = GradientCheck.random(3, 4, 3, 32, 32);
        INDArray y = SoftmaxCrossEntropy.oneHot(new int[] {0, 1, 2, 3}, 4, DataType.DOUBLE);
        SoftmaxCrossEntropy main = new SoftmaxCrossEntropy();
        SoftmaxCrossEntropy aux = new SoftmaxCrossEntropy();
        java.util.function.DoubleSupplier loss = () -> {
            double l = main.forward(net.forward(x, Mode.TRAINING), y);
            return l + w * aux.forward(net.auxiliaryLogits(), y);
        };
        double lossValue = loss.getAsDouble();
        // the rounding of the loss (a mean of cross entropies of O(1) terms) through a network of at most 64 layers
        // of fan-in at most 144 (as the export tests), divided by the step
        double lossTolerance = Tolerances.centralDifference(DataType.DOUBLE, Math.abs(lossValue) + 1, 1e-6,
                64L * (144 + 8));
        net.backward(main.backward(), aux.backward().muli(w));
        int checked = 0;
        for (Parameter p : net.parameters().parameters()) {
            String n = p.name();
            if (!(n.startsWith("auxiliary.") || n.equals("stem.conv.weight") || n.startsWith("reduce_2.pre1.conv")
                    || n.startsWith("reduce_1.pre0"))) {
                continue;
            }
            INDArray g = p.gradient().dup();
            INDArray flat = p.value().reshape(p.length());
            INDArray flatGrad = g.reshape(p.length());
            for (long i : new long[] {0, p.length() / 2, p.length() - 1}) {
                double orig = flat.getDouble(i);
                double eps = 1e-6;
                flat.putScalar(i, orig + eps);
                double plus = loss.getAsDouble();
                flat.putScalar(i, orig - eps);
                double minus = loss.getAsDouble();
                flat.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * eps);
                double analytic = flatGrad.getDouble(i);
                assertEquals(numeric, analytic, lossTolerance + 1e-4 * Math.abs(numeric), n + "[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked >= 30, "checked " + checked);
    }

    @Test
    void dropPathActsInTrainingOnlyAndIsReproducibleBySeed() {
        INDArray x = GradientCheck.random(4, 4, 1, 8, 8).castTo(DataType.FLOAT);
        TrainableNetwork a = new DartsFactory(SPACE, 4, 3, 10, 1, 8).dropPath(0.5).build(V2, 7);
        TrainableNetwork b = new DartsFactory(SPACE, 4, 3, 10, 1, 8).dropPath(0.5).build(V2, 7);
        TrainableNetwork off = new DartsFactory(SPACE, 4, 3, 10, 1, 8).build(V2, 7);
        assertFalse(off.dropPathRate().isPresent());
        assertEquals(0.5, a.dropPathRate().orElseThrow().get());
        assertEquals(off.forward(x, Mode.INFERENCE), a.forward(x, Mode.INFERENCE), "no drop-path in inference");
        INDArray plain = off.forward(x, Mode.TRAINING).dup();
        INDArray a1 = a.forward(x, Mode.TRAINING).dup();
        INDArray a2 = a.forward(x, Mode.TRAINING).dup();
        assertFalse(plain.equalsWithEps(a1, 1e-4), "drop-path changes the training output");
        assertFalse(a1.equalsWithEps(a2, 1e-4), "fresh masks on every pass");
        assertEquals(a1, b.forward(x, Mode.TRAINING), "same seed, same masks");
        assertEquals(a2, b.forward(x, Mode.TRAINING));
        a.dropPathRate().orElseThrow().set(0);
        assertEquals(plain, a.forward(x, Mode.TRAINING), "rate 0 is no drop-path");
    }

    @Test
    void dropPathSparesStrideOneSkipConnectionsOnly() {
        String skips = "[('skip_connect', 0), ('skip_connect', 1), ('skip_connect', 2), ('skip_connect', 1), "
                + "('skip_connect', 0), ('skip_connect', 3), ('skip_connect', 4), ('skip_connect', 1)]";
        Architecture allSkip = SPACE.parse("Genotype(normal=" + skips + ", normal_concat=[2, 3, 4, 5], reduce="
                + skips + ", reduce_concat=[2, 3, 4, 5])");
        List<INDArray> in = List.of(GradientCheck.random(1, 4, 4, 8, 8).castTo(DataType.FLOAT),
                GradientCheck.random(2, 4, 4, 8, 8).castTo(DataType.FLOAT));
        for (Architecture a : List.of(allSkip, V2)) {
            for (boolean reduction : new boolean[] {false, true}) {
                DropPathRate rate = new DropPathRate(0.5);
                org.nas4j.estimators.engine.ParameterSet params = new org.nas4j.estimators.engine.ParameterSet(
                        DataType.FLOAT, 1);
                GraphCell cell = new GraphCell(params, "c", SPACE.cells(a).get(reduction ? 1 : 0),
                        DartsModules::create, new int[] {4, 4}, 4, reduction, rate, 9);
                params.seal();
                INDArray dropped = cell.forward(in, Mode.TRAINING).dup();
                rate.set(0);
                INDArray kept = cell.forward(in, Mode.TRAINING).dup();
                boolean onlyIdentities = a == allSkip && !reduction;
                assertEquals(onlyIdentities, dropped.equals(kept), a == allSkip ? "all skip_connect" : "DARTS_V2"
                        + (reduction ? " reduce" : " normal"));
            }
        }
    }

    @Test
    void aTinyNetworkWithBothOptionsTrains() {
        double w = DartsFactory.DEFAULT_AUXILIARY_WEIGHT;
        TrainableNetwork net = new DartsFactory(SPACE, 4, 3, 10, 3, 32).auxiliaryHead(w).dropPath(0.2).build(V2, 3);
        INDArray x = GradientCheck.random(5, 8, 3, 32, 32).castTo(DataType.FLOAT);
        INDArray y = SoftmaxCrossEntropy.oneHot(new SplittableRandom(1).ints(8, 0, 10).toArray(), 10, DataType.FLOAT);
        SoftmaxCrossEntropy main = new SoftmaxCrossEntropy();
        SoftmaxCrossEntropy aux = new SoftmaxCrossEntropy();
        Adam adam = Adam.builder(net.parameters(), LearningRateSchedule.constant(0.01)).build();
        double first = 0;
        double last = 0;
        for (int step = 0; step < 10; step++) {
            last = main.forward(net.forward(x, Mode.TRAINING), y);
            assertNotNull(net.auxiliaryLogits());
            last += w * aux.forward(net.auxiliaryLogits(), y);
            first = step == 0 ? last : first;
            net.backward(main.backward(), aux.backward().muli(w));
            adam.step();
        }
        assertTrue(last < 0.8 * first, "loss went from " + first + " to " + last);
    }
}
