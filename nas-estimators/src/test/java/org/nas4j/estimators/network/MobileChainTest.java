package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A small ProxylessNAS-style chain (ReLU6 stem, MBConv layers of every kernel and expansion, a skippable layer,
 * feature mix, pooled linear head) compiles to the planned size, trains, and has exact gradients.
 */
class MobileChainTest {

    /** Every candidate of ProxylessNAS' layers, plus {@code zero} where the block keeps stride and width. */
    static ComposedSpace chain() {
        List<String> ops = new ArrayList<>();
        for (int k : new int[] {3, 5, 7}) {
            for (int e : new int[] {3, 6}) {
                ops.add("mbconv_" + k + "x" + k + "_e" + e);
            }
        }
        List<String> skippable = new ArrayList<>(ops);
        skippable.add("zero");
        return SpaceBuilder.create("mobile-chain").input(1, 16, 16).classes(10)
                .layer("first_conv", "conv_bn_relu6_3x3", Width.of(8), 1)
                .layer("first_block", "mbconv_3x3_e1", Width.of(4))
                .choice("layer1", ops, Width.of(8), 2)
                .choice("layer2", skippable, Width.of(8), 1)
                .choice("layer3", ops, Width.of(12), 2)
                .layer("feature_mix", "conv_bn_relu6_1x1", Width.of(32))
                .head("pool_linear").build();
    }

    @Test
    void everyCandidateCompilesToItsFormulasSizeAndTrains() {
        ComposedSpace space = chain();
        INDArray x = GradientCheck.random(5, 4, 1, 16, 16).castTo(DataType.FLOAT);
        for (int op = 0; op < 7; op++) {
            Architecture a = Architecture.of(space, op % 6, op, (op + 3) % 6);
            TrainableNetwork net = NetworkCompiler.compile(a, op);
            assertEquals(space.parameters(a), net.parameterCount(), a.toString());
            AdamSteps.assertLossFalls(net, x, new int[] {1, 3, 5, 7}, 6, a.toString());
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        ComposedSpace space = chain();
        for (Architecture a : List.of(Architecture.of(space, 3, 4, 1), Architecture.of(space, 0, 6, 5))) {
            TrainableNetwork net = new SpaceCompiler(space).dataType(DataType.DOUBLE).build(a, 3);
            GradientCheck.check(in -> net.forward(in, Mode.TRAINING), net.body()::backward, net.parameters(),
                    GradientCheck.random(2, 2, 1, 16, 16), 3);
        }
    }

    @Test
    void aSkippedLayerIsTheIdentityAndRefusesToChangeShape() {
        ComposedSpace space = chain();
        Architecture skipped = Architecture.of(space, 0, 6, 0);
        assertEquals("zero", skipped.option("layer2"));
        TrainableNetwork net = NetworkCompiler.compile(skipped, 1);
        assertEquals(space.parameters(skipped), net.parameterCount());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModuleCatalogue.standard()
                .create(new ParameterSet(DataType.FLOAT, 1), "z", "zero", 8, 16, 1));
        assertTrue(e.getMessage().contains("stride 1, 8 -> 16 channels"), e.getMessage());
    }

    @Test
    void theSupernetRunsProxylessPathsAndRestrictsToTheStandAloneNetwork() {
        ComposedSpace space = chain();
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.proxyless(4),
                ModuleCatalogue.standard(), DataType.FLOAT, 2);
        INDArray y = supernet.forward(GradientCheck.random(4, 2, 1, 16, 16).castTo(DataType.FLOAT), Mode.TRAINING);
        assertArrayEquals(new long[] {2, 10}, y.shape());
        supernet.backward(y.dup());
        assertTrue(space.isValid(supernet.derive()));
        INDArray x = GradientCheck.random(6, 2, 1, 16, 16);
        ComposedSupernetChoicesTest.assertSameOutput(Architecture.of(space, 5, 6, 2), x);
        ComposedSupernetChoicesTest.assertSameOutput(Architecture.of(space, 1, 3, 4), x);
    }

    @Test
    void samplesOfTheChainTrainToo() {
        ComposedSpace space = chain();
        Architecture a = space.sample(new SplitMix64(21));
        assertEquals(space.parameters(a), NetworkCompiler.compile(a, 2).parameterCount());
    }
}
