package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.spaces.enas.EnasMicroSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ENAS' micro space (the fixed-arc child) compiles through {@link SpaceCompiler} to its hand-counted parameters,
 * trains with falling loss on Fashion-MNIST, and has exact gradients through its calibrations, its five ops at
 * stride 1 and 2, and the concatenation of unused states, cell inputs included.
 */
class EnasMicroNetworkTest {

    /** The normal and reduction cells of nas-spaces' EnasMicroSpaceTest.INPUT0_UNUSED: state 0 is never read. */
    private static final String INPUT0_UNUSED = "1 0 1 1 2 4 1 2 3 3 3 0 4 1 4 4 5 0 1 3";

    @Test
    void thePublishedNetworkBuildsWithItsHandCountedParameters() {
        // the count derived in nas-spaces' EnasMicroSpaceTest from micro_child.py's shapes
        ComposedSpace space = EnasMicroSpace.finalChild();
        Architecture published = EnasMicroSpace.fromReference(space, EnasMicroSpace.PUBLISHED_ARC);
        assertEquals(3_894_372, new SpaceCompiler(space).build(published, 1).parameterCount());
        Architecture unused = EnasMicroSpace.fromReference(space, INPUT0_UNUSED + " " + INPUT0_UNUSED);
        assertEquals(2_601_468, new SpaceCompiler(space).build(unused, 1).parameterCount());
    }

    @Test
    void networksOfTheSmallSpaceHaveTheirFormulasSizeAndTrainOnFashionMnist() {
        ComposedSpace space = EnasMicroSpace.small().build();
        ImageDataset train = FashionMnist.bundled().train().head(32);
        INDArray x = Nd4j.create(DataType.FLOAT, 32, 1, 28, 28);
        int[] labels = new int[32];
        float[] sample = new float[28 * 28];
        for (int i = 0; i < 32; i++) {
            train.copySample(i, sample, 0);
            x.get(NDArrayIndex.point(i)).assign(Nd4j.create(sample, 1, 28, 28));
            labels[i] = train.label(i);
        }
        List<Architecture> archs = new ArrayList<>(List.of(
                EnasMicroSpace.fromReference(space, EnasMicroSpace.PUBLISHED_ARC),
                EnasMicroSpace.fromReference(space, INPUT0_UNUSED + " " + INPUT0_UNUSED)));
        archs.add(space.sample(new SplittableRandom(3)));
        for (int i = 0; i < archs.size(); i++) {
            Architecture a = archs.get(i);
            TrainableNetwork net = NetworkCompiler.compile(a, i);
            assertEquals(space.parameters(a), net.parameterCount(), a.toString());
            AdamSteps.assertLossFalls(net, x, labels, 5, a.toString());
        }
    }

    /**
     * One layer of 4 filters and 2 nodes on 1x8x8: cells 0 and 1 reduce (8 -> 4 -> 2), cell 2 is normal and
     * calibrates its larger first input by ReLU and a factorized reduction; 3 classes, no dropout.
     */
    static ComposedSpace tiny() {
        return EnasMicroSpace.small().name("enas-micro-tiny").layers(1).outFilters(4).nodes(2).input(1, 8).classes(3)
                .build();
    }

    @Test
    void gradientsThroughCalibrationsOpsAndUnusedInputsMatchFiniteDifferences() {
        ComposedSpace space = tiny();
        // normal then reduction cell, x_id x_op y_id y_op per node: every op at stride 1 and 2, a state read
        // twice, unused inputs (reduced in the reduction cell) in the output
        for (String arc : new String[] {"0 4 0 2 2 1 0 3 1 4 1 1 2 0 1 3", "1 0 1 3 2 4 1 2 0 2 0 0 0 3 2 4"}) {
            Architecture a = EnasMicroSpace.fromReference(space, arc);
            TrainableNetwork net = new SpaceCompiler(space).dataType(DataType.DOUBLE).build(a, 3);
            assertEquals(space.parameters(a), net.parameterCount(), arc);
            GradientCheck.check(in -> net.forward(in, Mode.TRAINING), net.body()::backward, net.parameters(),
                    GradientCheck.random(2, 2, 1, 8, 8), 3);
        }
    }

    /**
     * The fixed child keeps the reference's moving averages in inference ({@code _model} leaves {@code is_training}
     * as given with a {@code fixed_arc}): its inference output depends on the running statistics, which training
     * passes on other batches move, and differs from its training output.
     */
    @Test
    void theFixedChildNormalizesWithRunningStatisticsInInference() {
        ComposedSpace space = tiny();
        org.junit.jupiter.api.Assertions.assertFalse(space.batchStatisticsInInference());
        TrainableNetwork net = new SpaceCompiler(space).dataType(DataType.DOUBLE)
                .build(EnasMicroSpace.fromReference(space, "0 4 0 2 2 1 0 3 1 4 1 1 2 0 1 3"), 4);
        org.junit.jupiter.api.Assertions.assertTrue(net.parameters().runningStatistics().stream()
                .noneMatch(org.nas4j.estimators.engine.RunningStatistics::batchStatisticsInInference));
        INDArray x = GradientCheck.random(31, 3, 1, 8, 8);
        INDArray training = net.forward(x, Mode.TRAINING).dup();
        INDArray inference = net.forward(x, Mode.INFERENCE).dup();
        net.forward(GradientCheck.random(32, 3, 1, 8, 8).muli(4).addi(3), Mode.TRAINING);
        INDArray afterOther = net.forward(x, Mode.INFERENCE).dup();
        // batch statistics in inference would make both differences 0 to the last bits of DOUBLE
        double fromTraining = training.sub(inference).norm2Number().doubleValue();
        double fromOther = inference.sub(afterOther).norm2Number().doubleValue();
        org.junit.jupiter.api.Assertions.assertTrue(fromTraining > 1e-6, "training vs inference: " + fromTraining);
        org.junit.jupiter.api.Assertions.assertTrue(fromOther > 1e-6, "after another batch: " + fromOther);
    }

    /**
     * The fixed child's cells change their width with the architecture (the number of unused states), which the
     * supernet cannot share; the reference's search child (not built) projects them back to C for this reason.
     */
    @Test
    void theSupernetRefusesTheFixedChildNamingTheReason() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ComposedSupernet.compile(tiny(), org.nas4j.estimators.engine.supernet.PathPolicies.singlePath(1),
                        ModuleCatalogue.standard(), DataType.FLOAT, 1));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("changes which states cell step")
                && e.getMessage().contains("concatenates"), e.getMessage());
    }
}
