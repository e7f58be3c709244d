package org.nas4j.spaces.timeseries;

import java.util.List;
import org.nas4j.core.space.Shape;
import org.nas4j.core.space.builder.OpCatalogue;
import org.nas4j.core.space.builder.OpCatalogue.Kind;

/**
 * The op catalogue of the time-series space: POPNASv3's time-series operator set
 * ({@code src/configs/run_ts.json} of AndreaFalanti/popnas, operator layers in
 * {@code src/models/operators/layers/common.py}) on {@code channels x 1 x length} maps, with nas4j names.
 * Every convolution has no bias and is followed by batch norm and ReLU (POPNASv3 uses swish; the training engine
 * has ReLU). 'Same' padding along time throughout ({@link TemporalOpSpec}).
 *
 * <table>
 *   <caption>Ops (POPNASv3's name in brackets)</caption>
 *   <tr><th>name</th><th>op</th></tr>
 *   <tr><td>identity</td><td>[identity] the input; at stride 2 a 1x1 convolution of stride 2, BN, ReLU (as
 *       POPNASv3's reduction identity)</td></tr>
 *   <tr><td>conv_k7, conv_k13, conv_k21</td><td>[7 conv, 13 conv, 21 conv] convolution along time, BN, ReLU</td></tr>
 *   <tr><td>conv_k7_d2, conv_k7_d4</td><td>[7:2dr conv, 7:4dr conv] the same with dilation 2 or 4</td></tr>
 *   <tr><td>sep_conv_k7, sep_conv_k13, sep_conv_k21</td><td>[7 dconv, 13 dconv, 21 dconv] depthwise then
 *       pointwise convolution (Keras' SeparableConv1D), BN, ReLU</td></tr>
 *   <tr><td>max_pool_2, avg_pool_2</td><td>[2 maxpool, 2 avgpool] window 2, 'same' padding that never wins the
 *       maximum and is not counted in the average</td></tr>
 *   <tr><td>lstm</td><td>[lstm] an LSTM of {@code out} units over time returning every step (Keras'
 *       {@code LSTM(out, return_sequences=True)}, one bias), BN; at stride 2 then max pooling of 2 (POPNASv3's
 *       {@code RnnBatchReduce}), as {@code src/models/operators/allocators/rnn.py} and
 *       {@code src/models/operators/layers/rnn.py}</td></tr>
 *   <tr><td>gru</td><td>[gru] the same with Keras' {@code GRU(out, return_sequences=True)}
 *       ({@code reset_after=True}, two biases)</td></tr>
 *   <tr><td>relu_conv_bn_1x1</td><td>the preprocessing of a cell input of the cell's length</td></tr>
 *   <tr><td>time_reduce</td><td>the preprocessing of a cell input twice the cell's length: ReLU, 1x1 convolution
 *       of stride 2 along time, BN</td></tr>
 *   <tr><td>conv_bn_k7</td><td>the stem: convolution of kernel 7 along time, BN</td></tr>
 *   <tr><td>pool_linear</td><td>the head: global average pooling over time, linear with bias</td></tr>
 * </table>
 *
 */
public final class TimeSeriesOps {

    /** The searched ops of a cell, in POPNASv3's order. */
    public static final List<String> CELL_OPS = List.of("identity", "sep_conv_k7", "sep_conv_k13", "sep_conv_k21",
            "conv_k7", "conv_k13", "conv_k21", "conv_k7_d2", "conv_k7_d4", "max_pool_2", "avg_pool_2", "lstm", "gru");

    private static final OpCatalogue CATALOGUE = build();

    private TimeSeriesOps() {
    }

    /** The catalogue (cell ops, preprocessing, stem, head); its cell inputs are {@code relu_conv_bn_1x1} and
     * {@code time_reduce}. */
    public static OpCatalogue catalogue() {
        return CATALOGUE;
    }

    private static OpCatalogue build() {
        OpCatalogue c = OpCatalogue.empty().with(identity(), Kind.IDENTITY);
        for (int k : new int[] {7, 13, 21}) {
            c = c.with(separable("sep_conv_k" + k, k));
        }
        for (int k : new int[] {7, 13, 21}) {
            c = c.with(conv("conv_k" + k, k));
        }
        c = c.with(conv("conv_k7_d2", 7)).with(conv("conv_k7_d4", 7))
                .with(pool("max_pool_2"), Kind.CHANNEL_PRESERVING)
                .with(pool("avg_pool_2"), Kind.CHANNEL_PRESERVING)
                .with(lstm())
                .with(gru())
                .with(conv("relu_conv_bn_1x1", 1))
                .with(timeReduce())
                .with(conv("conv_bn_k7", 7))
                .with(OpCatalogue.standard().spec("pool_linear"));
        return c.withCellInputs("relu_conv_bn_1x1", "time_reduce");
    }

    /** Convolution of {@code kernel} along time (any dilation: it changes neither), no bias, affine BN. */
    static TemporalOpSpec conv(String name, int kernel) {
        return new TemporalOpSpec(name) {
            @Override
            public long parameters(int in, int out, int stride) {
                return (long) in * out * kernel + 2L * out;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return (long) outputLength(input, stride) * out * input.channels() * kernel;
            }
        };
    }

    private static TemporalOpSpec separable(String name, int kernel) {
        return new TemporalOpSpec(name) {
            @Override
            public long parameters(int in, int out, int stride) {
                return (long) in * kernel + (long) in * out + 2L * out;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                long t = outputLength(input, stride);
                return t * input.channels() * kernel + t * input.channels() * out;
            }
        };
    }

    private static TemporalOpSpec identity() {
        return new TemporalOpSpec("identity") {
            @Override
            public long parameters(int in, int out, int stride) {
                return stride == 1 ? 0 : (long) in * out + 2L * out;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return stride == 1 ? 0 : (long) outputLength(input, stride) * input.channels() * out;
            }
        };
    }

    private static TemporalOpSpec pool(String name) {
        return new TemporalOpSpec(name) {
            @Override
            public long parameters(int in, int out, int stride) {
                return 0;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return 0;
            }
        };
    }

    /**
     * POPNASv3's {@code lstm}: {@code 4 (out in + out^2 + out)} LSTM parameters plus BN's {@code 2 out} (POPNASv3's
     * {@code LSTMOpAllocator.compute_params}, with the two BN parameters that nas4j counts for every op);
     * multiply-adds of the four gates' matrix products at every step of the input length
     * {@code T 4 out (in + out)} (the LSTM runs at the input's length, the reduction pools after it; element-wise
     * gate products and BN are not counted, as BN is not for the convolutions).
     */
    static TemporalOpSpec lstm() {
        return new TemporalOpSpec("lstm") {
            @Override
            public long parameters(int in, int out, int stride) {
                return 4L * ((long) out * in + (long) out * out + out) + 2L * out;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return (long) outputLength(input, 1) * 4L * out * ((long) input.channels() + out);
            }
        };
    }

    /**
     * POPNASv3's {@code gru}: {@code 3 (out in + out^2 + 2 out)} GRU parameters (Keras' GRU with
     * {@code reset_after=True} has an input and a recurrent bias) plus BN's {@code 2 out} (POPNASv3's
     * {@code GRUOpAllocator.compute_params}); multiply-adds {@code T 3 out (in + out)}, the three gates' matrix
     * products at every step of the input length.
     */
    static TemporalOpSpec gru() {
        return new TemporalOpSpec("gru") {
            @Override
            public long parameters(int in, int out, int stride) {
                return 3L * ((long) out * in + (long) out * out + 2L * out) + 2L * out;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return (long) outputLength(input, 1) * 3L * out * ((long) input.channels() + out);
            }
        };
    }

    /** Halves the length whatever the stride it is given (the planner calls cell preprocessing at stride 1). */
    private static TemporalOpSpec timeReduce() {
        return new TemporalOpSpec("time_reduce") {
            @Override
            public Shape output(Shape input, int outChannels, int stride) {
                return super.output(input, outChannels, 2);
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return (long) in * out + 2L * out;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return (long) outputLength(input, 2) * input.channels() * out;
            }
        };
    }
}
