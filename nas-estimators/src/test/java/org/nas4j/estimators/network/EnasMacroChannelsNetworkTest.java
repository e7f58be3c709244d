package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ChannelRange;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.spaces.enas.EnasMacroSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ENAS' macro space with whole_channels=False: stand-alone networks (search and fixed child) have their hand-counted
 * parameters, exact gradients and train; the supernet holds the reference search child's weights and, on a path,
 * computes the stand-alone network whose weights are the slices of the path's ranges.
 */
class EnasMacroChannelsNetworkTest {

    /** The arc of nas-spaces' EnasMacroChannelsTest (per layer six start-count pairs, then the skip flags). */
    static final String TINY_ARC = "0 3 1 2 2 2 3 1 0 1 1 3" + " 2 2 2 2 2 2 2 2 2 2 2 2 1"
            + " 0 3 0 3 0 3 0 3 0 3 0 3 0 1";
    /** Other ranges and skips: ranges at the top and at the bottom of the layer, both skips of layer 2. */
    static final String OTHER_ARC = "3 1 0 1 1 3 0 3 2 2 1 1" + " 0 1 3 1 1 2 0 2 2 1 1 3 0"
            + " 1 1 2 2 0 3 3 1 0 2 1 2 1 1";

    static ComposedSpace tiny(boolean fixed, String keep, int classes) {
        return EnasMacroSpace.small().wholeChannels(false).fixedChild(fixed).layers(3).outFilters(4).input(1, 8)
                .classes(classes).keepProbability(keep).build();
    }

    @Test
    void networksHaveTheHandCountedParameters() {
        // derived in nas-spaces' EnasMacroChannelsTest from general_child.py's shapes
        ComposedSpace search = tiny(false, "0.9", 10);
        assertEquals(2_288, new SpaceCompiler(search).build(EnasMacroSpace.fromReference(search, TINY_ARC), 1)
                .parameterCount());
        ComposedSpace fixed = tiny(true, "0.9", 10);
        assertEquals(7_328, new SpaceCompiler(fixed).build(EnasMacroSpace.fromReference(fixed, TINY_ARC), 1)
                .parameterCount());
    }

    @Test
    void gradientsOfEveryBranchOnItsRangeMatchFiniteDifferences() {
        for (boolean fixed : new boolean[] {false, true}) {
            ComposedSpace space = tiny(fixed, "1.0", 3);
            for (String arc : new String[] {TINY_ARC, OTHER_ARC}) {
                Architecture a = EnasMacroSpace.fromReference(space, arc);
                TrainableNetwork net = new SpaceCompiler(space).dataType(DataType.DOUBLE).build(a, 3);
                assertEquals(space.parameters(a), net.parameterCount(), arc);
                GradientCheck.check(in -> net.forward(in, Mode.TRAINING), net.body()::backward, net.parameters(),
                        GradientCheck.random(2, 2, 1, 8, 8), 3);
            }
        }
    }

    @Test
    void sampledNetworksOfTheSmallSpaceTrainOnFashionMnist() {
        ImageDataset train = FashionMnist.bundled().train().head(32);
        INDArray x = Nd4j.create(DataType.FLOAT, 32, 1, 28, 28);
        int[] labels = new int[32];
        float[] sample = new float[28 * 28];
        for (int i = 0; i < 32; i++) {
            train.copySample(i, sample, 0);
            x.get(NDArrayIndex.point(i)).assign(Nd4j.create(sample, 1, 28, 28));
            labels[i] = train.label(i);
        }
        SplittableRandom rng = new SplittableRandom(5);
        for (boolean fixed : new boolean[] {false, true}) {
            ComposedSpace space = EnasMacroSpace.small().wholeChannels(false).fixedChild(fixed).build();
            Architecture a = space.sample(rng);
            TrainableNetwork net = NetworkCompiler.compile(a, 1);
            assertEquals(space.parameters(a), net.parameterCount(), a.toString());
            AdamSteps.assertLossFalls(net, x, labels, 5, a.toString());
        }
    }

    /**
     * The reference search child with whole_channels=False holds every branch on the whole layer and final_conv,
     * at cifar10_macro_search.sh's 12 layers and 36 filters (C = 36):
     * <ul>
     *   <li>the six branches, as with whole_channels (EnasMacroNetworkTest): 42 C^2 + 54 C = 56,376 per layer;</li>
     *   <li>final_conv, a [6C, C] weight and its BN: 6 C^2 + 2C = 7,848 per layer;</li>
     *   <li>the BN after the skip sum of layers 1..11, 11 x 2C = 792; 14 reductions 14 x (C^2 + 2C) = 19,152; stem
     *       1,044; fc 360.</li>
     * </ul>
     * Total 12 x 64,224 + 792 + 19,152 + 1,044 + 360 = 792,036.
     */
    @Test
    void theSupernetHoldsTheReferenceSearchChildsWeights() {
        ComposedSpace space = EnasMacroSpace.channels();
        EnasChannelSupernet supernet = EnasChannelSupernet.compile(space, PathPolicies.singlePath(3),
                ModuleCatalogue.standard(), DataType.FLOAT, 1);
        assertEquals(792_036, supernet.weights().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComposedSupernet.compile(
                space, PathPolicies.singlePath(3), ModuleCatalogue.standard(), DataType.FLOAT, 1));
        assertTrue(e.getMessage().startsWith("choice 'layer0.range0' of space 'enas-macro-channels' is a channel"
                + " range"), e.getMessage());
    }

    @Test
    void aPathIsTheStandAloneNetworkOnTheSlicesOfItsRanges() {
        ComposedSpace space = tiny(false, "1.0", 3);
        INDArray x = GradientCheck.random(6, 2, 1, 8, 8);
        Architecture sampled = space.sample(new SplittableRandom(11));
        for (Architecture a : new Architecture[] {EnasMacroSpace.fromReference(space, TINY_ARC),
                EnasMacroSpace.fromReference(space, OTHER_ARC), sampled}) {
            EnasChannelSupernet supernet = EnasChannelSupernet.compile(space, PathPolicies.singlePath(4),
                    ModuleCatalogue.standard(), DataType.DOUBLE, 5);
            supernet.usePath(a);
            TrainableNetwork alone = new SpaceCompiler(space).dataType(DataType.DOUBLE).build(a, 9);
            copySlices(alone, supernet);
            for (Mode mode : new Mode[] {Mode.INFERENCE, Mode.TRAINING}) {
                INDArray expected = alone.forward(x, mode).dup();
                INDArray actual = supernet.forward(x, mode);
                // DOUBLE: the two compute the same sums in another order (a masked channel adds exact zeros), so
                // they differ by roundings, about 1e-16 relative per operation over a few hundred operations; a
                // wrong slice or a channel not masked moves the logits by O(0.1)
                double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
                assertTrue(diff < 1e-10, a + " " + mode + ": " + diff);
            }
        }
    }

    @Test
    void aPathsGradientsMatchFiniteDifferencesAndLeaveTheOtherChannelsAlone() {
        ComposedSpace space = tiny(false, "1.0", 3);
        EnasChannelSupernet supernet = EnasChannelSupernet.compile(space, PathPolicies.singlePath(4),
                ModuleCatalogue.standard(), DataType.DOUBLE, 5);
        Architecture a = EnasMacroSpace.fromReference(space, OTHER_ARC);
        supernet.usePath(a);
        GradientCheck.check(in -> supernet.forward(in, Mode.TRAINING), supernet::backward, supernet.weights(),
                GradientCheck.random(2, 2, 1, 8, 8), 3);
        // layer 0's 3x3 branch runs on channel 3 only: the other rows of out_conv get no gradient
        supernet.forward(GradientCheck.random(3, 2, 1, 8, 8), Mode.TRAINING);
        supernet.backward(GradientCheck.random(4, 2, 3));
        Parameter outConv = supernet.weights().parameters().stream()
                .filter(p -> p.name().startsWith("layer0_b0.") && p.name().endsWith(".conv.weight")).findFirst()
                .orElseThrow(() -> new AssertionError(names(supernet)));
        // out_conv's weight is [out, in, 3, 3]: rows 0..2 are outside the range (3, 1)
        double[] g = outConv.gradient().dup('c').data().asDouble();
        int row = g.length / 4;
        for (int i = 0; i < 3 * row; i++) {
            assertEquals(0, g[i], "gradient element " + i);
        }
        assertTrue(java.util.Arrays.stream(g, 3 * row, g.length).anyMatch(v -> v != 0));
    }

    private static String names(EnasChannelSupernet supernet) {
        return supernet.weights().parameters().stream().map(p -> p.name() + java.util.Arrays.toString(p.shape()))
                .toList().toString();
    }

    private static final Pattern BRANCH = Pattern.compile("^layer(\\d+)_b(\\d+)\\.");
    private static final Pattern FINAL_CONV = Pattern.compile("^layer(\\d+)(?:_conv)?\\.edge(\\d+)\\.");

    /**
     * Copies the stand-alone network's weights into the supernet: a weight of the same shape as is; a branch's
     * weight of fewer output channels into rows {@code [start, start + count)} of the branch's; a block of
     * final_conv of fewer input channels into those columns of the block.
     */
    private static void copySlices(TrainableNetwork alone, EnasChannelSupernet supernet) {
        Map<String, Parameter> weights = new HashMap<>();
        supernet.weights().parameters().forEach(p -> weights.put(p.name(), p));
        for (Parameter p : alone.parameters().parameters()) {
            Parameter target = weights.get(p.name());
            assertTrue(target != null, "the supernet has no parameter " + p.name() + "; it has " + names(supernet));
            long[] narrow = p.shape();
            long[] wide = target.shape();
            int axis = -1;
            for (int k = 0; k < narrow.length; k++) {
                if (narrow[k] != wide[k]) {
                    assertEquals(-1, axis, p.name());
                    axis = k;
                }
            }
            if (axis < 0) {
                target.value().assign(p.value());
                continue;
            }
            Matcher branch = BRANCH.matcher(p.name());
            Matcher conv = FINAL_CONV.matcher(p.name());
            ChannelRange r;
            if (branch.find()) {
                r = supernet.range(Integer.parseInt(branch.group(1)), Integer.parseInt(branch.group(2)));
            } else {
                assertTrue(conv.find(), p.name());
                r = supernet.range(Integer.parseInt(conv.group(1)), Integer.parseInt(conv.group(2)));
            }
            assertEquals(r.count(), narrow[axis], p.name());
            // element by element (C order), the slice along the axis shifted by the range's start
            double[] source = p.value().dup('c').data().asDouble();
            long[] at = new long[narrow.length];
            for (int f = 0; f < source.length; f++) {
                long rest = f;
                for (int k = narrow.length - 1; k >= 0; k--) {
                    at[k] = rest % narrow[k];
                    rest /= narrow[k];
                }
                long[] to = at.clone();
                to[axis] += r.start();
                target.value().putScalar(to, source[f]);
            }
        }
    }
}
