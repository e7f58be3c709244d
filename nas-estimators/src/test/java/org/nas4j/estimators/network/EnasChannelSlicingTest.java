package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ChannelRange;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.EnasOps;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.spaces.enas.EnasMacroSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link EnasChannelSupernet}'s branches compute their channel range alone, on slices of the weights
 * ({@link EnasRangeModules}); before, every branch computed the whole layer and a mask zeroed the channels outside
 * its range. This test keeps that earlier computation (the whole-layer supernet, {@link EnasMacroSpace#wholeLayers},
 * with a masking module) and checks that the sliced one gives the same outputs, the same gradients of every weight
 * and the same weights after SGD steps, in DOUBLE, over several paths.
 */
class EnasChannelSlicingTest {

    private static final Pattern MASK_NAME = Pattern.compile("^layer(\\d+)_b(\\d+)_range");

    @Test
    void slicedBranchesComputeWhatTheMaskedWholeLayersComputed() {
        // 3 layers of 6 filters on 1x8x8, keep 1.0 (no dropout draws to keep in step)
        ComposedSpace space = EnasMacroSpace.small().wholeChannels(false).layers(3).outFilters(6).input(1, 8)
                .keepProbability("1.0").build();
        ComposedSpace whole = EnasMacroSpace.wholeLayers(space);
        ChannelRange[][] current = new ChannelRange[3][6];
        ComposedSupernet masked = ComposedSupernet.compile(whole, PathPolicies.singlePath(1),
                ModuleCatalogue.standard().with(EnasOps.RANGE_MASK, (p, n, in, out, s) -> mask(n, current)),
                DataType.DOUBLE, 7);
        EnasChannelSupernet sliced = EnasChannelSupernet.compile(space, PathPolicies.singlePath(1),
                ModuleCatalogue.standard(), DataType.DOUBLE, 7);
        Map<String, Parameter> slicedWeights = new HashMap<>();
        sliced.weights().parameters().forEach(p -> slicedWeights.put(p.name(), p));
        assertEquals(masked.weights().size(), sliced.weights().size());
        for (Parameter p : masked.weights().parameters()) {
            assertTrue(Arrays.equals(p.shape(), slicedWeights.get(p.name()).shape()), p.name());
            // the same names in the same order: the same initial values; copied anyway, the test is the computation
            slicedWeights.get(p.name()).value().assign(p.value());
        }
        Sgd maskedSgd = Sgd.builder(masked.weights(), LearningRateSchedule.constant(0.1)).momentum(0.9).build();
        Sgd slicedSgd = Sgd.builder(sliced.weights(), LearningRateSchedule.constant(0.1)).momentum(0.9).build();
        SplittableRandom rng = new SplittableRandom(5);
        for (int step = 0; step < 4; step++) {
            Architecture a = space.sample(rng);
            int[] v = a.vector();
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 6; j++) {
                    current[i][j] = ChannelRange.parse("range", space.choices().get(i * 6 + j).options()
                            .get(v[i * 6 + j]));
                }
            }
            masked.usePath(masked.path(Architecture.of(whole, Arrays.copyOfRange(v, 18, v.length))));
            sliced.usePath(a);
            INDArray x = GradientCheck.random(10 + step, 4, 1, 8, 8);
            INDArray expected = masked.forward(x, Mode.TRAINING).dup();
            INDArray actual = sliced.forward(x, Mode.TRAINING).dup();
            assertClose(expected, actual, "logits, step " + step + ", " + a);
            if (step == 0) {
                // after one training pass both read the same running statistics of the ranges' channels
                assertClose(masked.forward(x, Mode.INFERENCE).dup(), sliced.forward(x, Mode.INFERENCE).dup(),
                        "inference logits after one training pass");
                masked.forward(x, Mode.TRAINING);
                sliced.forward(x, Mode.TRAINING);
            }
            INDArray g = GradientCheck.random(20 + step, 4, 10);
            masked.backward(g);
            sliced.backward(g);
            for (Parameter p : masked.weights().parameters()) {
                Parameter q = slicedWeights.get(p.name());
                assertEquals(p.hasGradient(), q.hasGradient(), p.name());
                if (p.hasGradient()) {
                    assertClose(p.gradient(), q.gradient(), "gradient of " + p.name() + ", step " + step);
                }
            }
            maskedSgd.step();
            slicedSgd.step();
        }
        for (Parameter p : masked.weights().parameters()) {
            assertClose(p.value(), slicedWeights.get(p.name()).value(), "weight " + p.name() + " after 4 steps");
        }
    }

    /**
     * DOUBLE: the two sum the same products in other orders (the masked 1x1 convolutions add exact zeros; oneDNN
     * blocks the channels by other counts), about 1e-16 relative per operation over a few hundred operations,
     * scaled by the values' size; a wrong slice or row moves them by O(0.01) or more.
     */
    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = 1 + Transforms.abs(expected).maxNumber().doubleValue();
        double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
        assertTrue(diff <= 1e-10 * scale, what + ": max difference " + diff + " at scale " + scale);
    }

    /** The earlier computation's mask: zeroes the channels outside the branch's range, forward and backward. */
    private static Module mask(String name, ChannelRange[][] ranges) {
        Matcher m = MASK_NAME.matcher(name);
        assertTrue(m.find(), name);
        int layer = Integer.parseInt(m.group(1));
        int branch = Integer.parseInt(m.group(2));
        return new Module() {
            @Override
            public INDArray forward(INDArray x, Mode mode) {
                return masked(x);
            }

            @Override
            public INDArray backward(INDArray g) {
                return masked(g);
            }

            private INDArray masked(INDArray x) {
                ChannelRange r = ranges[layer][branch];
                INDArray y = x.dup();
                long channels = x.size(1);
                if (r.start() > 0) {
                    y.get(NDArrayIndex.all(), NDArrayIndex.interval(0, r.start()), NDArrayIndex.all(),
                            NDArrayIndex.all()).assign(0);
                }
                if (r.end() < channels) {
                    y.get(NDArrayIndex.all(), NDArrayIndex.interval(r.end(), channels), NDArrayIndex.all(),
                            NDArrayIndex.all()).assign(0);
                }
                return y;
            }

            @Override
            public String export(GraphSink sink, String input) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
