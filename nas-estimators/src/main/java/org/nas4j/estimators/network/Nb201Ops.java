package org.nas4j.estimators.network;

import org.nas4j.estimators.engine.ParameterSet;

/**
 * The NAS-Bench-201 op set as an {@link OpFactory}: {@code skip_connect} (identity), {@code nor_conv_1x1} and
 * {@code nor_conv_3x3} (ReLU-conv-BN with affine BN), {@code avg_pool_3x3} (padding 1, padding excluded from the
 * divisor); {@code none} edges never reach the factory.
 */
public final class Nb201Ops {

    private Nb201Ops() {
    }

    /** Makes the op; see {@link OpFactory#create}. */
    public static Module create(ParameterSet params, String name, String op, int in, int out, int stride) {
        switch (op) {
            case "skip_connect":
                if (stride == 1 && in == out) {
                    return Modules.identity();
                }
                return Modules.reluConvBn(params, name + ".skip", in, out, 1, stride, true);
            case "nor_conv_1x1":
                return Modules.reluConvBn(params, name + ".conv1x1", in, out, 1, stride, true);
            case "nor_conv_3x3":
                return Modules.reluConvBn(params, name + ".conv3x3", in, out, 3, stride, true);
            case "avg_pool_3x3":
                if (in != out) {
                    throw new IllegalArgumentException("avg_pool_3x3 needs in == out channels, but was " + in
                            + " -> " + out);
                }
                return Modules.averagePool(name + ".avgpool", 3, stride, 1, false);
            default:
                throw new IllegalArgumentException("unknown NAS-Bench-201 op '" + op + "'; known ops: skip_connect, "
                        + "nor_conv_1x1, nor_conv_3x3, avg_pool_3x3 (and none)");
        }
    }
}
