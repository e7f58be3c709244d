package org.nas4j.estimators.network;

import java.util.function.Supplier;
import org.nas4j.core.space.builder.ChannelRange;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.BatchNorm;
import org.nas4j.estimators.engine.ops.Conv2d;
import org.nas4j.estimators.engine.ops.Identity;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The modules of {@link EnasChannelSupernet}: ENAS' macro branches with {@code whole_channels=False} computing only
 * their channel range, on the slices of the whole layer's weights, as the reference does (melodyguan/enas,
 * {@code general_child.py}, {@code _conv_branch} and {@code _pool_branch} with {@code start_idx} and {@code count};
 * {@code image_ops.batch_norm_with_mask}). Each holds the weights of the whole-layer branch, under the same names and
 * in the same order as {@link EnasModules} declares them, and reads its range at each forward pass:
 * <ul>
 *   <li>a convolution branch: {@code inp_conv_1} (1x1 {@code in -> C}), BN and ReLU on the whole layer; the rows
 *       {@code [start, start + count)} of {@code out_conv} (separable: the whole depthwise, then those rows of the
 *       pointwise), the BN of those channels, ReLU: {@code count} channels;</li>
 *   <li>a pooling branch: the rows of {@code conv_1} (pooling and BN act per channel, so only those reach the
 *       output), their BN, ReLU, 3x3 pooling: {@code count} channels;</li>
 *   <li>a block of {@code final_conv}: ReLU, then the 1x1 convolution of the block's columns
 *       {@code [start, start + count)}, back to {@code C} channels;</li>
 *   <li>the range mask, which the whole-layer computation needed: the identity.</li>
 * </ul>
 * The weights outside a range get a gradient of 0. A branch computes its range rounded up to a quarter of the layer
 * ({@link #computed}), whose extra channels nothing reads; their BN running statistics are updated too (the
 * reference's {@code batch_norm_with_mask} updates the range's only; no output reads them).
 */
final class EnasRangeModules {

    private EnasRangeModules() {
    }

    /**
     * Branch {@code branch} ({@code org.nas4j.core.space.builder.EnasOps#BRANCHES} order: conv 3x3, separable 3x3,
     * conv 5x5, separable 5x5, average pool, max pool) of {@code channels} output channels on inputs of {@code in}.
     */
    static Module branch(ParameterSet p, String n, int in, int channels, int branch, Supplier<ChannelRange> range) {
        if (branch >= 4) {
            Conv2d conv = conv(p, n + ".inp_conv", in, channels, 1, 0);
            BatchNorm bn = EnasModules.bnLayer(p, n + ".inp_bn", channels);
            Module pooling = branch == 4 ? Modules.averagePool(n + ".avgpool", 3, 1, 1, false)
                    : Modules.maxPool(n + ".maxpool", 3, 1, 1);
            return new Ranged(Modules.sequence(of(conv), of(bn), Modules.relu(n + ".inp_relu"), pooling), () -> {
                int[] w = computed(range.get(), channels);
                conv.window(w[0], w[1], 0, in);
                bn.window(w[0], w[1]);
            });
        }
        int k = branch < 2 ? 3 : 5;
        boolean separable = branch % 2 == 1;
        // the declaration order of EnasModules.conv: the body, then inp_conv and its BN, then out_bn
        Conv2d depthwise = separable ? Conv2d.builder(p, n + ".depthwise", channels, channels, k).padding(k / 2)
                .groups(channels).build() : null;
        Conv2d out = separable ? conv(p, n + ".pointwise", channels, channels, 1, 0)
                : conv(p, n + ".conv", channels, channels, k, k / 2);
        Conv2d inputConv = conv(p, n + ".inp_conv", in, channels, 1, 0);
        BatchNorm inputBn = EnasModules.bnLayer(p, n + ".inp_bn", channels);
        BatchNorm outBn = EnasModules.bnLayer(p, n + ".out_bn", channels);
        Module body = separable ? Modules.sequence(of(depthwise), of(out)) : of(out);
        return new Ranged(Modules.sequence(of(inputConv), of(inputBn), Modules.relu(n + ".inp_relu"), body,
                of(outBn), Modules.relu(n + ".out_relu")), () -> {
                    int[] w = computed(range.get(), channels);
                    out.window(w[0], w[1], 0, channels);
                    outBn.window(w[0], w[1]);
                });
    }

    /** A block of {@code final_conv}: ReLU, 1x1 convolution {@code in -> out} of the range's input channels. */
    static Module projection(ParameterSet p, String n, int in, int out, Supplier<ChannelRange> range) {
        Conv2d conv = conv(p, n + ".conv", in, out, 1, 0);
        return new Ranged(Modules.sequence(Modules.relu(n + ".relu"), of(conv)), () -> {
            ChannelRange r = range.get();
            int[] w = computed(r, in);
            conv.window(0, out, w[0], w[1], r.start(), r.count());
        });
    }

    /**
     * The channels a branch computes for range {@code r} of {@code channels}: {@code r}'s count rounded up to a
     * multiple of {@code ceil(channels / 4)} (at most {@code channels}), placed to contain {@code r}. The extra
     * channels are computed and then read by nothing (the block of {@code final_conv} reads the range's columns
     * alone), so they get no gradient; what this buys is four activation shapes per layer instead of one per count:
     * a buffer keeps an array per shape, and with 35 of them the layers keep allocating arrays for shapes not seen
     * yet over many steps, all kept in the supernet's pool.
     */
    static int[] computed(ChannelRange r, int channels) {
        int quarter = (channels + 3) / 4;
        int count = Math.min(channels, (r.count() + quarter - 1) / quarter * quarter);
        int start = Math.min(r.start(), channels - count);
        return new int[] {start, count};
    }

    /** The range mask of the whole-layer computation: the branches now give the range's channels alone. */
    static Module mask() {
        return of(new Identity());
    }

    private static Conv2d conv(ParameterSet p, String name, int in, int out, int k, int padding) {
        return Conv2d.builder(p, name, in, out, k).padding(padding).build();
    }

    private static Module of(Layer layer) {
        return new DelegatingModule(layer) {
            @Override
            public String export(GraphSink sink, String input) {
                throw notExported();
            }
        };
    }

    /**
     * Sets its layers' windows to the current range before each forward pass, and first hands the arrays of the
     * last pass to the pool: a window's shape changes from pass to pass, and a buffer keeps an array per shape.
     */
    private static final class Ranged extends DelegatingModule {
        private final Module body;
        private final Runnable setWindows;
        private ArrayPool pool;

        Ranged(Module body, Runnable setWindows) {
            super(body);
            this.body = body;
            this.setWindows = setWindows;
        }

        @Override
        public INDArray forward(INDArray input, Mode mode) {
            if (pool != null) {
                body.releaseBuffers(pool);
            }
            setWindows.run();
            return body.forward(input, mode);
        }

        @Override
        public void releaseBuffers(ArrayPool pool) {
            this.pool = pool;
            body.releaseBuffers(pool);
        }

        @Override
        public void releaseGradientBuffers(ArrayPool pool) {
            this.pool = pool;
            body.releaseGradientBuffers(pool);
        }

        @Override
        public void releaseOutput(ArrayPool pool) {
            this.pool = pool;
            body.releaseOutput(pool);
        }

        @Override
        public String export(GraphSink sink, String input) {
            throw notExported();
        }
    }

    private static UnsupportedOperationException notExported() {
        return new UnsupportedOperationException("a supernet is not exported: compile an architecture with"
                + " SpaceCompiler");
    }
}
