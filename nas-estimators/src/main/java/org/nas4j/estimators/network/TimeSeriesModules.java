package org.nas4j.estimators.network;

import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.recurrent.GruCell;
import org.nas4j.estimators.engine.recurrent.LstmCell;
import org.nas4j.estimators.engine.recurrent.TemporalRecurrent;

/**
 * The modules of the time-series ops ({@code org.nas4j.spaces.timeseries.TimeSeriesOps}) on
 * {@code [B, C, 1, T]} maps: a convolution of kernel {@code k} and dilation {@code d} along time is the 2-D
 * convolution of kernel {@code 1 x k}, dilation {@code d}, stride {@code (1, s)} and padding
 * {@code (0, d (k - 1) / 2)} ('same' for odd kernels); pooling is {@link Modules#temporalPool}; {@code lstm} is a
 * {@link TemporalRecurrent} LSTM over time, batch norm, and at stride 2 max pooling of 2 (POPNASv3's {@code RnnBatch}
 * and {@code RnnBatchReduce}), {@code gru} the same with a GRU. Each has its formula's parameter count and exports
 * to DL4J layers of the same function ({@code gru} to nas4j's own DL4J layer, DL4J 1.0.0-M2.1 having no GRU).
 *
 * <pre>{@code
 * TrainingEstimator training = Estimators.training(data)
 *         .networkFactory(new SpaceCompiler(space).modules(TimeSeriesModules.catalogue())).build();
 * }</pre>
 */
public final class TimeSeriesModules {
    private static final ModuleCatalogue CATALOGUE = build();

    private TimeSeriesModules() {
    }

    /** The modules of every op of the time-series catalogue. */
    public static ModuleCatalogue catalogue() {
        return CATALOGUE;
    }

    private static ModuleCatalogue build() {
        ModuleCatalogue c = ModuleCatalogue.empty()
                .with("identity", (p, n, in, out, s) -> s == 1 && in == out ? Modules.identity()
                        : convBnRelu(p, n + ".pointwise", in, out, 1, 1, s));
        for (int k : new int[] {7, 13, 21}) {
            c = c.with("sep_conv_k" + k, (p, n, in, out, s) -> separable(p, n, in, out, k, s));
        }
        for (int k : new int[] {7, 13, 21}) {
            c = c.with("conv_k" + k, (p, n, in, out, s) -> convBnRelu(p, n + ".conv", in, out, k, 1, s));
        }
        return c.with("conv_k7_d2", (p, n, in, out, s) -> convBnRelu(p, n + ".conv", in, out, 7, 2, s))
                .with("conv_k7_d4", (p, n, in, out, s) -> convBnRelu(p, n + ".conv", in, out, 7, 4, s))
                .with("max_pool_2", (p, n, in, out, s) -> Modules.temporalPool(n + ".maxpool", true, 2, s))
                .with("avg_pool_2", (p, n, in, out, s) -> Modules.temporalPool(n + ".avgpool", false, 2, s))
                .with("lstm", TimeSeriesModules::lstm)
                .with("gru", TimeSeriesModules::gru)
                .with("relu_conv_bn_1x1", (p, n, in, out, s) -> Modules.sequence(Modules.relu(n + ".relu"),
                        Modules.conv(p, n + ".conv", spec(in, out, 1, 1, s)), Modules.batchNorm(p, n + ".bn", out,
                                true)))
                .with("time_reduce", (p, n, in, out, s) -> Modules.sequence(Modules.relu(n + ".relu"),
                        Modules.conv(p, n + ".conv", spec(in, out, 1, 1, 2)), Modules.batchNorm(p, n + ".bn", out,
                                true)))
                .with("conv_bn_k7", (p, n, in, out, s) -> Modules.sequence(
                        Modules.conv(p, n + ".conv", spec(in, out, 7, 1, s)), Modules.batchNorm(p, n + ".bn", out,
                                true)))
                .with("pool_linear", (p, n, in, classes, s) -> Modules.sequence(
                        Modules.globalAveragePool(n + ".gap"), Modules.classifier(p, n + ".classifier", in, classes)));
    }

    /** A convolution of {@code kernel} (odd) and {@code dilation} along time, 'same' padding. */
    static GraphSink.ConvSpec spec(int in, int out, int kernel, int dilation,
            int stride) {
        return new GraphSink.ConvSpec(in, out, 1, kernel, 1, stride, 0, dilation * (kernel - 1) / 2, dilation, 1);
    }

    private static Module convBnRelu(ParameterSet p, String n, int in, int out, int kernel, int dilation,
            int stride) {
        return Modules.sequence(Modules.conv(p, n, spec(in, out, kernel, dilation, stride)),
                Modules.batchNorm(p, n + ".bn", out, true), Modules.relu(n + ".relu"));
    }

    /** Keras' SeparableConv1D: depthwise {@code kernel} along time (with the stride), pointwise; then BN, ReLU. */
    private static Module separable(ParameterSet p, String n, int in, int out, int kernel, int stride) {
        GraphSink.ConvSpec depthwise = new GraphSink.ConvSpec(in, in, 1, kernel, 1, stride, 0, (kernel - 1) / 2, 1,
                in);
        return Modules.sequence(Modules.conv(p, n + ".depthwise", depthwise),
                Modules.conv(p, n + ".pointwise", spec(in, out, 1, 1, 1)),
                Modules.batchNorm(p, n + ".bn", out, true), Modules.relu(n + ".relu"));
    }

    /** POPNASv3's {@code lstm}: an LSTM of {@code out} units returning every step, BN; at stride 2 max pooling of 2. */
    private static Module lstm(ParameterSet p, String n, int in, int out, int stride) {
        LstmCell cell = TemporalRecurrent.lstm(p, n + ".lstm", in, out);
        Module recurrent = new DelegatingModule(new TemporalRecurrent(cell)) {
            @Override
            public String export(GraphSink sink, String input) {
                return sink.lstm(n + ".lstm", input, cell.inputWeights().value(), cell.hiddenWeights().value(),
                        cell.bias().value());
            }
        };
        return recurrentBlock(p, n, recurrent, out, stride);
    }

    /** POPNASv3's {@code gru}: a GRU of {@code out} units returning every step, BN; at stride 2 max pooling of 2. */
    private static Module gru(ParameterSet p, String n, int in, int out, int stride) {
        GruCell cell = TemporalRecurrent.gru(p, n + ".gru", in, out);
        Module recurrent = new DelegatingModule(new TemporalRecurrent(cell)) {
            @Override
            public String export(GraphSink sink, String input) {
                return sink.gru(n + ".gru", input, cell.inputWeights().value(), cell.hiddenWeights().value(),
                        cell.inputBias().value(), cell.hiddenBias().value());
            }
        };
        return recurrentBlock(p, n, recurrent, out, stride);
    }

    private static Module recurrentBlock(ParameterSet p, String n, Module recurrent, int out, int stride) {
        Module bn = Modules.batchNorm(p, n + ".bn", out, true);
        return stride == 1 ? Modules.sequence(recurrent, bn)
                : Modules.sequence(recurrent, bn, Modules.temporalPool(n + ".maxpool", true, 2, stride));
    }
}
