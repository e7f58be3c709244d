package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.spaces.enas.EnasMacroSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ENAS' macro space compiles through {@link SpaceCompiler} to its hand-counted parameters, trains with falling loss
 * on Fashion-MNIST, has exact gradients through its joins (skips, the BN after the sum, the reductions), and its
 * supernet holds the reference search child's parameters and, restricted to one architecture, computes the
 * stand-alone network.
 */
class EnasMacroNetworkTest {

    @Test
    void thePublishedArchitectureBuildsWithItsHandCountedParameters() {
        // the count derived in nas-spaces' EnasMacroSpaceTest from general_child.py's shapes
        ComposedSpace space = EnasMacroSpace.builder().layers(24).branches(4).build();
        Architecture published = EnasMacroSpace.fromReference(space, EnasMacroSpace.PUBLISHED_ARC);
        assertEquals(472_320, new SpaceCompiler(space).build(published, 1).parameterCount());
    }

    @Test
    void thePublishedArchitectureInTheFixedChildBuildsWithItsHandCountedParameters() {
        // the count derived in nas-spaces' EnasMacroSpaceTest from _fixed_layer's shapes
        ComposedSpace space = EnasMacroSpace.finalChild();
        Architecture published = EnasMacroSpace.fromReference(space, EnasMacroSpace.PUBLISHED_ARC);
        assertEquals(42_559_392, new SpaceCompiler(space).build(published, 1).parameterCount());
    }

    @Test
    void fixedChildNetworksTrainAndHaveExactGradients() {
        ComposedSpace small = EnasMacroSpace.small().fixedChild(true).branches(4).build();
        Architecture a = small.sample(new SplittableRandom(4));
        TrainableNetwork net = NetworkCompiler.compile(a, 2);
        assertEquals(small.parameters(a), net.parameterCount());
        AdamSteps.assertLossFalls(net, GradientCheck.random(8, 8, 1, 28, 28).castTo(DataType.FLOAT),
                new int[] {1, 3, 5, 7, 9, 0, 2, 4}, 5, a.toString());
        ComposedSpace tiny = EnasMacroSpace.small().name("enas-tiny-fixed").layers(3).outFilters(4).input(1, 8)
                .classes(3).keepProbability("1.0").branches(4).fixedChild(true).build();
        for (String arc : new String[] {"0 1 1 2 1 1", "3 0 0 1 0 1"}) {
            Architecture t = EnasMacroSpace.fromReference(tiny, arc);
            TrainableNetwork d = new SpaceCompiler(tiny).dataType(DataType.DOUBLE).build(t, 3);
            GradientCheck.check(in -> d.forward(in, Mode.TRAINING), d.body()::backward, d.parameters(),
                    GradientCheck.random(2, 2, 1, 8, 8), 3);
        }
    }

    /**
     * The reference search child ({@code _enas_layer}, whole_channels) builds all six branches of every layer, as
     * its "Model has N params" counts them; at 12 layers and 36 filters (cifar10_macro_search.sh), C = 36:
     * <ul>
     *   <li>per layer: conv 3x3 C*C + 9*C*C + 4C, separable 3x3 2*C*C + 9C + 4C, conv 5x5 C*C + 25*C*C + 4C,
     *       separable 5x5 2*C*C + 25C + 4C, two pools C*C + 2C each: 42*C*C + 54C = 56,376; 12 layers 676,512;</li>
     *   <li>the BN after the skip sum of layers 1..11: 11 x 2C = 792;</li>
     *   <li>pool layers 3 and 7 reduce 5 and 9 states: 14 x (C*C + 2C) = 19,152;</li>
     *   <li>stem 27C + 2C = 1,044; fc 10C = 360.</li>
     * </ul>
     * Total 697,860; the skips add none.
     */
    @Test
    void theSupernetHoldsTheReferenceSearchChildsParameters() {
        ComposedSupernet supernet = ComposedSupernet.compile(EnasMacroSpace.cifar10(), PathPolicies.singlePath(3),
                ModuleCatalogue.standard(), DataType.FLOAT, 1);
        assertEquals(697_860, supernet.weights().size());
        int[] sizes = supernet.edgeSizes();
        assertEquals(78, sizes.length);
        assertEquals(6, sizes[0]);
        assertEquals(2, sizes[2]);
    }

    @Test
    void networksOfTheSmallSpaceHaveTheirFormulasSizeAndTrainOnFashionMnist() {
        ComposedSpace space = EnasMacroSpace.small().build();
        ImageDataset train = FashionMnist.bundled().train().head(32);
        INDArray x = Nd4j.create(DataType.FLOAT, 32, 1, 28, 28);
        int[] labels = new int[32];
        float[] sample = new float[28 * 28];
        for (int i = 0; i < 32; i++) {
            train.copySample(i, sample, 0);
            x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(Nd4j.create(sample, 1, 28, 28));
            labels[i] = train.label(i);
        }
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 3; i++) {
            Architecture a = space.sample(rng);
            TrainableNetwork net = NetworkCompiler.compile(a, i);
            assertEquals(space.parameters(a), net.parameterCount(), a.toString());
            AdamSteps.assertLossFalls(net, x, labels, 5, a.toString());
        }
    }

    /**
     * Three layers of 4 filters on 1x8x8 (a reduction after layer 0 and after layer 1), 3 classes, no dropout (so
     * that a training pass is a function of the weights, and two networks draw no masks).
     */
    static ComposedSpace tiny() {
        return EnasMacroSpace.small().name("enas-tiny").layers(3).outFilters(4).input(1, 8).classes(3)
                .keepProbability("1.0").build();
    }

    @Test
    void gradientsThroughSkipsReductionsAndEveryBranchMatchFiniteDifferences() {
        ComposedSpace space = tiny();
        // every branch once; skips on and off; layer 2 reads the stem's and layer 0's reductions
        for (String arc : new String[] {"0 1 1 2 1 1", "3 4 0 5 0 1", "5 1 1 4 1 0"}) {
            Architecture a = EnasMacroSpace.fromReference(space, arc);
            TrainableNetwork net = new SpaceCompiler(space).dataType(DataType.DOUBLE).build(a, 3);
            assertEquals(space.parameters(a), net.parameterCount(), arc);
            GradientCheck.check(in -> net.forward(in, Mode.TRAINING), net.body()::backward, net.parameters(),
                    GradientCheck.random(2, 2, 1, 8, 8), 3);
        }
    }

    @Test
    void theSupernetRunsSampledPathsAndRestrictsToTheStandAloneNetwork() {
        ComposedSpace space = tiny();
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.singlePath(4),
                ModuleCatalogue.standard(), DataType.FLOAT, 2);
        assertArrayEquals(new int[] {6, 6, 2, 6, 2, 2}, supernet.edgeSizes());
        for (int pass = 0; pass < 3; pass++) {
            INDArray y = supernet.forward(GradientCheck.random(4 + pass, 2, 1, 8, 8).castTo(DataType.FLOAT),
                    Mode.TRAINING);
            assertArrayEquals(new long[] {2, 3}, y.shape());
            supernet.backward(y.dup());
        }
        INDArray x = GradientCheck.random(6, 2, 1, 8, 8);
        for (String arc : new String[] {"0 1 1 2 1 1", "3 4 0 5 0 1", "1 2 1 3 0 0"}) {
            assertRestrictedSupernetIsTheNetwork(EnasMacroSpace.fromReference(space, arc), x);
        }
    }

    @Test
    void aWeightedSupernetHasExactGradientsAndDerivesAnArchitectureOfTheSpace() {
        // DARTS' relaxation of the macro space: every branch and every skip flag weighted by a softmax
        ComposedSpace space = tiny();
        ComposedSupernet mixed = ComposedSupernet.compile(space, PathPolicies.mixed(), ModuleCatalogue.standard(),
                DataType.DOUBLE, 2);
        GradientCheck.check(in -> mixed.forward(in, Mode.TRAINING), mixed::backward, mixed.weights(),
                GradientCheck.random(8, 2, 1, 8, 8), 3);
        Architecture derived = mixed.derive();
        assertTrue(space.isValid(derived), derived.toString());
        assertEquals(space.choices().size(), derived.size());
    }

    /**
     * The fixed child's skip layer as the reference writes it (453-479 of general_child.py: the chosen skips and the
     * branch output concatenated in that order, ReLU, one 1x1 convolution {@code 3C -> C}, BN) equals the join nas4j
     * builds (BN of the sum of {@code enas_relu_conv_1x1} on each) when the convolution's input blocks are the
     * join's weights.
     */
    @Test
    void theFixedChildsSkipProjectionIsTheSumOfItsBlocks() {
        int c = 4;
        ParameterSet join = new ParameterSet(DataType.DOUBLE, 1);
        List<Module> blocks = new ArrayList<>();
        for (String input : new String[] {"skip0", "skip1", "out"}) {
            blocks.add(ModuleCatalogue.standard().create(join, input, "enas_relu_conv_1x1", c, c, 1));
        }
        Module joinBn = ModuleCatalogue.standard().create(join, "after", "batch_norm", c, c, 1);
        join.seal();
        ParameterSet reference = new ParameterSet(DataType.DOUBLE, 2);
        Module conv = Modules.conv(reference, "skip", new GraphSink.ConvSpec(3 * c, c, 1, 1, 0, 1, 1));
        Module referenceBn = Modules.batchNorm(reference, "skip.bn", c, true, 0.1, 1e-3);
        reference.seal();
        INDArray w = reference.parameters().get(0).value();
        for (int k = 0; k < 3; k++) {
            w.get(NDArrayIndex.all(), NDArrayIndex.interval(k * c, (k + 1) * c), NDArrayIndex.all(),
                    NDArrayIndex.all()).assign(join.parameters().get(k).value());
        }
        INDArray[] x = new INDArray[3];
        INDArray sum = null;
        for (int k = 0; k < 3; k++) {
            x[k] = GradientCheck.random(20 + k, 2, c, 5, 5);
            INDArray y = blocks.get(k).forward(x[k], Mode.TRAINING).dup();
            sum = sum == null ? y : sum.add(y);
        }
        INDArray joined = joinBn.forward(sum, Mode.TRAINING);
        INDArray concatenated = Transforms.relu(Nd4j.concat(1, x[0], x[1], x[2]), true);
        INDArray projected = referenceBn.forward(conv.forward(concatenated, Mode.TRAINING), Mode.TRAINING);
        // DOUBLE: each output sums 12 products of values below 10 (about 12 x 1.1e-16 x 100 = 1.3e-13 before BN),
        // which divides by batch deviations above 0.1: below 1e-12; a block in the wrong place moves it by O(1)
        assertEquals(0, Transforms.abs(joined.sub(projected)).maxNumber().doubleValue(), 1e-12);
    }

    /**
     * The supernet restricted to {@code arch}, with the stand-alone network's weights copied into the chosen
     * candidates (a join's edge {@code layer1.edge0.inp_conv.weight} of the network is
     * {@code layer1.edge0~enas_sep_conv_3x3.inp_conv.weight} in the supernet), computes the network, in training
     * and inference.
     */
    private static void assertRestrictedSupernetIsTheNetwork(Architecture arch, INDArray x) {
        ComposedSupernet supernet = ComposedSupernet.restrictedTo(arch, ModuleCatalogue.standard(), DataType.DOUBLE,
                5);
        TrainableNetwork alone = new SpaceCompiler(supernet.space()).dataType(DataType.DOUBLE).build(arch, 9);
        Map<String, Parameter> weights = new HashMap<>();
        supernet.weights().parameters().forEach(p -> weights.put(p.name(), p));
        Map<String, String> ops = new HashMap<>();
        for (NetworkPlan.Step s : supernet.space().plan(arch).steps()) {
            if (s instanceof NetworkPlan.CellStep c) {
                for (int j = 0; j < c.edges().size(); j++) {
                    ops.put(SpaceCompiler.vertexName(c.name()) + ".edge" + j, c.edges().get(j).op());
                }
            }
        }
        int copied = 0;
        for (Parameter p : alone.parameters().parameters()) {
            String name = p.name();
            for (Map.Entry<String, String> e : ops.entrySet()) {
                if (name.startsWith(e.getKey() + ".") && !weights.containsKey(name)) {
                    name = e.getKey() + "~" + e.getValue() + name.substring(e.getKey().length());
                }
            }
            Parameter target = weights.get(name);
            assertTrue(target != null, "the supernet has no parameter " + name + "; it has " + weights.keySet());
            target.value().assign(p.value());
            copied++;
        }
        assertEquals(alone.parameters().parameters().size(), copied);
        for (Mode mode : new Mode[] {Mode.INFERENCE, Mode.TRAINING}) {
            INDArray expected = alone.forward(x, mode).dup();
            INDArray actual = supernet.forward(x, mode);
            double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
            assertTrue(diff < 1e-10, arch + " " + mode + ": " + diff);
        }
    }
}
