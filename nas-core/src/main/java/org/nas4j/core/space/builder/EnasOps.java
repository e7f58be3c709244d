package org.nas4j.core.space.builder;

import java.util.List;
import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.OpSpecs;
import org.nas4j.core.space.Shape;

/**
 * Cost formulas of the ops of ENAS' macro search space, counted as the reference child network builds them
 * (melodyguan/enas, {@code src/cifar10/general_child.py}, the shared-weight child of the macro search,
 * {@code _enas_layer} with {@code whole_channels}: every convolution without bias, every batch norm with an offset
 * and a scale, so 2 parameters per channel; multiply-adds are the convolutions' and the classifier's). Every branch
 * first maps its input to the layer's width with a 1x1 convolution, BN and ReLU ({@code inp_conv_1} /
 * {@code conv_1}). See {@code docs/spaces/enas.md} for the line regions.
 *
 * <table>
 *   <caption>ENAS macro ops</caption>
 *   <tr><th>name</th><th>reference branch</th><th>computation</th></tr>
 *   <tr><td>enas_conv_3x3, enas_conv_5x5</td><td>branch 0, 2 ({@code _conv_branch})</td><td>1x1 conv, BN, ReLU;
 *       k x k conv, BN, ReLU</td></tr>
 *   <tr><td>enas_sep_conv_3x3, enas_sep_conv_5x5</td><td>branch 1, 3 ({@code separable=True})</td><td>1x1 conv, BN,
 *       ReLU; depthwise k x k (multiplier 1) then pointwise 1x1 ({@code tf.nn.separable_conv2d}), BN, ReLU</td></tr>
 *   <tr><td>enas_avg_pool_3x3, enas_max_pool_3x3</td><td>branch 4, 5 ({@code _pool_branch})</td><td>1x1 conv, BN,
 *       ReLU; 3x3 pooling, stride 1, 'SAME' (average over the valid pixels); nothing after it</td></tr>
 *   <tr><td>enas_factorized_reduce</td><td>{@code _factorized_reduction}, stride 2</td><td>two 1x1 convs to
 *       {@code out/2} on the input sampled at stride 2 and on the input shifted by one pixel, concatenated, BN; no
 *       ReLU. Even height and width only</td></tr>
 *   <tr><td>batch_norm</td><td>the BN after a layer's skip sum</td><td>BN (keeps the channels)</td></tr>
 *   <tr><td>enas_fixed_conv_3x3, enas_fixed_sep_conv_3x3, enas_fixed_conv_5x5, enas_fixed_sep_conv_5x5</td><td>the
 *       fixed-arc child's op ids 0 to 3 ({@code _fixed_layer})</td><td>ReLU, 1x1 conv, BN, ReLU, k x k conv, BN;
 *       the "sep" ids are plain convolutions there</td></tr>
 *   <tr><td>enas_relu_conv_1x1</td><td>one block of the fixed child's skip projection</td><td>ReLU, 1x1 conv</td></tr>
 *   <tr><td>enas_head_keep1.0, enas_head_keep0.9, enas_head_keep0.5</td><td>{@code _model}'s end</td><td>global
 *       average pooling, dropout keeping 1.0 ({@code GeneralChild}'s default {@code keep_prob}), 0.9 (the search
 *       script's {@code --child_keep_prob}) or 0.5 (the final script's), linear without bias</td></tr>
 * </table>
 */
public final class EnasOps {

    /**
     * The six branches in the reference's order ({@code branch_0} .. {@code branch_5} of {@code _enas_layer}), so
     * that option {@code i} of a layer's op choice is the reference's op id {@code i}.
     */
    public static final List<String> BRANCHES = List.of("enas_conv_3x3", "enas_sep_conv_3x3", "enas_conv_5x5",
            "enas_sep_conv_5x5", "enas_avg_pool_3x3", "enas_max_pool_3x3");

    /**
     * The branches of the reference's fixed-arc child ({@code _fixed_layer} with {@code whole_channels}), by op id
     * 0 to 3. The reference builds ids 1 and 3 as plain 3x3 and 5x5 convolutions ({@code size = [3, 3, 5, 5]}), so
     * {@code enas_fixed_sep_conv_3x3} and {@code enas_fixed_sep_conv_5x5} compute what their plain namesakes do;
     * ids 4 and 5 (pooling) are not built by it.
     */
    public static final List<String> FIXED_BRANCHES = List.of("enas_fixed_conv_3x3", "enas_fixed_sep_conv_3x3",
            "enas_fixed_conv_5x5", "enas_fixed_sep_conv_5x5");
    /**
     * The branches of a layer with {@code whole_channels=False}, in the reference's order, each computing only its
     * channel range ({@code _conv_branch} / {@code _pool_branch} with {@code start_idx} and {@code count}): the op's
     * output is the range's {@code count} channels and its inner width is its input's (in the search child every
     * state has {@code out_filters} channels; in the fixed child the states have the current width).
     */
    public static final List<String> RANGE_BRANCHES = List.of("enas_range_conv_3x3", "enas_range_sep_conv_3x3",
            "enas_range_conv_5x5", "enas_range_sep_conv_5x5", "enas_range_avg_pool_3x3", "enas_range_max_pool_3x3");
    /**
     * Zeroes every channel outside a branch's range, no parameters: what a weight-sharing supernet of a
     * {@code whole_channels=False} space puts after each whole-layer branch (the range is the architecture's, so only
     * a supernet that knows it builds this op's module).
     */
    public static final String RANGE_MASK = "enas_range_mask";
    /** BN then ReLU: the end of the search child's {@code final_conv} with {@code whole_channels=False}. */
    public static final String BN_RELU = "enas_bn_relu";

    /** ReLU then a 1x1 convolution without BN: one input's block of the fixed child's skip projection. */
    public static final String RELU_CONV_1X1 = "enas_relu_conv_1x1";

    /** The factorized reduction at the pooling layers. */
    public static final String FACTORIZED_REDUCE = "enas_factorized_reduce";
    /** Batch norm as an op (after a layer's skip sum). */
    public static final String BATCH_NORM = "batch_norm";
    /** The keep probabilities of the heads: GeneralChild's default, the search script's, the final script's. */
    public static final List<String> KEEP_PROBABILITIES = List.of("1.0", "0.9", "0.5");

    private EnasOps() {
    }

    /** This catalogue with every ENAS macro op added. */
    static OpCatalogue addTo(OpCatalogue catalogue) {
        return catalogue.with(conv("enas_conv_3x3", 3, false)).with(conv("enas_conv_5x5", 5, false))
                .with(conv("enas_sep_conv_3x3", 3, true)).with(conv("enas_sep_conv_5x5", 5, true))
                .with(pool("enas_avg_pool_3x3")).with(pool("enas_max_pool_3x3"))
                .with(factorizedReduce(FACTORIZED_REDUCE))
                .with(batchNorm(BATCH_NORM), OpCatalogue.Kind.CHANNEL_PRESERVING)
                .with(fixedConv("enas_fixed_conv_3x3", 3)).with(fixedConv("enas_fixed_sep_conv_3x3", 3))
                .with(fixedConv("enas_fixed_conv_5x5", 5)).with(fixedConv("enas_fixed_sep_conv_5x5", 5))
                .with(reluConv1x1(RELU_CONV_1X1))
                .with(rangeConv(RANGE_BRANCHES.get(0), 3, false)).with(rangeConv(RANGE_BRANCHES.get(1), 3, true))
                .with(rangeConv(RANGE_BRANCHES.get(2), 5, false)).with(rangeConv(RANGE_BRANCHES.get(3), 5, true))
                .with(rangePool(RANGE_BRANCHES.get(4))).with(rangePool(RANGE_BRANCHES.get(5)))
                .with(batchNorm(BN_RELU), OpCatalogue.Kind.CHANNEL_PRESERVING)
                .with(rangeMask(RANGE_MASK), OpCatalogue.Kind.CHANNEL_PRESERVING)
                .with(headSpec(head("1.0"))).with(headSpec(head("0.9"))).with(headSpec(head("0.5")));
    }

    /**
     * The name of the head that keeps activations with probability {@code keep}, one of
     * {@link #KEEP_PROBABILITIES} ({@code enas_head_keep0.9}).
     */
    public static String head(String keep) {
        if (!KEEP_PROBABILITIES.contains(keep)) {
            throw new IllegalArgumentException("keep probability of an ENAS head must be one of "
                    + KEEP_PROBABILITIES + ", but was '" + keep + "'");
        }
        return "enas_head_keep" + keep;
    }

    /**
     * A convolution branch: 1x1 conv {@code in -> out}, BN, ReLU, then a k x k convolution {@code out -> out}
     * ({@code separable}: depthwise with multiplier 1 and pointwise), BN, ReLU. Stride 1 only, as in the reference.
     */
    public static OpSpec conv(String name, int kernel, boolean separable) {
        return convBranch(name, kernel, separable, false);
    }

    /**
     * A convolution branch on a channel range: 1x1 conv {@code in -> in} ({@code inp_conv_1}, the whole layer), BN,
     * ReLU, then a k x k convolution {@code in -> out} ({@code separable}: depthwise on {@code in} with multiplier 1,
     * pointwise {@code in -> out}), BN, ReLU; {@code out} is the range's count (the rows {@code start_idx ..
     * start_idx + count} of {@code out_conv}'s weight and BN). Stride 1.
     */
    public static OpSpec rangeConv(String name, int kernel, boolean separable) {
        return convBranch(name, kernel, separable, true);
    }

    /**
     * The two convolution branches' counts: 1x1 conv {@code in -> mid}, BN, ReLU, a k x k convolution {@code mid ->
     * out} (separable: depthwise on {@code mid}, pointwise {@code mid -> out}), BN, ReLU; {@code mid} is {@code in}
     * for a channel range ({@code midIsInput}), {@code out} otherwise.
     */
    private static OpSpec convBranch(String name, int kernel, boolean separable, boolean midIsInput) {
        long k2 = (long) kernel * kernel;
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                return sameSize(name, input, out, stride);
            }

            @Override
            public long parameters(int in, int out, int stride) {
                int mid = midIsInput ? in : out;
                return (long) in * mid + OpSpecs.bn(mid, true) + branch(mid, out) + OpSpecs.bn(out, true);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                long in = input.channels();
                long mid = midIsInput ? in : out;
                return (long) input.height() * input.width() * (in * mid + branch(mid, out));
            }

            private long branch(long mid, long out) {
                return separable ? k2 * mid + mid * out : k2 * mid * out;
            }
        };
    }

    /**
     * A pooling branch on a channel range: 1x1 conv {@code in -> out}, BN, ReLU, 3x3 pooling at stride 1. The
     * reference's {@code conv_1} maps to all {@code out_filters} channels and slices the range after pooling; pooling
     * and BN act per channel, so only the range's rows of {@code conv_1} and of its BN reach the output: those are
     * this op's.
     */
    public static OpSpec rangePool(String name) {
        return pool(name);
    }

    /**
     * A branch of the fixed-arc child: ReLU, 1x1 conv {@code in -> out}, BN ({@code conv_1x1}), ReLU, k x k conv
     * {@code out -> out}, BN. Stride 1 only.
     */
    public static OpSpec fixedConv(String name, int kernel) {
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                return sameSize(name, input, out, stride);
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return (long) in * out + OpSpecs.bn(out, true) + (long) kernel * kernel * out * out
                        + OpSpecs.bn(out, true);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return (long) input.height() * input.width() * ((long) input.channels() * out
                        + (long) kernel * kernel * out * out);
            }
        };
    }

    /**
     * ReLU, 1x1 convolution {@code in -> out} without BN. The fixed child's skip layer, ReLU, 1x1 convolution and BN
     * of the concatenation of the chosen skips and the branch ({@code _fixed_layer}'s {@code skip} scope), is the
     * BN of the sum of this op on each of them: a 1x1 convolution of a concatenation is the sum of its blocks'.
     */
    public static OpSpec reluConv1x1(String name) {
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                return sameSize(name, input, out, stride);
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return (long) in * out;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return (long) input.height() * input.width() * input.channels() * out;
            }
        };
    }

    /** A pooling branch: 1x1 conv {@code in -> out}, BN, ReLU, 3x3 pooling at stride 1. */
    public static OpSpec pool(String name) {
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                return sameSize(name, input, out, stride);
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return (long) in * out + OpSpecs.bn(out, true);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return (long) input.height() * input.width() * input.channels() * out;
            }
        };
    }

    /** The reference's factorized reduction at stride 2 (no leading ReLU, unlike DARTS'). */
    public static OpSpec factorizedReduce(String name) {
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                if (stride != 2) {
                    throw new IllegalArgumentException(name + " halves its input, so its stride must be 2, but was "
                            + stride);
                }
                if (input.height() % 2 != 0 || input.width() % 2 != 0) {
                    throw new IllegalArgumentException(name + " needs an even height and width, but the input was "
                            + input);
                }
                if (out < 2 || out % 2 != 0) {
                    throw new IllegalArgumentException(name + " needs an even output channel count, but was " + out);
                }
                return new Shape(out, input.height() / 2, input.width() / 2);
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return 2L * in * (out / 2) + OpSpecs.bn(out, true);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                Shape o = output(input, out, stride);
                return (long) o.height() * o.width() * input.channels() * out;
            }
        };
    }

    /** Batch norm with offset and scale; keeps its input's shape. */
    public static OpSpec batchNorm(String name) {
        return shapeKeeping(name, true);
    }

    /** A channel mask: keeps its input's shape, no parameters, no multiply-adds. */
    static OpSpec rangeMask(String name) {
        return shapeKeeping(name, false);
    }

    /** An op that keeps its input's shape, without multiply-adds; with a BN's offset and scale or no parameters. */
    private static OpSpec shapeKeeping(String name, boolean batchNorm) {
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                if (stride != 1 || out != input.channels()) {
                    throw new IllegalArgumentException(name + " keeps its input's shape, but was asked for " + out
                            + " channels at stride " + stride + " from " + input);
                }
                return input;
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return batchNorm ? OpSpecs.bn(out, true) : 0;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return 0;
            }
        };
    }

    /**
     * Global average pooling, dropout, linear without bias ({@code fc/w} of shape {@code [in, classes]}); also the
     * micro head's counts ({@link EnasMicroOps}).
     */
    static OpSpec headSpec(String name) {
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                return new Shape(out, 1, 1);
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return (long) in * out;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return (long) input.channels() * out;
            }
        };
    }

    private static Shape sameSize(String name, Shape input, int out, int stride) {
        if (stride != 1) {
            throw new IllegalArgumentException(name + " runs at stride 1 (the reference's layers keep their size),"
                    + " but was asked for stride " + stride);
        }
        return new Shape(out, input.height(), input.width());
    }
}
