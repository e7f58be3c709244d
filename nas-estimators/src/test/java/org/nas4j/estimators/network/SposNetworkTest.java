package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.core.space.builder.ShuffleOps;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.spaces.mobile.PublishedNetwork;
import org.nas4j.spaces.mobile.SposNets;
import org.nas4j.spaces.mobile.SposSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SPOS' ShuffleNetV2 networks compile through {@link SpaceCompiler} to the space's parameter counts (the searched
 * network's 3,432,579 included), train with falling loss, have exact gradients, run in the supernet, and refuse
 * blocks that cannot be built.
 */
class SposNetworkTest {

    @Test
    void theSearchedNetworkBuildsWithTheReferencesParameterCount() {
        PublishedNetwork imagenet = SposNets.searched(1000, 224);
        TrainableNetwork net = new SpaceCompiler(imagenet.space()).build(imagenet.architecture(), 1);
        assertEquals(3_432_579, net.parameterCount());
        PublishedNetwork cifar = SposNets.searched(10, 32);
        assertEquals(2_418_819, new SpaceCompiler(cifar.space()).build(cifar.architecture(), 1).parameterCount());
    }

    @Test
    void smallNetworksOfEveryBlockAndScaleHaveTheirFormulasSizeAndTrain() {
        ComposedSpace mnist = SposSpace.small().build();
        ComposedSpace cifar = SposSpace.small().input(3, 32).build();
        List<List<Integer>> blocks = List.of(List.of(0, 1, 2, 3, 0, 1), List.of(3, 2, 1, 0, 3, 2),
                List.of(1, 3, 0, 2, 2, 3));
        List<List<String>> scales = List.of(List.of("0.2", "0.4", "0.6", "0.8", "1.0", "1.2"),
                List.of("1.4", "1.6", "0.2", "1.0", "0.6", "1.6"), List.of("1.0", "1.0", "1.0", "1.0", "1.0", "1.0"));
        for (int i = 0; i < blocks.size(); i++) {
            ComposedSpace space = i == 1 ? cifar : mnist;
            int size = i == 1 ? 32 : 28;
            int channels = i == 1 ? 3 : 1;
            Architecture a = SposSpace.architecture(space, blocks.get(i), scales.get(i));
            TrainableNetwork net = NetworkCompiler.compile(a, i);
            assertEquals(space.parameters(a), net.parameterCount(), a.toString());
            INDArray x = GradientCheck.random(5 + i, 8, channels, size, size).castTo(DataType.FLOAT);
            AdamSteps.assertLossFalls(net, x, new int[] {1, 3, 5, 7, 9, 0, 2, 4}, 6, a.toString());
        }
    }

    /** Stem 4, a stride-2 layer to 8 and a stride-1 layer at 8, the head without bias; 1x8x8, 3 classes. */
    static ComposedSpace tiny() {
        List<String> ops = List.of(ShuffleOps.shuffleName(3, "{s1}"), ShuffleOps.shuffleName(5, "{s1}"),
                ShuffleOps.shuffleName(7, "{s1}"), ShuffleOps.xceptionName("{s1}"));
        List<String> ops2 = ops.stream().map(o -> o.replace("{s1}", "{s2}")).toList();
        return SpaceBuilder.create("tiny-spos").catalogue(ShuffleOps.catalogue()).input(1, 8, 8).classes(3)
                .value("s1", "0.6", "1.0", "1.6").value("s2", "0.6", "1.0", "1.6")
                .layer("first_conv", "conv_bn_relu_3x3", Width.of(4), 1)
                .choice("layer1", ops, Width.of(8), 2)
                .choice("layer2", ops2, Width.of(8), 1)
                .head("pool_linear_no_bias").build();
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        ComposedSpace space = tiny();
        for (String text : List.of("s1=1.0; s2=1.6; layer1=shuffle_3x3_c{s1}; layer2=shuffle_xception_c{s2}",
                "s1=1.6; s2=0.6; layer1=shuffle_xception_c{s1}; layer2=shuffle_7x7_c{s2}")) {
            Architecture a = space.parse(text);
            TrainableNetwork net = new SpaceCompiler(space).dataType(DataType.DOUBLE).build(a, 3);
            assertEquals(space.parameters(a), net.parameterCount(), text);
            GradientCheck.check(in -> net.forward(in, Mode.TRAINING), net.body()::backward, net.parameters(),
                    GradientCheck.random(2, 2, 1, 8, 8), 3);
        }
    }

    @Test
    void theSupernetRunsSampledPathsAndRestrictsToTheStandAloneNetwork() {
        ComposedSpace space = tiny();
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.singlePath(4),
                ModuleCatalogue.standard(), DataType.FLOAT, 2);
        // each layer's candidates: its four blocks crossed with the three scales of its value
        assertArrayEquals(new int[] {12, 12}, supernet.edgeSizes());
        for (int pass = 0; pass < 3; pass++) {
            INDArray y = supernet.forward(GradientCheck.random(4 + pass, 2, 1, 8, 8).castTo(DataType.FLOAT),
                    Mode.TRAINING);
            assertArrayEquals(new long[] {2, 3}, y.shape());
            supernet.backward(y.dup());
        }
        INDArray x = GradientCheck.random(6, 2, 1, 8, 8);
        assertRestrictedSupernetIsTheNetwork(space.parse(
                "s1=0.6; s2=1.6; layer1=shuffle_5x5_c{s1}; layer2=shuffle_xception_c{s2}"), x);
        assertRestrictedSupernetIsTheNetwork(space.parse(
                "s1=1.0; s2=1.0; layer1=shuffle_xception_c{s1}; layer2=shuffle_3x3_c{s2}"), x);
    }

    /**
     * The supernet restricted to {@code arch}, with the stand-alone network's weights copied into the chosen
     * candidates (a parameter {@code layer1.main.pw.weight} of the network is {@code layer1~<op>.main.pw.weight} in the
     * supernet; op names hold dots, {@code shuffle_5x5_c0.6}), computes the network, in training and inference.
     */
    static void assertRestrictedSupernetIsTheNetwork(Architecture arch, INDArray x) {
        ComposedSupernet supernet = ComposedSupernet.restrictedTo(arch, ModuleCatalogue.standard(), DataType.DOUBLE,
                5);
        TrainableNetwork alone = new SpaceCompiler(supernet.space()).dataType(DataType.DOUBLE).build(arch, 9);
        java.util.Map<String, org.nas4j.estimators.engine.Parameter> weights = new java.util.HashMap<>();
        supernet.weights().parameters().forEach(p -> weights.put(p.name(), p));
        java.util.Map<String, String> ops = new java.util.HashMap<>();
        for (NetworkPlan.Step s : supernet.space().plan(arch).steps()) {
            if (s instanceof NetworkPlan.LayerStep l && arch.space().choices().stream()
                    .anyMatch(c -> c.name().equals(l.name()))) {
                ops.put(SpaceCompiler.vertexName(l.name()), l.op());
            }
        }
        for (org.nas4j.estimators.engine.Parameter p : alone.parameters().parameters()) {
            String name = p.name();
            String step = name.substring(0, name.indexOf('.'));
            if (ops.containsKey(step)) {
                name = step + "~" + ops.get(step) + name.substring(step.length());
            }
            org.nas4j.estimators.engine.Parameter target = weights.get(name);
            if (target == null) {
                // a narrower width of a block: the leading block of the widest's (scale 1.6) weights
                target = weights.get(name.replaceFirst("_c[0-9.]+?\\.(?=[a-z])", "_c1.6."));
            }
            assertTrue(target != null, "the supernet has no parameter " + name);
            slice(target.value(), p.shape()).assign(p.value());
        }
        for (Mode mode : new Mode[] {Mode.INFERENCE, Mode.TRAINING}) {
            INDArray expected = alone.forward(x, mode).dup();
            INDArray actual = supernet.forward(x, mode);
            double diff = org.nd4j.linalg.ops.transforms.Transforms.abs(expected.sub(actual)).maxNumber()
                    .doubleValue();
            assertTrue(diff < 1e-10, arch + " " + mode + ": " + diff);
        }
    }

    private static INDArray slice(INDArray wide, long[] shape) {
        org.nd4j.linalg.indexing.INDArrayIndex[] index = new org.nd4j.linalg.indexing.INDArrayIndex[shape.length];
        for (int a = 0; a < shape.length; a++) {
            index[a] = org.nd4j.linalg.indexing.NDArrayIndex.interval(0, shape[a]);
        }
        return wide.get(index);
    }

    @Test
    void theSupernetTrainsEachBlockOnceAtItsWidestScale() {
        ComposedSpace space = tiny();
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.singlePath(4),
                ModuleCatalogue.standard(), DataType.FLOAT, 2);
        // SPOS' channel search: per layer, the four blocks at scale 1.6; the narrower scales are slices of them
        long expected = space.catalogue().spec("conv_bn_relu_3x3").parameters(1, 4, 1)
                + space.catalogue().spec("pool_linear_no_bias").parameters(8, 3, 1);
        for (String block : List.of(ShuffleOps.shuffleName(3, "1.6"), ShuffleOps.shuffleName(5, "1.6"),
                ShuffleOps.shuffleName(7, "1.6"), ShuffleOps.xceptionName("1.6"))) {
            expected += space.catalogue().spec(block).parameters(4, 8, 2)
                    + space.catalogue().spec(block).parameters(8, 8, 1);
        }
        assertEquals(expected, supernet.weights().size());
        assertTrue(supernet.weights().parameters().stream().noneMatch(p -> p.name().contains("_c0.6")));
    }

    @Test
    void slicedWidthsHaveTheGradientsOfTheirSharedWeights() {
        // every candidate runs (a weighted sum), so each widest weight sums the gradients of its two widths
        ComposedSpace space = SpaceBuilder.create("sliced").catalogue(ShuffleOps.catalogue()).input(1, 6, 6)
                .classes(3).value("s", "0.6", "1.6").layer("first_conv", "conv_bn_relu_3x3", Width.of(8), 1)
                .choice("layer1", List.of(ShuffleOps.shuffleName(5, "{s}"), ShuffleOps.xceptionName("{s}")),
                        Width.of(8), 1)
                .head("pool_linear_no_bias").build();
        ComposedSupernet mixed = ComposedSupernet.compile(space, PathPolicies.mixed(), ModuleCatalogue.standard(),
                DataType.DOUBLE, 2);
        assertArrayEquals(new int[] {4}, mixed.edgeSizes());
        GradientCheck.check(in -> mixed.forward(in, Mode.TRAINING), mixed::backward, mixed.weights(),
                GradientCheck.random(8, 2, 1, 6, 6), 3);
    }

    @Test
    void blocksThatCannotBeBuiltAreNamed() {
        ParameterSet p = new ParameterSet(DataType.FLOAT, 1);
        ModuleCatalogue m = ModuleCatalogue.standard();
        assertEquals("shuffle block 'b' at stride 1 splits its input in halves and keeps the width, so it needs an"
                + " even input width equal to its output width, but maps 8 to 16 channels", assertThrows(
                        IllegalArgumentException.class, () -> m.create(p, "b", "shuffle_3x3_c1.0", 8, 16, 1))
                .getMessage());
        assertEquals("shuffle block 'b' at stride 2 needs more output than input channels, but maps 16 to 16",
                assertThrows(IllegalArgumentException.class,
                        () -> m.create(p, "b", "shuffle_xception_c1.0", 16, 16, 2)).getMessage());
        assertEquals("shuffle block 'b' hidden width (int) ((out / 2) * scale) = (int) ((4 / 2) * 0.2) must be >= 1,"
                + " but was 0", assertThrows(IllegalArgumentException.class,
                        () -> m.create(p, "b", "shuffle_5x5_c0.2", 4, 4, 1)).getMessage());
        Module block = m.create(p, "b", "shuffle_7x7_c1.0", 8, 8, 1);
        p.seal();
        assertEquals("input of channel split 'b' must be [B, 8, H, W], but was [1, 6, 4, 4]", assertThrows(
                IllegalArgumentException.class, () -> block.forward(
                        org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 1, 6, 4, 4), Mode.TRAINING)).getMessage());
    }
}
